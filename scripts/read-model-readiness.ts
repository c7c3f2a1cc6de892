/*
 * What the start says while the API is not ready because its read model lacks projects it is rebuilding from the
 * workflows (readiness indicator `readModel`, libs/projection/reconciliation.ts).
 */

/**
 * The read model's readiness message in a 503 answer of `/api/v1/health` (a DEPENDENCY.UNAVAILABLE problem whose
 * `checks.readModel` is down, e.g. "read model lacks 303 project(s); rebuilding (120/303 checked)"), or null when the
 * answer is about something else (then the start's usual wait applies).
 */
export function readModelNotice(body: unknown): string | null {
  const checks = (body as { checks?: Record<string, { status?: string; message?: unknown }> } | null)?.checks;
  const readModel = checks?.readModel;
  if (!readModel || readModel.status !== 'down' || typeof readModel.message !== 'string') return null;
  const othersUp = Object.entries(checks).every(([name, c]) => name === 'readModel' || c.status === 'up');
  return othersUp ? readModel.message : null;
}
