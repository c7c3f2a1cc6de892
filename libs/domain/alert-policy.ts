/*
 * The alert policy: who receives which automatic notice, of which kind, in which words. The workflow finds the
 * alerts that are due (the clocks' thresholds) and asks this policy for the notice of each; it only schedules the
 * outbox activity. Pure and deterministic (no clock, no I/O): it runs inside the workflow and in replays.
 */
import { toShanghaiDate } from '../calendar/index.js';
import { projectDeadlineKeyOf } from './project/clocks.js';
import type { AuxClockRecord, DueAlert, ProjectSnapshot, StepDefinition, StepRecord, TimelineEntry, TrackDefinition } from './index.js';
import {
  certificateAlertText,
  deadlineAlertText,
  escalationText,
  expiryLapsedText,
  expiryWarningText,
  statutoryOverdueText,
  type NoticeSubject,
} from './notice-texts.js';

/** Kinds of automatic notices (wire values of the outbox's `kind`; this order is the API's enum). */
export const NOTICE_KINDS = [
  'yellow',
  'red',
  'escalation',
  'escalation_repeat',
  'project_yellow',
  'project_red',
  'statutory_overdue',
  'certificate_yellow',
  'certificate_red',
  'expiry_warning',
  'expiry_lapsed',
] as const;

/** One of {@link NOTICE_KINDS}. */
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Who receives a notice: a role within a department, or the district's supervisors (督办). */
export type NoticeRecipient = { role: 'officers' | 'head'; department: string } | { role: 'supervisors' };

/** One notice for the outbox (the shape of the notification contract). Instants ISO 8601 UTC; dates YYYY-MM-DD (Asia/Shanghai). */
export interface Notice {
  /** Unique per (project, clock, alert, deadline, alert id): a retry or replay never sends twice. */
  dedupeKey: string;
  projectCode: string;
  projectName: string;
  /** null for project-level deadlines. */
  step: string | null;
  stepName: string | null;
  kind: NoticeKind;
  recipients: NoticeRecipient[];
  /** The department whose channel carries it (the step's department; `project_office` for project-level). */
  department: string;
  /** The deadline it is about. */
  dueAt: string;
  /** Workflow time at which the threshold fired. */
  firedAt: string;
  /** Working days overdue (0 before the deadline). */
  overdueWorkingDays: number;
  /** A sentence for people, in Chinese and English. */
  message: string;
}

/** The kinds of alert a clock fires (its thresholds). */
export type AlertKind = DueAlert['kind'];

/**
 * What a clock's alert is about: a step's own limit (and a receipt's acceptance window), a project deadline (the
 * major-project office's), a certificate's delivery (送达, 行政许可法 Art. 44) or a validity that lapses (expiry).
 */
export type AlertSubject = 'step' | 'project_deadline' | 'certificate' | 'expiry';

/**
 * Who, relative to the clock: its department's officers or head (`project_office` for project deadlines), the
 * district's supervisors, or the major-project office's officers (who follow every validity).
 */
export type Audience = 'officers' | 'head' | 'supervisors' | 'project_office_officers';

/** Which wording of notice-texts.ts a notice takes. */
export type NoticeText = 'deadline' | 'certificate' | 'expiry_warning' | 'expiry_lapsed' | 'statutory';

/** One row of {@link ALERT_POLICY}: the notice's kind, its recipients in order, its words. */
export interface AlertRule {
  notice: NoticeKind;
  audience: readonly Audience[];
  text: NoticeText;
}

const rule = (notice: NoticeKind, audience: readonly Audience[], text: NoticeText): AlertRule => ({ notice, audience, text });

const OFFICERS = ['officers'] as const;
const OFFICERS_AND_HEAD = ['officers', 'head'] as const;
const SUPERVISORS_AND_HEAD = ['supervisors', 'head'] as const;
const VALIDITY_FOLLOWERS = ['officers', 'project_office_officers'] as const;
/** Past the statutory limit (法定时限) the head answers for it and the supervisors follow it, whatever the clock. */
const STATUTORY = rule('statutory_overdue', ['head', 'supervisors'], 'statutory');

