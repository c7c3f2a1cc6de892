import type { EntityManager } from 'typeorm';
import type { ProjectView } from '../domain/index.js';

/**
 * The PostgreSQL channel on which the read model announces that a project changed (LISTEN/NOTIFY). Every API
 * replica listens on it and forwards the announcements to the browsers subscribed to `GET /api/v1/live`, so a
 * page refetches what an officer's action changed no matter which replica or worker wrote it.
 */
export const PROJECT_CHANGES_CHANNEL = 'project_changes';

/**
 * One announcement on {@link PROJECT_CHANGES_CHANNEL}: which project changed and enough to decide which pages
 * care. Carries nothing a signed-in user may not read (every role may read every project), never comments or
 * actors. Sent only after the write commits (NOTIFY is transactional), in commit order per project.
 */
export interface ProjectChange {
  /** The project's code. */
  code: string;
  /** The project's state version now stored (a later announcement of the same project has a larger or equal one). */
  version: number;
  stage: string;
  /** `active` | `suspended` | `completed` | `cancelled`. */
  status: string;
  /** The project's worst light now. */
  light: string;
  /** Departments with a step in the project: whose work queues may show it (sorted, distinct). */
  departments: string[];
  /** The largest timeline `seq` written by this change, or null when no timeline entry was new. */
  timelineSeq: number | null;
}

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; ours stay far below, this is the guard. */
const MAX_PAYLOAD_BYTES = 7900;

/**
 * The announcement of a read-model write of `view` that stored the timeline entries numbered `insertedSeqs`.
 * @returns the payload as JSON, under {@link MAX_PAYLOAD_BYTES} bytes (the department list is dropped, never the code, should it ever be longer)
 */
export function projectChangePayload(view: ProjectView, insertedSeqs: readonly number[]): string {
  const change: ProjectChange = {
    code: view.code,
    version: view.version,
    stage: view.stage,
    status: view.status,
    light: view.light,
    departments: [...new Set(view.steps.map((s) => s.department))].sort(),
    timelineSeq: insertedSeqs.length > 0 ? Math.max(...insertedSeqs) : null,
  };
  const json = JSON.stringify(change);
  return Buffer.byteLength(json) < MAX_PAYLOAD_BYTES ? json : JSON.stringify({ ...change, departments: [] });
}

/**
 * Queues the announcement inside the caller's transaction: listeners hear it when (and only if) it commits.
 * @param em the transaction's entity manager
 * @param payload from {@link projectChangePayload}
 */
export async function notifyProjectChange(em: EntityManager, payload: string): Promise<void> {
  await em.query('SELECT pg_notify($1, $2)', [PROJECT_CHANGES_CHANNEL, payload]);
}

/**
 * Parses an announcement heard on {@link PROJECT_CHANGES_CHANNEL}.
 * @returns the change, or null when the payload is not one (e.g. sent by hand with psql)
 */
export function parseProjectChange(payload: string | undefined): ProjectChange | null {
  if (!payload) return null;
  try {
    const p = JSON.parse(payload) as Partial<ProjectChange>;
    if (typeof p.code !== 'string' || typeof p.version !== 'number') return null;
    return {
      code: p.code,
      version: p.version,
      stage: typeof p.stage === 'string' ? p.stage : '',
      status: typeof p.status === 'string' ? p.status : '',
      light: typeof p.light === 'string' ? p.light : '',
      departments: Array.isArray(p.departments) ? p.departments.filter((d): d is string => typeof d === 'string') : [],
      timelineSeq: typeof p.timelineSeq === 'number' ? p.timelineSeq : null,
    };
  } catch {
    return null;
  }
}
