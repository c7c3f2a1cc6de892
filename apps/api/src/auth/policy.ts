import type { AuthenticatedUser, Role } from '../../../../libs/auth/index.js';
import { EXTENSION_APPROVAL, type DepartmentKey } from '../../../../libs/domain/index.js';

/**
 * Who may do what — the one place the API's authorization rules live (DESIGN.md §5). Read a row as
 * "a <role> may <permission> on <scope>":
 * - `any`: whatever the target;
 * - `own_department`: only when the target (a step, a work queue, a notice list) belongs to the caller's department;
 * - a department key: only callers whose token names that department.
 * A permission with no row for any of the caller's roles is refused; so is a row whose scope does not hold.
 * Where a statute names who decides (an extension 延期: the head of the agency), the row comes from the domain's rule
 * (libs/domain/step-authority.ts) and this table is the one place it is checked.
 */
export type Permission =
  | 'project.read' // GET /projects, /projects/{code}, /projects/{code}/timeline
  | 'project.register' // POST /projects
  | 'project.cancel' // POST /projects/{code}/actions {cancel}
  | 'project.suspend' // POST /projects/{code}/actions {suspend}
  | 'project.resume' // POST /projects/{code}/actions {resume}
  | 'project.escalate' // POST /projects/{code}/actions {escalate} (督办)
  | 'project.migrate_track' // POST /projects/{code}/track-migration (a running project moves to a newer version of its track)
  | 'step.act' // POST /projects/{code}/steps/{step}/actions {receive, accept, return, resubmit, approve, deliver, waive, reject, exclude, end_exclusion, renew}
  | 'step.reassign' // POST /projects/{code}/steps/{step}/actions {reassign}
  | 'step.extend' // POST /projects/{code}/steps/{step}/actions {extend} (延期: the head of the agency, 行政许可法 Art. 42)
  | 'tasks.read' // GET /tasks
  | 'notifications.read' // GET /notifications
  | 'supervision.read' // GET /supervision/stuck, /supervision/summary
  | 'calendar.read' // GET /calendar/{year}, /calendar/deadline
  | 'calendar.load' // PUT /calendar/{year}
  | 'definition.load' // POST /tracks (publishes a new version of a track definition)
  | 'track.read' // GET /tracks, /tracks/schema, /tracks/{key}/versions/{n}
  | 'track.dry_run' // POST /tracks/dry-run (checks a definition and schedules it; stores nothing)
  | 'event.post' // POST /events (inbound facts from other systems, e.g. the land price paid)
  | 'event.read' // GET /events (inbound events needing attention, parked, applied)
  | 'ledger.import'; // POST /imports (the district's ledger 重大项目台账)

/** Where a row applies. */
export type Scope = 'any' | 'own_department' | DepartmentKey;

/** One row of {@link POLICY}. */
export interface PolicyRow {
  permission: Permission;
  role: Role;
  scope: Scope;
}

const row = (permission: Permission, role: Role, scope: Scope): PolicyRow => ({ permission, role, scope });

/* prettier-ignore */
export const POLICY: readonly PolicyRow[] = [
  //   permission            role               scope
  row('project.read',        'officer',         'any'),
  row('project.read',        'department_head', 'any'),
  row('project.read',        'supervisor',      'any'),
  row('project.read',        'admin',           'any'),
  row('project.read',        'system',          'any'),
  row('calendar.read',       'officer',         'any'),
  row('calendar.read',       'department_head', 'any'),
  row('calendar.read',       'supervisor',      'any'),
  row('calendar.read',       'admin',           'any'),
  row('calendar.read',       'system',          'any'),
  row('project.register',    'officer',         'project_office'),
  row('project.register',    'department_head', 'project_office'),
  row('project.register',    'supervisor',      'any'),
  row('project.cancel',      'officer',         'project_office'),
  row('project.cancel',      'department_head', 'project_office'),
  row('project.cancel',      'supervisor',      'any'),
  row('project.suspend',     'supervisor',      'any'),
  row('project.resume',      'supervisor',      'any'),
  row('project.escalate',    'supervisor',      'any'),
  row('project.migrate_track', 'admin',         'any'),
  row('project.migrate_track', 'department_head', 'project_office'),
  row('step.act',            'officer',         'own_department'),
  row('step.act',            'department_head', 'own_department'),
  row('step.reassign',       'department_head', 'own_department'),
  row('step.extend',         EXTENSION_APPROVAL.role, EXTENSION_APPROVAL.scope),
  row('tasks.read',          'officer',         'own_department'),
  row('tasks.read',          'department_head', 'own_department'),
  row('tasks.read',          'supervisor',      'any'),
  row('notifications.read',  'officer',         'own_department'),
  row('notifications.read',  'department_head', 'own_department'),
  row('notifications.read',  'supervisor',      'any'),
  row('notifications.read',  'admin',           'any'),
  row('supervision.read',    'supervisor',      'any'),
  row('calendar.load',       'admin',           'any'),
  row('definition.load',     'admin',           'any'),
  row('track.read',          'officer',         'any'),
  row('track.read',          'department_head', 'any'),
  row('track.read',          'supervisor',      'any'),
  row('track.read',          'admin',           'any'),
  row('track.read',          'system',          'any'),
  row('track.dry_run',       'admin',           'any'),
  row('event.post',          'system',          'any'),
  row('event.read',          'officer',         'project_office'),
  row('event.read',          'department_head', 'project_office'),
  row('event.read',          'supervisor',      'any'),
  row('ledger.import',       'officer',         'project_office'),
  row('ledger.import',       'department_head', 'project_office'),
  row('ledger.import',       'admin',           'any'),
];