/**
 * Recipients and wording per alert: yellow → the department's officers; red → its officers and head; 督办 and its
 * repeats → the supervisors and the department head; past the statutory limit → the head and the supervisors.
 * Project deadlines belong to the major-project office (`project_office`), and every kind of their alert past the
 * warning reads as overdue (`project_red`). A validity's warning and lapse go to the department's officers and
 * the project office's.
 */
/* prettier-ignore */
export const ALERT_POLICY: Readonly<Record<AlertSubject, Readonly<Partial<Record<AlertKind, AlertRule>>>>> = {
  step: {
    yellow:            rule('yellow',             OFFICERS,             'deadline'),
    red:               rule('red',                OFFICERS_AND_HEAD,    'deadline'),
    escalation:        rule('escalation',         SUPERVISORS_AND_HEAD, 'deadline'),
    escalation_repeat: rule('escalation_repeat',  SUPERVISORS_AND_HEAD, 'deadline'),
    statutory_overdue: STATUTORY,
  },
  project_deadline: {
    yellow:            rule('project_yellow',     OFFICERS,             'deadline'),
    red:               rule('project_red',        OFFICERS_AND_HEAD,    'deadline'),
    escalation:        rule('project_red',        SUPERVISORS_AND_HEAD, 'deadline'),
    escalation_repeat: rule('project_red',        SUPERVISORS_AND_HEAD, 'deadline'),
  },
  certificate: {
    yellow:            rule('certificate_yellow', OFFICERS,             'certificate'),
    red:               rule('certificate_red',    OFFICERS_AND_HEAD,    'certificate'),
    escalation:        rule('escalation',         SUPERVISORS_AND_HEAD, 'certificate'),
    escalation_repeat: rule('escalation_repeat',  SUPERVISORS_AND_HEAD, 'certificate'),
    statutory_overdue: STATUTORY,
  },
  expiry: {
    yellow:            rule('expiry_warning',     VALIDITY_FOLLOWERS,   'expiry_warning'),
    red:               rule('expiry_lapsed',      VALIDITY_FOLLOWERS,   'expiry_lapsed'),
    escalation:        rule('expiry_warning',     VALIDITY_FOLLOWERS,   'expiry_warning'),
    escalation_repeat: rule('expiry_warning',     VALIDITY_FOLLOWERS,   'expiry_warning'),
    statutory_overdue: STATUTORY,
  },
};

/** The department of project deadlines and of 督办 on them: the district's major-project office. */
export const PROJECT_DEADLINE_DEPARTMENT = 'project_office';

/** The recipients an audience names, for a clock of `department`, in the audience's order. */
export function recipientsOf(audience: readonly Audience[], department: string): NoticeRecipient[] {
  return audience.map((a): NoticeRecipient => {
    if (a === 'supervisors') return { role: 'supervisors' };
    if (a === 'project_office_officers') return { role: 'officers', department: PROJECT_DEADLINE_DEPARTMENT };
    return { role: a, department };
  });
}

/**
 * The rule of one alert.
 * @throws Error when the policy has no row for it (a statutory alert on a project deadline: project deadlines have
 *   no statutory tier)
 */
export function alertRule(subject: AlertSubject, kind: AlertKind): AlertRule {
  const found = ALERT_POLICY[subject][kind];
  if (!found) throw new Error(`the alert policy has no notice for a ${kind} alert on a ${subject} clock`);
  return found;
}

/** What the policy reads of a project: the state's lookups (ProjectState provides them). */
export interface AlertSource {
  readonly definition: TrackDefinition;
  snapshot(): ProjectSnapshot;
  auxClock(id: string): AuxClockRecord | undefined;
  stepDefinition(key: string): StepDefinition | undefined;
  step(key: string): StepRecord | undefined;
}

/** The subject of an alert on clock `aux` (undefined: a step's own clock or a project deadline). */
function subjectOf(alert: DueAlert, aux: AuxClockRecord | undefined): AlertSubject {
  if (aux?.kind === 'expiry') return 'expiry';
  if (aux?.kind === 'certificate') return 'certificate';
  return alert.step ? 'step' : 'project_deadline';
}

