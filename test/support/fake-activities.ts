import { createClockActivities } from '../../activities/clock.activities.js';
import { createProjectActivities } from '../../activities/project.activities.js';
import type { ProjectWorkerActivities } from '../../apps/worker/worker.js';
import type { CalendarSource } from '../../libs/calendar/index.js';
import type { ProjectSnapshot, ProjectView, TimelineEntry } from '../../libs/domain/index.js';
import type { ApplyResult } from '../../libs/persistence/index.js';
import type { NotificationRequest } from '../../libs/temporal/notification.contract.js';

/**
 * The read model in memory, with the rules of ProjectReadModelRepository.applyProject that the workflow relies on:
 * a project is written only when its version is newer than the stored one, and a timeline entry (by `seq`) is
 * stored once however often it is sent.
 */
export class InMemoryReadModel {
  private readonly views = new Map<string, ProjectView>();
  private readonly timelines = new Map<string, Map<number, TimelineEntry>>();

  /** Stores `view` unless a version as new is stored, and the entries not stored yet. */
  async applyProject(view: ProjectView, entries: TimelineEntry[]): Promise<ApplyResult> {
    const stored = this.views.get(view.code);
    const applied = !stored || stored.version < view.version;
    if (applied) this.views.set(view.code, structuredClone(view));
    const timeline = this.timelines.get(view.code) ?? new Map<number, TimelineEntry>();
    this.timelines.set(view.code, timeline);
    let timelineInserted = 0;
    for (const e of entries) {
      if (timeline.has(e.seq)) continue;
      timeline.set(e.seq, structuredClone(e));
      timelineInserted += 1;
    }
    return { applied, timelineInserted };
  }

  /** The stored project `code`, or undefined. */
  project(code: string): ProjectView | undefined {
    return this.views.get(code);
  }

  /** The stored timeline of `code`, by `seq`. */
  timeline(code: string): TimelineEntry[] {
    return [...(this.timelines.get(code)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }
}

/** Activity fakes for workflow tests, and what they were called with. */
export interface FakeActivities {
  /** To hand to createProjectWorker. */
  activities: ProjectWorkerActivities;
  /** What the real syncReadModel activity wrote, held in memory. */
  readModel: InMemoryReadModel;
  /** Every snapshot sent to syncReadModel, in order. */
  synced: ProjectSnapshot[];
  /** Every timeline entry sent, with the code of its project. */
  entries: Array<TimelineEntry & { project: string }>;
  /** Every notice put in the "outbox" (the notification sink). */
  sent: NotificationRequest[];
  /** The days the supervision snapshot activity was asked for, in order. */
  snapshots: string[];
}

/**
 * The project worker's activities with PostgreSQL replaced: the real syncReadModel over an {@link InMemoryReadModel},
 * the real clock activities over `calendar`, and a notification sink that keeps every notice it is sent (a test sees
 * a notice sent twice; the outbox would store it once by its dedupe key).
 */
export function fakeActivities(calendar: CalendarSource): FakeActivities {
  const readModel = new InMemoryReadModel();
  const synced: ProjectSnapshot[] = [];
  const entries: FakeActivities['entries'] = [];
  const sent: NotificationRequest[] = [];
  const snapshots: string[] = [];
  const project = createProjectActivities({ readModel });
  const activities: ProjectWorkerActivities = {
    async syncReadModel(input) {
      synced.push(input.snapshot);
      entries.push(...input.entries.map((e) => ({ ...e, project: input.snapshot.code })));
      return project.syncReadModel(input);
    },
    ...createClockActivities({ calendar }),
    async enqueueNotification(request) {
      sent.push(request);
      return { enqueued: true };
    },
    async snapshotSupervisionDay(day) {
      snapshots.push(day);
      return { day, outcome: 'taken', rows: 0 };
    },
  };
  return { activities, readModel, synced, entries, sent, snapshots };
}
