import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Client, ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { createHash } from 'node:crypto';
import { canonicalYuan, ProjectState, shanghaiTime, type Actor } from '../../../../libs/domain/index.js';
import { planInboundEvent, type InboundEvent, type InboundEventType } from '../../../../libs/domain/inbound-events.js';
import { LEGACY_SOURCE, parseEventSources, verifyEventSignature, type EventSource } from '../../../../libs/inbound-events/signature.js';
import { InboundEventsRepository, type InboundEventRow } from '../../../../libs/persistence/inbound-events.repository.js';
import { ProjectReadModelRepository, TrackRegistry } from '../../../../libs/persistence/index.js';
import {
  awaitSyncedUpdate,
  projectFactUpdate,
  projectWorkflowId,
  stepActionUpdate,
  type ActionResult,
  type IdempotencyKey,
} from '../../../../libs/temporal/project.contract.js';
import type { projectWorkflow } from '../../../../workflows/project.workflow.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import type { ListEnvelope } from '../common/pagination.dto.js';
import type { ActionResultDto } from '../projects/dto/project.response.js';
import { timelineEntry } from '../projects/project.mapper.js';
import { ProjectsService } from '../projects/projects.service.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module.js';
import type { EventStatus, InboundEventDto } from './dto/inbound-event.response.js';
import { isEventShape, type PostEventDto } from './dto/post-event.dto.js';
import { ProjectRegistrations } from './project-registrations.js';

/** The headers and bytes a signature is checked on. */
export interface SignedRequest {
  rawBody: Buffer | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** What `POST /events` answers: the former fact's action result, or the event and what became of it. */
export type PostEventAnswer = { shape: 'fact'; body: ActionResultDto } | { shape: 'event'; body: InboundEventDto; replayed: boolean };

/**
 * Events from other systems (`POST /events`). Each source signs its body (EVENT_SOURCES); an event is idempotent by
 * (source, id) in the inbound_events table; it is applied to its project through the step actions it maps to
 * (libs/domain/tracks/event-mappings.json), each sent to the project's workflow like an officer's action, back-dated to
 * occurredAt; an event for a project not registered yet is parked and applied when it registers; one that does not fit
 * needs a person's attention. Events of one project are handled one at a time, in arrival order; the ones waiting
 * (parked, or refused because a step was still blocked) are tried again in occurredAt order after each applied event.
 *
 * The former body ({ kind: 'land_price_paid', … }) keeps its former answer and refusals; it is the source `legacy`,
 * its id derived from the Idempotency-Key; it is signed with EVENT_SOURCES.legacy's secret when that source is
 * configured, and accepted on the token alone when it is not.
 */
@Injectable()
export class EventsService implements OnModuleInit {
  private readonly sources: Record<string, EventSource>;
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly log = new Logger(EventsService.name);

  constructor(
    private readonly projects: ProjectsService,
    private readonly events: InboundEventsRepository,
    private readonly readModel: ProjectReadModelRepository,
    private readonly registrations: ProjectRegistrations,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly tracks: TrackRegistry,
  ) {
    const { sources, problems } = parseEventSources(process.env.EVENT_SOURCES);
    if (problems.length > 0) throw new Error(problems.join('; '));
    this.sources = sources;
  }

  onModuleInit(): void {
    this.registrations.on((code) => this.afterRegistration(code));
  }

  /**
   * Checks the body's signature for its source (before anything is stored).
   * @throws ApiProblem AUTH.UNAUTHENTICATED (401) with the reason: unknown source, bad or missing signature, stale timestamp
   */
  verify(dto: PostEventDto, req: SignedRequest): void {
    const name = isEventShape(dto) ? dto.source! : LEGACY_SOURCE;
    if (name === LEGACY_SOURCE && !isEventShape(dto) && !this.sources[LEGACY_SOURCE]) return;
    const result = verifyEventSignature({ sourceName: name, source: this.sources[name], ...req, nowMs: Date.now() });
    if (!result.ok) throw new ApiProblem(ApiErrorCode.Unauthenticated, `event signature refused: ${result.reason}`);
  }