/** The project deadline a project clock belongs to (project clocks are `deadline:<deadline key>`). */
function projectDeadlineOf(definition: TrackDefinition, clockId: string) {
  const key = projectDeadlineKeyOf(clockId);
  return definition.projectDeadlines.find((d) => d.key === key);
}

/**
 * The outbox notice of a due alert: its kind, recipients and words by {@link ALERT_POLICY}, its dedupe key
 * `<code>|<clock>|<alert kind>|<due instant>|<alert id>` (one notice per deadline and threshold, whatever retries or
 * replays), the day it is about (`dueAt` is 24:00 of the last day, Asia/Shanghai) and the step's names.
 * @param state the project (ProjectState)
 * @param alert an alert `state.dueAlerts(now)` returned
 * @throws Error when the alert's step, certificate or project deadline is not in the project's definition
 */
export function alertNotice(state: AlertSource, alert: DueAlert): Notice {
  const snap = state.snapshot();
  const aux = state.auxClock(alert.clockId);
  const def = alert.step ? state.stepDefinition(alert.step) : undefined;
  const pd = alert.step ? undefined : projectDeadlineOf(state.definition, alert.clockId);
  const subject = subjectOf(alert, aux);
  const { notice, audience, text } = alertRule(subject, alert.kind);
  const department = def?.department ?? PROJECT_DEADLINE_DEPARTMENT;
  // The certificate's words name the certificate; every other text names the step (or the project deadline).
  const named = text === 'certificate' ? def?.certificate : (def ?? pd);
  if (!named) throw new Error(`alert ${alert.alertId} of clock ${alert.clockId} names nothing in ${snap.code}'s definition`);
  const words: NoticeSubject = {
    projectCode: snap.code,
    projectName: snap.name,
    nameZh: named.nameZh,
    name: named.name,
    dueOn: toShanghaiDate(Date.parse(alert.dueAt) - 1), // dueAt is 24:00 of the due day
    overdueWorkingDays: alert.overdueWorkingDays,
  };
  const level = alert.kind === 'statutory_overdue' ? 'red' : alert.kind;
  const message = {
    statutory: () => statutoryOverdueText(words),
    expiry_lapsed: () => expiryLapsedText(words, aux!.key),
    expiry_warning: () => expiryWarningText(words, aux!.key),
    certificate: () => certificateAlertText(level, words),
    deadline: () => deadlineAlertText(level, words),
  }[text]();
  return {
    dedupeKey: `${snap.code}|${alert.clockId}|${alert.kind}|${alert.dueAt}|${alert.alertId}`,
    projectCode: snap.code,
    projectName: snap.name,
    step: alert.step,
    stepName: def?.nameZh ?? pd?.nameZh ?? null,
    department,
    dueAt: alert.dueAt,
    firedAt: new Date(Date.parse(alert.at)).toISOString(),
    overdueWorkingDays: alert.overdueWorkingDays,
    kind: notice,
    recipients: recipientsOf(audience, department),
    message,
  };
}

/**
 * The notice of a supervisor's 督办 (a `project.escalated` entry): to the head of the department responsible for
 * the escalated step, about that step's deadline (the escalation's instant when the step has none), once per
 * escalation (dedupe key `<code>|escalate|<step>|<instant>`).
 * @throws Error when the entry names no step of the project's definition
 */
export function escalationNotice(state: AlertSource, entry: TimelineEntry): Notice {
  const snap = state.snapshot();
  const def = entry.step === null ? undefined : state.stepDefinition(entry.step);
  if (!def) throw new Error(`escalation of ${snap.code} names no step of its definition (${String(entry.step)})`);
  return {
    dedupeKey: `${snap.code}|escalate|${entry.step}|${entry.at}`,
    projectCode: snap.code,
    projectName: snap.name,
    step: entry.step,
    stepName: def.nameZh,
    kind: 'escalation',
    recipients: recipientsOf(['head'], def.department),
    department: def.department,
    dueAt: state.step(def.key)?.deadline?.dueAt ?? entry.at,
    firedAt: entry.at,
    overdueWorkingDays: 0,
    message: escalationText({ projectCode: snap.code, projectName: snap.name, nameZh: def.nameZh, name: def.name }, entry.comment, entry.actor),
  };
}
