/*
 * The clocks that run beside a step's own: the acceptance window after receipt (行政许可法 Art. 32), the
 * certificate's delivery (Art. 44) and the validities that lapse after a decision (expiry clocks, research note
 * §2.7). Started and ended by the step-action rules; planned, lit and alerted with every other clock.
 */
import { addMonths, shanghaiDateOf, type LimitUnit } from '../../calendar/index.js';
import type { StepDefinition } from '../track-definition.js';
import { alertsOf, openClocks } from './clocks.js';
import { isStepDone, type ProjectCore } from './core.js';
import { DEEMED_RULE } from './texts.js';
import { SYSTEM_ACTOR, type ActionContext, type AuxClockRecord, type StepActionInput, type TimelineEntry } from './types.js';

/** Working days a department has to accept or issue the one-time supplement notice (行政许可法 Art. 32). */
export const ACCEPTANCE_WINDOW_WORKING_DAYS = 5;

/**
 * Starts (or restarts) an auxiliary clock on the day of `at`; its id is `<kind>:<key>`.
 * @param limit a limit counted from the start day, or null with a `fixedDueOn` (expiry clocks)
 * @returns the clock, already in the snapshot
 */
export function startAuxClock(
  core: ProjectCore,
  kind: AuxClockRecord['kind'],
  key: string,
  step: string,
  at: string,
  limit: number | null,
  unit: LimitUnit | null,
  fixedDueOn: string | null,
): AuxClockRecord {
  const id = `${kind}:${key}`;
  const clock: AuxClockRecord = {
    id,
    kind,
    key,
    step,
    startedOn: shanghaiDateOf(at),
    limit,
    unit,
    fixedDueOn,
    deadline: null,
    light: kind === 'acceptance' ? null : 'green',
    endedAt: null,
    outcome: null,
    lapsed: false,
    renewals: [],
  };
  core.snap.auxClocks = [...core.snap.auxClocks.filter((c) => c.id !== id), clock];
  return clock;
}

/** Starts the acceptance window of step `key` at its receipt (收件): 5 working days (行政许可法 Art. 32). */
export function startAcceptanceWindow(core: ProjectCore, key: string, at: string): void {
  startAuxClock(core, 'acceptance', key, key, at, ACCEPTANCE_WINDOW_WORKING_DAYS, 'working_days', null);
}

/**
 * The open acceptance window of step `key` if it had already closed at `at`: the application then counts as accepted
 * on the day of receipt (行政许可法 Art. 32: no acceptance or supplement notice within 5 working days).
 */
export function lateAcceptanceWindow(core: ProjectCore, key: string, at: string): AuxClockRecord | null {
  const window = core.auxClock(`acceptance:${key}`);
  return window?.endedAt === null && window.deadline?.dueAt != null && Date.parse(at) >= Date.parse(window.deadline.dueAt) ? window : null;
}

/** Ends the open acceptance window of step `key` with `outcome` (accepted, supplement_requested, deemed_accepted, refused, withdrawn). */
export function endAcceptanceWindow(core: ProjectCore, key: string, at: string, outcome: string): void {
  const window = core.auxClock(`acceptance:${key}`);
  if (window && window.endedAt === null) {
    window.endedAt = at;
    window.outcome = outcome;
  }
}

/**
 * Starts the expiry clocks of an approved step (research note §2.7): each runs `months` from the decision day
 * (民法典 Art. 202), or the land contract's own term when given, until its `endsAtStep` is approved.
 * @returns an `expiry.started` entry per clock
 */
export function startExpiries(core: ProjectCore, def: StepDefinition, ctx: ActionContext, terms: StepActionInput['contractTerms']): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const e of def.expiries ?? []) {
    if (e.route && e.route !== core.snap.approvalRoute) continue;
    if (isStepDone(core.step(e.endsAtStep)!.state)) continue;
    const fromContract = e.contractTerm === 'preparation' ? terms?.preparationMonths : e.contractTerm === 'build' ? terms?.buildMonths : null;
    const months = fromContract ?? e.months;
    const startedOn = shanghaiDateOf(ctx.at);
    const clock = startAuxClock(core, 'expiry', e.key, def.key, ctx.at, null, null, addMonths(startedOn, months));
    entries.push(
      core.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'expiry.started', def.key, null, {
        clock: clock.id,
        expiry: e.key,
        months,
        lastDay: clock.fixedDueOn,
        endsAtStep: e.endsAtStep,
        source: e.source,
      }),
    );
  }
  return entries;
}

/**
 * Ends the expiry clocks that `stepKey`'s approval uses (e.g. groundbreaking uses the construction permit's 3 months).
 * @returns an `expiry.used` entry per clock
 */
export function endExpiries(core: ProjectCore, stepKey: string, ctx: ActionContext): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const c of core.snap.auxClocks) {
    if (c.kind !== 'expiry' || c.endedAt !== null || core.expiryDefinition(c.key)?.endsAtStep !== stepKey) continue;
    c.endedAt = ctx.at;
    c.outcome = c.lapsed ? 'used_after_lapse' : 'used';
    c.light = null;
    entries.push(core.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'expiry.used', c.step, null, { clock: c.id, lastDay: c.fixedDueOn, lapsed: c.lapsed }));
  }
  return entries;
}

/**
 * Applications received more than 5 working days ago with neither acceptance nor a supplement notice count
 * as accepted on the day they were received (行政许可法 Art. 32): the step goes to review with its clock
 * back-dated to the receipt.
 * @param nowMs the workflow's instant, epoch milliseconds
 * @returns a `step.deemed_accepted` entry per step
 */
export function applyDeemedAcceptances(core: ProjectCore, nowMs: number, ctx: ActionContext): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const clock of openClocks(core)) {
    if (clock.kind !== 'acceptance') continue;
    // Held like an alert when the window had already closed when it was planned (a receipt recorded from paper),
    // so the officer can still enter the notice or acceptance that followed it.
    const deemed = alertsOf(core, clock).find((a) => a.kind === 'deemed_acceptance');
    if (!deemed || deemed.fireAt > nowMs) continue;
    const c = clock.record;
    const rec = core.step(c.step)!;
    // It happened when the window closed (24:00 of its last day), whenever the workflow notices it.
    const deemedAt = new Date(Date.parse(deemed.dueAt)).toISOString();
    c.endedAt = deemedAt;
    c.outcome = 'deemed_accepted';
    rec.state = 'in_review';
    rec.acceptedAt = rec.receivedAt;
    rec.deemedAccepted = true;
    rec.light = 'green';
    rec.updatedAt = deemedAt;
    core.snap.version += 1;
    entries.push(
      core.entry({ at: deemedAt, actor: SYSTEM_ACTOR }, 'step.deemed_accepted', c.step, null, {
        receivedAt: rec.receivedAt,
        acceptanceDueOn: c.deadline!.dueOn,
        acceptedAt: rec.acceptedAt,
        rule: DEEMED_RULE,
        ...(deemedAt !== ctx.at ? { recordedAt: ctx.at } : {}),
      }),
    );
  }
  return entries;
}
