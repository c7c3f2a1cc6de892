/**
 * Where each figure of the overview leads: the project list or the stuck list, filtered by what the figure
 * counts. Both lists read their filters from the URL query (the API's own parameter names: stage, light,
 * department, district, kind, dueFrom, dueTo), so a link is the filtered list.
 */

/** Filters of `GET /projects` a link may carry. */
export interface ProjectsLinkFilters {
  stage?: string;
  light?: string;
  department?: string;
  district?: string;
  status?: string;
  dueFrom?: string;
  dueTo?: string;
}

/** Filters of `GET /supervision/stuck` a link may carry. */
export interface StuckLinkFilters {
  kind?: string;
  department?: string;
  district?: string;
  stage?: string;
  light?: string;
}

function withQuery(path: string, filters: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (typeof v === 'string' && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The project list filtered, e.g. `/projects?stage=permits&light=red`. */
export function projectsLink(filters: ProjectsLinkFilters = {}): string {
  return withQuery('/projects', filters);
}

/** The stuck list filtered, e.g. `/stuck?kind=statutory_overdue&department=ecology_environment`. */
export function stuckLink(filters: StuckLinkFilters = {}): string {
  return withQuery('/stuck', filters);
}

/** A light × stage cell: the running projects of that stage whose worst light is that one. */
export function lightStageLink(stage: string, light: string): string {
  return projectsLink({ stage, light });
}

/**
 * A department's bar: the projects with an open step of that department; a light segment narrows to the
 * projects whose worst light is that one (the API filters projects by their light, not the step's).
 */
export function departmentLink(department: string, light?: string): string {
  return projectsLink({ department, light });
}

/** A district's bar: its projects, or with a light those whose worst light it is; `stuck` the district's stuck list. */
export function districtLink(district: string, light?: string | 'stuck'): string {
  return light === 'stuck' ? stuckLink({ district }) : projectsLink({ district, light });
}

/** Steps past the statutory limit (超法定时限), all or one department's: the stuck list of that kind. */
export function statutoryOverdueLink(department?: string): string {
  return stuckLink({ kind: 'statutory_overdue', department });
}

/** Stuck projects, all or of one kind (statutory_overdue, overdue, idle, at_risk). */
export function stuckKindLink(kind?: string): string {
  return stuckLink({ kind });
}

/** Projects with a step deadline from `from` to `to` (days, Asia/Shanghai), both included. */
export function dueSoonLink(from: string, to: string): string {
  return projectsLink({ dueFrom: from, dueTo: to });
}

/**
 * The link an ECharts click leads to: every clickable data item of the overview carries its `link`.
 * @returns the path, or null when the clicked thing has none (an axis label, a legend)
 */
export function linkOfClick(params: { data?: unknown }): string | null {
  const data = params.data as { link?: unknown } | null | undefined;
  return data && typeof data.link === 'string' ? data.link : null;
}