/** What a refusal says a permission is for (the rule by name), and what `own_department` restricts. */
const RULE_TEXT: Record<Permission, { who: string; own?: string }> = {
  'project.read': { who: 'reading projects is for authenticated users' },
  'project.register': { who: 'registering a project is for officers and heads of project_office, and supervisors' },
  'project.cancel': { who: 'cancelling a project is for officers and heads of project_office, and supervisors' },
  'project.suspend': { who: 'suspending a project (special procedure) is for supervisors' },
  'project.resume': { who: 'resuming a suspended project is for supervisors' },
  'project.escalate': { who: 'escalating a project is for supervisors' },
  'project.migrate_track': { who: 'moving a project to a newer version of its track is for admins and the heads of project_office' },
  'step.act': { who: "acting on a step is for officers and heads of the step's department", own: 'act only on steps of their own department' },
  'step.reassign': { who: "reassigning a step is for the head of the step's department", own: 'reassign only within their own department' },
  'step.extend': {
    who: `extending a step's time limit (延期) is for the head of the step's department: ${EXTENSION_APPROVAL.statute}`,
    own: 'extend only steps of their own department',
  },
  'tasks.read': { who: 'work queues are for officers, department heads and supervisors', own: "see only their own department's work queue" },
  'notifications.read': { who: 'notifications are for officers, department heads, supervisors and admins', own: "see only their own department's notifications" },
  'supervision.read': { who: 'the supervision lists are for supervisors' },
  'calendar.read': { who: 'reading the calendar is for authenticated users' },
  'calendar.load': { who: 'loading a holiday notice is for admins' },
  'definition.load': { who: 'loading track definitions is for admins' },
  'track.read': { who: 'reading track definitions is for authenticated users' },
  'track.dry_run': { who: 'the dry run of a track definition is for admins' },
  'event.post': { who: 'inbound events are for the system role' },
  'event.read': { who: 'the inbound events list is for officers and heads of project_office, and supervisors' },
  'ledger.import': { who: 'importing the ledger is for officers and heads of project_office, and admins' },
};

/** The thing acted on, for `own_department` rows: its department and how to name it in a refusal. */
export interface PolicyTarget {
  department: DepartmentKey;
  /** e.g. `step energy_review`, `the work queue`. */
  label: string;
}

/** The outcome of {@link decide}: allowed, or refused with the rule (`permission:scope`) and a sentence saying why. */
export type Decision = { allowed: true } | { allowed: false; rule: string; detail: string };

const PLURAL: Record<Role, string> = {
  officer: 'officers',
  department_head: 'department heads',
  supervisor: 'supervisors',
  admin: 'admins',
  system: 'system callers',
};

/**
 * Decides whether `user` may exercise `permission` on `target` by {@link POLICY}.
 * Input: the authenticated user (roles and department from the token); the target's department for
 * `own_department` rows (without one, such a row holds only when the caller names no other department).
 * @returns allowed, or the refusing rule and a detail such as "officers act only on steps of their own department
 * (natural_resources); step energy_review belongs to development_reform"
 */
export function decide(user: AuthenticatedUser, permission: Permission, target?: PolicyTarget): Decision {
  const rows = POLICY.filter((r) => r.permission === permission && user.roles.includes(r.role));
  if (rows.some((r) => holds(r.scope, user, target))) return { allowed: true };
  const text = RULE_TEXT[permission];
  const ownRow = rows.find((r) => r.scope === 'own_department');
  if (ownRow && target && text.own) {
    return {
      allowed: false,
      rule: `${permission}:own_department`,
      detail: `${PLURAL[ownRow.role]} ${text.own} (${user.department}); ${target.label} belongs to ${target.department}`,
    };
  }
  const deptRow = rows.find((r) => r.scope !== 'any' && r.scope !== 'own_department');
  if (deptRow) {
    return { allowed: false, rule: `${permission}:${deptRow.scope}`, detail: `${text.who}; your department is ${user.department}` };
  }
  return { allowed: false, rule: `${permission}:roles`, detail: `${text.who}; your roles: ${user.roles.join(', ')}` };
}

/** True when one of the user's roles holds `permission` on any target (no department restriction). */
export function reachesEveryDepartment(user: AuthenticatedUser, permission: Permission): boolean {
  return POLICY.some((r) => r.permission === permission && r.scope === 'any' && user.roles.includes(r.role));
}

function holds(scope: Scope, user: AuthenticatedUser, target: PolicyTarget | undefined): boolean {
  if (scope === 'any') return true;
  if (scope === 'own_department') return target === undefined || target.department === user.department;
  return user.department === scope;
}

/** The permission a project-level action needs. */
export function projectActionPermission(action: string): Permission {
  return action === 'cancel' ? 'project.cancel' : action === 'resume' ? 'project.resume' : action === 'escalate' ? 'project.escalate' : 'project.suspend';
}

/**
 * The permission a step action needs: `step.reassign` for reassign, `step.extend` for extend (延期), `step.act` for
 * every other action (receive, accept, return, resubmit, approve, deliver, waive, reject, exclude, end_exclusion, renew).
 */
export function stepActionPermission(action: string): Permission {
  return action === 'reassign' ? 'step.reassign' : action === 'extend' ? 'step.extend' : 'step.act';
}