  /**
   * Takes one event (after {@link verify}). Input: the validated body, the caller and the write's idempotency key.
   * @returns the former shape's action result, or the event's status (a repeat: the first answer, `replayed`)
   * @throws ApiProblem REQUEST.INVALID (a former field in the event shape), IDEMPOTENCY.KEY_REUSED (422: the same source
   *   and id with another body), IDEMPOTENCY.IN_PROGRESS (409: the first is still being applied); the former shape: as
   *   ProjectsService.recordFact
   */
  async post(dto: PostEventDto, actor: Actor, idempotencyKey: IdempotencyKey): Promise<PostEventAnswer> {
    if (!isEventShape(dto)) {
      const body = await this.projects.recordFact(
        dto.projectCode,
        {
          kind: dto.kind!,
          occurredAt: dto.occurredAt,
          reference: dto.reference?.trim() || null,
          amountYuan: dto.amountYuan === undefined || dto.amountYuan === null ? null : canonicalYuan(dto.amountYuan),
        },
        actor,
        idempotencyKey,
      );
      // Recorded as the source `legacy` under the write's idempotency key, so the project's waiting events follow it.
      const legacy = { source: LEGACY_SOURCE, eventId: idempotencyKey, type: dto.kind!, projectCode: dto.projectCode, occurredAt: new Date(dto.occurredAt).toISOString() };
      const claimed = await this.events.claim({ ...legacy, data: {}, bodySha256: createHash('sha256').update(JSON.stringify(dto)).digest('hex'), receivedBy: actor.id });
      if (claimed.kind === 'new') {
        const answer = toRowDto({ ...legacy, receivedAt: new Date().toISOString(), appliedAt: new Date().toISOString() }, 'applied', null, body.entries);
        await this.events.settle(LEGACY_SOURCE, idempotencyKey, { status: 'applied', reason: null, result: answer });
      }
      await this.serial(dto.projectCode, () => this.drain(dto.projectCode));
      return { shape: 'fact', body };
    }
    for (const field of ['reference', 'amountYuan'] as const) {
      if (dto[field] !== undefined) {
        const message = `${field} belongs to the former body; with type, put it in data`;
        throw new ApiProblem(ApiErrorCode.RequestInvalid, message, [{ field, message }]);
      }
    }
    const event: InboundEvent = {
      id: dto.id!,
      source: dto.source!,
      type: dto.type!,
      projectCode: dto.projectCode,
      occurredAt: new Date(dto.occurredAt).toISOString(),
      data: dto.data ?? {},
    };
    const bodySha256 = createHash('sha256').update(JSON.stringify([event.type, event.projectCode, event.occurredAt, event.data])).digest('hex');
    const claim = await this.events.claim({ ...event, eventId: event.id, bodySha256, receivedBy: actor.id });
    if (claim.kind === 'mismatch') {
      throw new ApiProblem(ApiErrorCode.IdempotencyKeyReused, `event ${event.source}/${event.id} was received before with another body; send a new id for a new event`);
    }
    if (claim.kind === 'repeat') {
      if (claim.row.status === 'received') {
        throw new ApiProblem(ApiErrorCode.IdempotencyInProgress, `event ${event.source}/${event.id} is still being applied; retry in a few seconds`, undefined, { 'Retry-After': '2' });
      }
      return { shape: 'event', body: claim.row.result as InboundEventDto, replayed: true };
    }
    try {
      const body = await this.serial(event.projectCode, async () => {
        const answer = await this.apply(event);
        if (answer.status === 'applied') await this.drain(event.projectCode);
        return answer;
      });
      return { shape: 'event', body, replayed: false };
    } catch (err) {
      await this.events.release(event.source, event.id).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Events of one status, newest first, one page, with their reasons.
   * @returns the list envelope of DESIGN.md §5
   */
  async list(status: EventStatus, page: { page: number; pageSize: number }): Promise<ListEnvelope<InboundEventDto>> {
    const { items, total } = await this.events.list(status, page);
    return { items: items.map((r) => toDto(r, r.status as EventStatus, r.reason, entriesOf(r.result))), total, ...page };
  }

  /** After a project registered: its parked events, in occurredAt order. */
  private afterRegistration(code: string): Promise<void> {
    return this.serial(code, () => this.drain(code));
  }

  /** Runs `fn` after every earlier task of the same project (one at a time per project, in this API instance). */
  private serial<T>(code: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(code) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    this.queues.set(code, tail);
    void tail.then(() => {
      if (this.queues.get(code) === tail) this.queues.delete(code);
    });
    return run;
  }

  /** Tries the project's waiting events (parked, retryable) in occurredAt order until a pass applies none. */
  private async drain(code: string): Promise<void> {
    for (let pass = 0; pass < 20; pass += 1) {
      const waiting = await this.events.waitingFor(code);
      let applied = 0;
      for (const row of waiting) {
        const event: InboundEvent = { id: row.eventId, source: row.source, type: row.type as InboundEventType, projectCode: row.projectCode, occurredAt: row.occurredAt, data: row.data };
        if ((await this.apply(event, row)).status === 'applied') applied += 1;
      }
      if (applied === 0) return;
    }
  }

  /**
   * Applies one claimed event and stores what became of it (parked, duplicate, needs_attention or applied).
   * @param stored the stored row when it is tried again (its receivedAt is kept; a still-unfit retry keeps its status quietly)
   * @returns the answer stored for repeats
   */
  private async apply(event: InboundEvent, stored?: InboundEventRow): Promise<InboundEventDto> {
    const receivedAt = stored?.receivedAt ?? new Date().toISOString();
    const row = { ...event, eventId: event.id, receivedAt, appliedAt: null as string | null };
    const settle = async (status: EventStatus, reason: string | null, retryable = false, entries: ActionResult['entries'] = []) => {
      if (stored && stored.status === status && status !== 'applied') return toRowDto(row, stored.status as EventStatus, stored.reason, []);
      const answer = toRowDto({ ...row, appliedAt: status === 'applied' ? new Date().toISOString() : null }, status, reason, entries.map(timelineEntry));
      await this.events.settle(event.source, event.id, { status, reason, retryable, result: answer });
      return answer;
    };
    if (!(await this.readModel.exists(event.projectCode))) {
      return settle('parked', `project ${event.projectCode} is not registered yet; the event is applied when it registers`);
    }
    const twin = await this.events.appliedTwin({ ...event, eventId: event.id });
    if (twin) return settle('duplicate', `the same ${event.type} of ${shanghaiTime(event.occurredAt)} was applied from ${twin.source}/${twin.eventId}`);

    const handle = this.temporal.workflow.getHandle<typeof projectWorkflow>(projectWorkflowId(event.projectCode));
    const snapshot = await handle.executeUpdate(awaitSyncedUpdate).catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError || (err instanceof ServiceError && /already completed|not found/i.test(err.message))) return null;
      throw err;
    });
    if (!snapshot) return settle('needs_attention', `project ${event.projectCode} is closed; no further actions are possible`);
    // The pinned definition, shipped or published (reloaded when another replica published it since): its own event
    // mappings, when it has them, say what the event does.
    const state = ProjectState.restore(await this.tracks.definition(snapshot.track, snapshot.definitionVersion), snapshot);
    const source = this.sources[event.source];
    const plan = planInboundEvent(state, event, { sourceDepartment: source?.department ?? null, now: new Date().toISOString() });
    const later = await this.events.lastApplied(event.projectCode);
    const outOfOrder = later && Date.parse(later.occurredAt) > Date.parse(event.occurredAt) ? `arrived after ${later.source}/${later.eventId} (${shanghaiTime(later.occurredAt)}) was applied: ` : '';
    if (!plan.ok) return settle('needs_attention', outOfOrder + plan.reason, plan.retryable);

