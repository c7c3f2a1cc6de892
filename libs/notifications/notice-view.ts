/*
 * What a notice says to people, field by field, in Chinese: the facts the DingTalk, WeCom and e-mail formatters lay
 * out each in its own markup. Pure: the caller supplies the link base and, when it knows the calendar, the working days
 * left. The headings reuse the alert levels' words of the notice texts (libs/domain/notice-texts.ts).
 */
import { DEPARTMENTS, isDepartmentKey } from '../domain/departments.js';
import { ALERT_LEVEL_ZH } from '../domain/notice-texts.js';
import type { NotificationKind, NotificationRequest, Recipient } from '../temporal/notification.contract.js';

/** Heading of each notice kind (the 【…】 of the notice texts). */
export const NOTICE_TITLE_ZH: Readonly<Record<NotificationKind, string>> = {
  yellow: ALERT_LEVEL_ZH.yellow,
  red: ALERT_LEVEL_ZH.red,
  escalation: ALERT_LEVEL_ZH.escalation,
  escalation_repeat: ALERT_LEVEL_ZH.escalation_repeat,
  project_yellow: `${ALERT_LEVEL_ZH.yellow}·项目期限`,
  project_red: `${ALERT_LEVEL_ZH.red}·项目期限`,
  statutory_overdue: '超法定时限',
  certificate_yellow: `${ALERT_LEVEL_ZH.yellow}·证照送达`,
  certificate_red: `${ALERT_LEVEL_ZH.red}·证照送达`,
  expiry_warning: '有效期提醒',
  expiry_lapsed: '有效期届满',
};

/** Kinds whose notice is a red (overdue, lapsed) rather than a yellow (warning) one. */
const URGENT: ReadonlySet<NotificationKind> = new Set(['red', 'escalation', 'escalation_repeat', 'project_red', 'statutory_overdue', 'certificate_red', 'expiry_lapsed']);

const WEEKDAY_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // Asia/Shanghai: UTC+8 all year, no daylight saving

/** What the formatters need beside the notice. */
export interface NoticeViewContext {
  /** The workbench's address (PUBLIC_BASE_URL), no trailing slash; the link is `<base>/projects/<code>`. */
  publicBaseUrl: string;
  /** Working days after today up to the deadline day, when the sender knows the calendar and the deadline is ahead. */
  workingDaysLeft?: number | null;
}

/** A notice as people read it: a title, labelled facts in order, and the project's link. */
export interface NoticeView {
  /** e.g. `【红灯超期】钠离子电池正极材料项目` */
  title: string;
  /** true for overdue, lapsed and 督办 notices (shown in a warning colour where the channel has one). */
  urgent: boolean;
  /** `[label, value]` in reading order: 项目, 环节, 部门, 期限, 超期/剩余, 通知对象. */
  facts: Array<[label: string, value: string]>;
  /** `<base>/projects/<code>` */
  link: string;
  /** The link's text. */
  linkText: string;
  /** The notice's dedupe key (e-mail derives its Message-ID from it). */
  dedupeKey: string;
}

/**
 * The Chinese view of one outbox notice.
 * @param n the notice as the workflow wrote it (the outbox row's payload)
 * @param ctx link base and, optionally, the working days left
 * @returns title, facts, link
 */
export function noticeView(n: NotificationRequest, ctx: NoticeViewContext): NoticeView {
  const title = `【${NOTICE_TITLE_ZH[n.kind] ?? n.kind}】${n.projectName}`;
  const facts: Array<[string, string]> = [['项目', `${n.projectName}（${n.projectCode}）`]];
  if (n.stepName) facts.push([n.step === null ? '期限事项' : '环节', n.stepName]);
  facts.push(['部门', departmentZh(n.department)]);
  facts.push(['期限', deadlineZh(n.dueAt)]);
  facts.push(progressFact(n.overdueWorkingDays, ctx.workingDaysLeft));
  facts.push(['通知对象', recipientsZh(n.recipients)]);
  return {
    title,
    urgent: URGENT.has(n.kind),
    facts,
    link: `${ctx.publicBaseUrl}/projects/${encodeURIComponent(n.projectCode)}`,
    linkText: '在审批工作台查看项目',
    dedupeKey: n.dedupeKey,
  };
}

/** 超期 N 个工作日, or 剩余 N 个工作日 / 今日到期, or 未超期 when the days left are unknown. */
function progressFact(overdue: number, left: number | null | undefined): [string, string] {
  if (overdue > 0) return ['超期', `已超期 ${overdue} 个工作日`];
  if (left === null || left === undefined || left < 0) return ['剩余', '尚未超期'];
  return ['剩余', left === 0 ? '今日到期' : `还剩 ${left} 个工作日`];
}

/** The department's Chinese name, or the key itself when it is not a department of the contract. */
export function departmentZh(key: string): string {
  return isDepartmentKey(key) ? DEPARTMENTS[key].nameZh : key;
}

/**
 * The deadline as officials say it: the last day in Asia/Shanghai, e.g. `2025年10月13日（星期一）24:00 前`.
 * `dueAt` is 24:00 of the last day, so the day is the Shanghai day of the instant just before; an instant that is
 * not a day's end also gives its time (`2025年10月13日（星期一）17:30 前`).
 * @param dueAt ISO 8601 instant
 */
export function deadlineZh(dueAt: string): string {
  const ms = Date.parse(dueAt);
  if (Number.isNaN(ms)) return dueAt;
  const local = new Date(ms + SHANGHAI_OFFSET_MS);
  const midnight = local.getUTCHours() === 0 && local.getUTCMinutes() === 0 && local.getUTCSeconds() === 0 && local.getUTCMilliseconds() === 0;
  const day = midnight ? new Date(local.getTime() - 1) : local;
  const date = `${day.getUTCFullYear()}年${day.getUTCMonth() + 1}月${day.getUTCDate()}日（${WEEKDAY_ZH[day.getUTCDay()]}）`;
  const time = midnight ? '24:00' : `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  return `${date}${time} 前`;
}

/**
 * The Shanghai calendar day (YYYY-MM-DD) of the deadline `dueAt` (24:00 of that day), for counting working days left.
 * @returns null for an unparseable instant
 */
export function deadlineDay(dueAt: string): string | null {
  const ms = Date.parse(dueAt);
  return Number.isNaN(ms) ? null : shanghaiDay(new Date(ms - 1));
}

/** The Asia/Shanghai calendar day (YYYY-MM-DD) of an instant. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** 经办人、负责人 of a department, 督办人员, in the order given, each once. */
function recipientsZh(recipients: readonly Recipient[]): string {
  const names = recipients.map((r) =>
    r.role === 'supervisors' ? '督办人员' : `${departmentZh(r.department)}${r.role === 'head' ? '负责人' : '经办人'}`,
  );
  return [...new Set(names)].join('、');
}
