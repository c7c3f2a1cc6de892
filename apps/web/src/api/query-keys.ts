/**
 * The TanStack Query keys of the workbench, one place for every page.
 *
 * Convention (the live stream in `live.ts` relies on it, so keep to it):
 * - A key is an array whose FIRST element names the resource (`'project'`, `'tasks'`, …) and never changes;
 *   what follows narrows it: a project code, then (for lists) ONE plain object of the request's query
 *   parameters exactly as sent to the API (leave out undefined fields so equal filters give equal keys).
 * - Per-project data carries the code as the SECOND element: `['project', code]`, `['timeline', code]`.
 *   When the project changes, both are invalidated by that exact prefix.
 * - Lists and aggregates that may contain any project (work queue, stuck list, overview summary, project list,
 *   notifications, events) are invalidated by their first element only, so every filter/page variant refetches
 *   (only the ones mounted on a page actually refetch; the rest are just marked stale).
 * - Reference data that no officer's action changes (the calendar) has its own keys and is never invalidated by
 *   the live stream.
 *
 * Use the builders, not literal arrays: `useQuery({ queryKey: queryKeys.tasks(params), queryFn: … })`.
 * Invalidate by the prefixes: `queryClient.invalidateQueries({ queryKey: queryKeys.all.tasks })`.
 */
export const queryKeys = {
  /** Prefixes: matching every variant of a resource (for invalidation). */
  all: {
    project: ['project'] as const,
    timeline: ['timeline'] as const,
    projects: ['projects'] as const,
    tasks: ['tasks'] as const,
    stuck: ['stuck'] as const,
    summary: ['summary'] as const,
    notifications: ['notifications'] as const,
    events: ['events'] as const,
    calendar: ['calendar'] as const,
  },
  /** GET /api/v1/projects/{code}: one project with its steps. */
  project: (code: string) => ['project', code] as const,
  /** GET /api/v1/projects/{code}/timeline: its audit trail (params: paging, if any). */
  timeline: (code: string, params?: object) => (params ? (['timeline', code, params] as const) : (['timeline', code] as const)),
  /** GET /api/v1/projects: the project list with its filters/paging. */
  projects: (params: object = {}) => ['projects', params] as const,
  /** GET /api/v1/tasks: the caller's work queue with its filters/paging. */
  tasks: (params: object = {}) => ['tasks', params] as const,
  /** GET /api/v1/supervision/stuck: the supervisors' stuck list with its filters/sort/paging. */
  stuck: (params: object = {}) => ['stuck', params] as const,
  /** GET /api/v1/supervision/summary: the overview's counts. */
  summary: (params: object = {}) => ['summary', params] as const,
  /** GET /api/v1/notifications: reminders and escalations with their filters/paging. */
  notifications: (params: object = {}) => ['notifications', params] as const,
  /** GET /api/v1/events: the event feed. */
  events: (params: object = {}) => ['events', params] as const,
  /** GET /api/v1/calendar/{year}: a year's working-day calendar (not touched by project changes). */
  calendar: (year: number) => ['calendar', year] as const,
  /** GET /api/v1/calendar/deadline: the deadline calculator's answer for its inputs. */
  deadline: (params: object) => ['calendar', 'deadline', params] as const,
};

/**
 * The key prefixes to invalidate when a project changes: that project's own data and every list or aggregate
 * that may show it. Used by the live stream; a page may also call it after its own successful action.
 * @param code the project's code, e.g. `XM-2025-0001`
 */
export function keysTouchedByProject(code: string): ReadonlyArray<readonly unknown[]> {
  return [
    queryKeys.project(code),
    queryKeys.timeline(code),
    queryKeys.all.projects,
    queryKeys.all.tasks,
    queryKeys.all.stuck,
    queryKeys.all.summary,
    queryKeys.all.notifications,
    queryKeys.all.events,
  ];
}
