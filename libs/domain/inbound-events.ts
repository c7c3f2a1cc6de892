/*
 * Events from the other government systems (land supply, real-estate registry, planning, ecology, housing, customs)
 * applied to a project through the same step actions an officer would take, back-dated to when the event happened,
 * so lights, deadlines and government time follow. What each event type does to which step of which track is data:
 * tracks/event-mappings.json, beside the track definitions.
 */
import type { DepartmentKey } from './departments.js';
import { DomainError } from './errors.js';
import { ProjectState } from './project/project-state.js';
import { openDependenciesOf } from './project/step-groups.js';
import { shanghaiTime } from './project/texts.js';
import type { ActionContext, StepActionInput, TimelineEntry } from './project/types.js';
import { FACT_KINDS, type EventMappingDefinition, type FactKind, type InboundEventType, type TrackDefinition, type TrackKey } from './track-definition.js';
import mappings from './tracks/event-mappings.json' with { type: 'json' };

export { INBOUND_EVENT_TYPES, type InboundEventType } from './track-definition.js';

/** One event as a source sends it. `occurredAt` is an ISO 8601 instant; `data` holds the type's fields (reference, amount, contract terms). */
export interface InboundEvent {
  id: string;
  source: string;
  type: InboundEventType;
  projectCode: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** What a type does on a track (one entry of event-mappings.json, or of a definition's `eventMappings`). */
export type EventEffect = EventMappingDefinition;

/** The names of each type (Chinese first), from the mapping file. */
export const INBOUND_EVENT_NAMES: Readonly<Record<InboundEventType, { nameZh: string; name: string }>> = mappings.types;

const TRACK_EFFECTS = mappings.tracks as Partial<Record<TrackKey, Partial<Record<InboundEventType, EventEffect>>>>;

/**
 * What `type` does on `track`, or null when the track has no step it affects.
 * Rule source: tracks/event-mappings.json (each entry names its document).
 */
export function eventEffect(track: TrackKey, type: InboundEventType): EventEffect | null {
  return TRACK_EFFECTS[track]?.[type] ?? null;
}

/**
 * What `type` does on a project of this definition: the definition's own `eventMappings` when it has them (the whole
 * mapping: a type they do not list affects nothing), else the shipped mapping of its track's key ({@link eventEffect}).
 * @returns the effect, or null when no step of the definition is affected
 */
export function eventEffectOn(definition: Pick<TrackDefinition, 'track' | 'eventMappings'>, type: InboundEventType): EventEffect | null {
  if (definition.eventMappings) return definition.eventMappings[type] ?? null;
  return eventEffect(definition.track, type);
}

/** One action an event leads to: a fact recorded, or an officer's step action. */
export type PlannedAction =
  | { kind: 'fact'; fact: { kind: FactKind; occurredAt: string; reference: string | null; amountYuan: string | null } }
  | { kind: 'step'; step: string; input: StepActionInput };

/**
 * What an event does to a project now: the actions, or why it does not fit (for a person to look at).
 * `retryable`: it may fit once other events or actions have moved the project (a step still blocked, a dependency
 * not done), so it is tried again after the next event applied to the project.
 */
export type EventPlan =
  | { ok: true; effect: EventEffect; actions: PlannedAction[] }
  | { ok: false; effect: EventEffect | null; reason: string; retryable: boolean };

/** Options of {@link planInboundEvent}: the source's department (null: any) and the instant of the check. */
export interface PlanOptions {
  sourceDepartment: DepartmentKey | null;
  /** The instant the actions are taken (ISO 8601); occurredAt may not be after it. */
  now: string;
}

const YUAN = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;

/**
 * Plans an event against a project's state and checks every action on a copy, in order, with the rules an officer's
 * action meets (state, dependencies, not before the step's last change, not in the future).
 * Step states: ready, rejected or received → accept and approve; in review → approve; approved → deliver (for
 * `deliver`, when the step issues a certificate not yet delivered). Blocked, supplement requested, already approved,
 * delivered or waived: does not fit.
 * @param state the project (not changed)
 * @param event the event; its `occurredAt` is when every action takes effect
 * @returns the actions, or the reason it does not fit
 */
export function planInboundEvent(state: ProjectState, event: InboundEvent, options: PlanOptions): EventPlan {
  const snap = state.snapshot();
  const effect = eventEffectOn(state.definition, event.type);
  const names = INBOUND_EVENT_NAMES[event.type];
  if (!effect) {
    return { ok: false, effect: null, reason: `'${event.type}' (${names.nameZh}) affects no step of the ${snap.track} track`, retryable: false };
  }
  const refuse = (reason: string, retryable = false): EventPlan => ({ ok: false, effect, reason, retryable });
  if (state.isClosed) return refuse(`project ${snap.code} is ${snap.status}; no further actions are possible`);
  const comment = `${names.nameZh}（${event.source} 事件 ${event.id}）`;
  let actions: PlannedAction[];
  if (effect.effect === 'fact') {
    const reference = typeof event.data.reference === 'string' && event.data.reference.trim() !== '' ? event.data.reference.trim().slice(0, 200) : null;
    const amount = event.data.amountYuan;
    if (amount !== undefined && amount !== null && (typeof amount !== 'string' || !YUAN.test(amount))) {
      return refuse(`data.amountYuan must be a decimal string in yuan (up to 2 decimals), got ${JSON.stringify(amount)}`);
    }
    if (!(FACT_KINDS as readonly string[]).includes(effect.fact)) return refuse(`unknown fact '${effect.fact}'`);
    const waiting = state.definition.steps.filter((d) => (d.requiresFacts ?? []).includes(effect.fact));
    const before = waiting.flatMap((d) => openDependenciesOf(state.definition, d, (k) => state.step(k)!.state));
    if (waiting.length > 0 && before.length > 0) {
      const named = before.map((d) => `${d.key} (${d.nameZh})`).join(', ');
      return refuse(`'${event.type}' follows ${named}, not done yet`, true);
    }
    actions = [{ kind: 'fact', fact: { kind: effect.fact, occurredAt: event.occurredAt, reference, amountYuan: typeof amount === 'string' ? amount : null } }];
  } else {
    const def = state.stepDefinition(effect.step);
    const rec = state.step(effect.step);
    if (!def || !rec) return refuse(`${snap.track}@${snap.definitionVersion} has no step '${effect.step}'`);
    const label = `step '${def.key}' (${def.nameZh})`;
    if (options.sourceDepartment !== null && options.sourceDepartment !== def.department) {
      return refuse(`source '${event.source}' reports for ${options.sourceDepartment}; ${label} is ${def.department}'s`);
    }
    const base = { occurredAt: event.occurredAt, comment };
    const approve: StepActionInput = { action: 'approve', ...base };
    if (effect.data.includes('contractTerms') && event.data.contractTerms && typeof event.data.contractTerms === 'object') {
      const terms = event.data.contractTerms as Record<string, unknown>;
      const months = (v: unknown) => (typeof v === 'number' ? v : null);
      approve.contractTerms = { preparationMonths: months(terms.preparationMonths), buildMonths: months(terms.buildMonths) };
    }
    const deliver = effect.effect === 'deliver' && def.certificate ? [{ action: 'deliver' as const, ...base }] : [];
    let inputs: StepActionInput[];
    switch (rec.state) {
      case 'blocked': {
        const waits = [
          ...openDependenciesOf(state.definition, def, (k) => state.step(k)!.state).map((d) => `${d.key} (${d.nameZh})`),
          ...(def.requiresFacts ?? []).filter((f) => !snap.facts.some((x) => x.kind === f)),
        ];
        return refuse(`${label} is blocked: it waits for ${waits.join(', ') || 'its dependencies'}`, true);
      }
      case 'ready':
      case 'rejected':
      case 'received':
        inputs = [{ action: 'accept', ...base }, approve, ...deliver];
        break;
      case 'in_review':
        inputs = [approve, ...deliver];
        break;
      case 'supplement_requested':
        return refuse(`${label} waits for the applicant's supplement (补正, requested); a person decides whether the event settles it`);
      case 'approved':
        if (deliver.length > 0 && !rec.deliveredAt) {
          inputs = deliver;
          break;
        }
        return refuse(`${label} is already approved (${shanghaiTime(rec.decidedAt)})`);
      default:
        return refuse(`${label} is already ${rec.state}${rec.decidedAt ? ` (${shanghaiTime(rec.decidedAt)})` : ''}`);
    }
    actions = inputs.map((input) => ({ kind: 'step', step: def.key, input }));
  }
  // Every action checked in order on a copy, as the workflow will check it: all of them fit or none is taken.
  const copy = copyOf(state);
  const ctx: ActionContext = { at: options.now, actor: { id: `event:${event.source}`, department: options.sourceDepartment } };
  try {
    applyActions(copy, actions, ctx);
  } catch (err) {
    if (err instanceof DomainError) return refuse(err.message);
    throw err;
  }
  return { ok: true, effect, actions };
}

/** A copy of a project's state, with the same rule switches, to try actions on. */
function copyOf(state: ProjectState): ProjectState {
  const copy = ProjectState.restore(state.definition, state.snapshot(), { catchUpHoldMs: state.catchUpHoldMs });
  copy.statutoryFidelity = state.statutoryFidelity;
  copy.keepsHoldOnUnchangedPlan = state.keepsHoldOnUnchangedPlan;
  copy.factsAtOnce = state.factsAtOnce;
  return copy;
}

/** Applies planned actions in order. @throws DomainError as the state's actions */
function applyActions(state: ProjectState, actions: PlannedAction[], ctx: ActionContext): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const a of actions) entries.push(...(a.kind === 'fact' ? state.applyFact(a.fact, ctx) : state.applyStepAction(a.step, a.input, ctx)));
  return entries;
}

/** What applying an event did: applied with its entries, or not, with the reason. */
export type EventOutcome = { status: 'applied'; effect: EventEffect; entries: TimelineEntry[] } | { status: 'needs_attention'; reason: string; retryable: boolean };

/**
 * Applies an event to a project through the step actions and facts it maps to (all or none), back-dated to its
 * `occurredAt`; `ctx.at` is the instant of recording, `ctx.actor` who records it (the source's system account).
 * @returns applied with the timeline entries, or needs_attention with the reason (the state unchanged)
 */
export function applyInboundEvent(state: ProjectState, event: InboundEvent, ctx: ActionContext, sourceDepartment: DepartmentKey | null): EventOutcome {
  const plan = planInboundEvent(state, event, { sourceDepartment, now: ctx.at });
  if (!plan.ok) return { status: 'needs_attention', reason: plan.reason, retryable: plan.retryable };
  return { status: 'applied', effect: plan.effect, entries: applyActions(state, plan.actions, ctx) };
}