    const actor: Actor = { id: event.source, department: source?.department ?? null, roles: ['system'] };
    const key = createHash('sha256').update(`${event.source}\u0000${event.id}`).digest('hex').slice(0, 32);
    const entries: ActionResult['entries'] = [];
    for (const [i, action] of plan.actions.entries()) {
      const requestId = `event:${key}:${i}`;
      try {
        const result =
          action.kind === 'fact'
            ? await handle.executeUpdate(projectFactUpdate, { args: [{ ...action.fact, actor, requestId }], updateId: requestId })
            : await handle.executeUpdate(stepActionUpdate, { args: [{ ...action.input, step: action.step, actor, requestId }], updateId: requestId });
        entries.push(...result.entries);
      } catch (err) {
        const refusal = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause.message : null;
        if (refusal === null) throw err;
        // The project moved between the check and the action (an officer acted meanwhile): what was taken stays.
        const done = plan.actions.slice(0, i).map((a) => (a.kind === 'fact' ? a.fact.kind : `${a.step}:${a.input.action}`));
        this.log.warn(`event ${event.source}/${event.id} refused after ${done.length} action(s): ${refusal}`);
        return settle('needs_attention', `${outOfOrder}${done.length > 0 ? `applied ${done.join(', ')}, then ` : ''}refused: ${refusal}`, false, entries);
      }
    }
    return settle('applied', null, false, entries);
  }
}

type RowLike = Pick<InboundEventRow, 'eventId' | 'source' | 'type' | 'projectCode' | 'occurredAt' | 'receivedAt' | 'appliedAt'>;

function toRowDto(r: RowLike, status: EventStatus, reason: string | null, entries: InboundEventDto['entries']): InboundEventDto {
  return { id: r.eventId, source: r.source, type: r.type, projectCode: r.projectCode, occurredAt: r.occurredAt, status, reason, receivedAt: r.receivedAt, appliedAt: r.appliedAt, entries };
}

function toDto(r: InboundEventRow, status: EventStatus, reason: string | null, entries: InboundEventDto['entries']): InboundEventDto {
  return toRowDto(r, status, reason, entries);
}

function entriesOf(result: unknown): InboundEventDto['entries'] {
  const entries = (result as { entries?: unknown } | null)?.entries;
  return Array.isArray(entries) ? (entries as InboundEventDto['entries']) : [];
}
