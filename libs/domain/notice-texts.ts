/*
 * The wording of the automatic notices (reminders, overdue notices, 督办): one sentence in Chinese, then the same in
 * English. Recipients read these words and tests compare them, so a change here is a change people see. The alert
 * policy (alert-policy.ts) decides which text a notice gets.
 */

/** What a notice is about, as its words name it. `dueOn` is the last day (Asia/Shanghai, YYYY-MM-DD). */
export interface NoticeSubject {
  projectCode: string;
  projectName: string;
  /** The step's, certificate's or project deadline's names (Chinese, English). */
  nameZh: string;
  name: string;
  dueOn: string;
  /** Working days past the deadline (0 before it). */
  overdueWorkingDays: number;
}

/** The four levels of a deadline notice: yellow (warning), red (overdue), 督办 and 督办 repeated. */
export type DeadlineAlertLevel = 'yellow' | 'red' | 'escalation' | 'escalation_repeat';

/** Chinese label of each level (the notice's 【…】 heading). */
export const ALERT_LEVEL_ZH: Readonly<Record<DeadlineAlertLevel, string>> = { yellow: '黄灯预警', red: '红灯超期', escalation: '督办', escalation_repeat: '督办（再次）' };

/** English label of each level. */
export const ALERT_LEVEL_EN: Readonly<Record<DeadlineAlertLevel, string>> = { yellow: 'Warning', red: 'Overdue', escalation: 'Escalation', escalation_repeat: 'Escalation (repeat)' };

/** `，已超期N个工作日 / N working days overdue` when past the deadline, else nothing. */
function overdueClause(days: number): string {
  return days > 0 ? `，已超期${days}个工作日 / ${days} working days overdue` : '';
}

/** 【超法定时限】: an open step past its statutory limit (法定时限, the law's own limit beside the promised one). */
export function statutoryOverdueText(s: NoticeSubject): string {
  return `【超法定时限】${s.projectName}（${s.projectCode}）“${s.nameZh}” 法定期限 ${s.dueOn} 已过。Statutory limit passed: ${s.projectName} ${s.name}, statutory deadline ${s.dueOn}.`;
}

/** 【有效期届满】: a validity (e.g. a permit's) lapsed unused on `dueOn`; `expiryKey` names the validity. */
export function expiryLapsedText(s: NoticeSubject, expiryKey: string): string {
  return `【有效期届满】${s.projectName}（${s.projectCode}）“${s.nameZh}” 有效期 ${s.dueOn} 届满未使用（${expiryKey}）。Validity lapsed: ${s.name} (${expiryKey}) on ${s.dueOn}.`;
}

/** 【有效期提醒】: a validity ends on `dueOn`; apply for renewal (延续) in time. */
export function expiryWarningText(s: NoticeSubject, expiryKey: string): string {
  return `【有效期提醒】${s.projectName}（${s.projectCode}）“${s.nameZh}” 有效期至 ${s.dueOn}，如需延续请及时申请（${expiryKey}）。Validity ends ${s.dueOn}: ${s.name} (${expiryKey}); apply for renewal in time.`;
}

/** 【…·证照送达】: the certificate (named by `s`) to be delivered by `dueOn` (行政许可法 Art. 44). */
export function certificateAlertText(level: DeadlineAlertLevel, s: NoticeSubject): string {
  return `【${ALERT_LEVEL_ZH[level]}·证照送达】${s.projectName}（${s.projectCode}）“${s.nameZh}” 送达期限 ${s.dueOn}${overdueClause(s.overdueWorkingDays)}。${ALERT_LEVEL_EN[level]}: ${s.name} for ${s.projectName} to be delivered by ${s.dueOn}.`;
}

/** 【黄灯预警】/【红灯超期】/【督办】…: a step's or a project deadline's limit ends on `dueOn`. */
export function deadlineAlertText(level: DeadlineAlertLevel, s: NoticeSubject): string {
  const what = `“${s.nameZh}” (${s.name})`;
  return `【${ALERT_LEVEL_ZH[level]}】${s.projectName}（${s.projectCode}）${what} 期限 ${s.dueOn}${overdueClause(s.overdueWorkingDays)}。${ALERT_LEVEL_EN[level]}: ${s.projectName} ${what} due ${s.dueOn}.`;
}

/** 【督办】 by a supervisor: the step, the supervisor's comment and who escalated. */
export function escalationText(s: Pick<NoticeSubject, 'projectCode' | 'projectName' | 'nameZh' | 'name'>, comment: string | null, by: string | null): string {
  return `【督办】${s.projectName}（${s.projectCode}）“${s.nameZh}”：${comment}（督办人 ${by}）。Escalated by ${by}: ${s.name} — ${comment}`;
}
