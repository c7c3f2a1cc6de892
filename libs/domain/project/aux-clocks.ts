/*
 * The clocks that run beside a step's own: the acceptance window after receipt (行政许可法 Art. 32), the
 * certificate's delivery (Art. 44) and the validities that lapse after a decision (expiry clocks, research note
 * §2.7). Started and ended by the step-action rules; planned, lit and alerted with every other clock.
 */
import { addMonths, shanghaiDateOf, type LimitUnit } from '../../calendar/index.js';
import type { StepDefinition } from '../track-definition.js';
import { deemedAcceptanceAt } from './clock-lights.js';
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
    // A fact at the window's close, even when the window had already closed when it was planned (a receipt recorded
    // from paper): the notice or acceptance that followed on paper can still be entered (see
    // withdrawnDeemedAcceptance). Histories recorded before that rule held it like an alert.
    const deemed = alertsOf(core, clock).find((a) => a.kind === 'deemed_acceptance');
    if (!deemed || deemedAcceptanceAt(core, clock, deemed) > nowMs) continue;
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

/**
 * Whether an `accept` or `return` recorded from paper replaces step `key`'s deemed acceptance: the acceptance window
 * had closed before it was planned (the receipt was itself recorded late), the workflow deemed the application
 * accepted at the close (行政许可法 Art. 32) and nothing has happened to the step since, and the action's `occurredAt`
 * falls inside the window. The deemed acceptance was then only what the records said so far: the paper says the
 * department answered in time. Only when facts are at once (before, the deemed acceptance waited the catch-up hold).
 * @param occurredAt the action's instant as recorded (ISO 8601), or null/undefined for now (never inside a closed window)
 */
export function replacesDeemedAcceptance(core: ProjectCore, key: string, action: string, occurredAt: string | null | undefined): boolean {
  if (!core.factsAtOnce || (action !== 'accept' && action !== 'return') || !occurredAt) return false;
  const rec = core.step(key);
  const window = core.auxClock(`acceptance:${key}`);
  const d = window?.deadline;
  if (!rec || !window || !d || d.dueAt === null || rec.receivedAt === null) return false;
  const closedAt = Date.parse(d.dueAt);
  const at = Date.parse(occurredAt);
  return (
    rec.state === 'in_review' &&
    rec.deemedAccepted &&
    window.outcome === 'deemed_accepted' &&
    window.endedAt !== null &&
    Date.parse(window.endedAt) === closedAt &&
    rec.updatedAt === window.endedAt &&
    rec.clockStops.length === 0 &&
    rec.extension === null &&
    Date.parse(d.plannedAt) > closedAt &&
    at >= Date.parse(rec.receivedAt) &&
    at < closedAt
  );
}

/**
 * Undoes the deemed acceptance that {@link replacesDeemedAcceptance} allows replacing: the step is `received` again,
 * its window open and its clock unplanned, as the receipt left it, so the action recorded from paper applies to it.
 * The `step.deemed_accepted` entry stays on the timeline; the action's entry says what it replaced.
 * @returns the instant the deemed acceptance had been dated (the window's close, ISO 8601)
 */
export function withdrawDeemedAcceptance(core: ProjectCore, key: string): string {
  const rec = core.step(key)!;
  const window = core.auxClock(`acceptance:${key}`)!;
  const deemedAt = window.endedAt!;
  window.endedAt = null;
  window.outcome = null;
  rec.state = 'received';
  rec.acceptedAt = null;
  rec.deemedAccepted = false;
  rec.statutoryOverdue = false;
  rec.deadline = null;
  rec.light = null;
  rec.updatedAt = rec.receivedAt!;
  return deemedAt;
}
