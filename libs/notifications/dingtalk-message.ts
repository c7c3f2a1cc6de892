/*
 * DingTalk (钉钉 / 浙政钉) custom group robot: the markdown message of a notice, the signed URL, and what an answer's
 * errcode means. Pure. Vendor reference: DingTalk open platform, "自定义机器人安全设置 · 加签" and "自定义机器人发送群消息".
 */
import { createHmac } from 'node:crypto';
import type { NoticeView } from './notice-view.js';

/** The body DingTalk's robot takes for a markdown message. */
export interface DingtalkMarkdown {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
}

/**
 * The notice as a DingTalk markdown message: the title (shown in the chat list and the phone's notification) and a
 * heading, one bold-labelled line per fact, and the project's link.
 */
export function dingtalkMessage(view: NoticeView): DingtalkMarkdown {
  const heading = view.urgent ? `<font color="#d4380d">${view.title}</font>` : view.title;
  const lines = [`#### ${heading}`, '', ...view.facts.map(([label, value]) => `- **${label}**：${escapeMarkdown(value)}`), '', `[${view.linkText}](${view.link})`];
  return { msgtype: 'markdown', markdown: { title: view.title, text: lines.join('\n') } };
}

/**
 * The robot's signature of `timestampMs`: base64(HMAC-SHA256(key = secret, `${timestamp}\n${secret}`)), as DingTalk
 * documents 加签 (before URL encoding).
 * @param timestampMs milliseconds since the epoch (DingTalk refuses one more than an hour away from its clock)
 * @param secret the robot's 加签 key (`SEC…`)
 */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/**
 * The robot URL with `timestamp` and the URL-encoded `sign` added (any earlier ones replaced).
 * @param url the robot's webhook URL with its access_token
 */
export function signedDingtalkUrl(url: string, secret: string, timestampMs: number): string {
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestampMs));
  u.searchParams.set('sign', dingtalkSign(timestampMs, secret)); // URLSearchParams encodes + / = of base64
  return u.toString();
}

/**
 * errcodes after which sending again cannot succeed until someone changes the robot or the configuration: the
 * token, robot or group gone (300001, 300005, 400013, 400101, 400102, 400106), 310000 (signature, keyword or IP
 * allow-list refused), an unsupported message (400105), content refused (430101–430104).
 */
const DINGTALK_PERMANENT = new Set([300001, 300005, 310000, 400013, 400101, 400102, 400105, 400106, 430101, 430102, 430103, 430104]);

/**
 * What DingTalk's `{ errcode, errmsg }` answer means: delivered (0), or a failure to give up on (a code in
 * {@link DINGTALK_PERMANENT}) or to retry (every other code, e.g. -1 busy, 130101 and 410100 rate limits).
 */
export function dingtalkOutcome(errcode: number, errmsg: string): { ok: true } | { ok: false; permanent: boolean; error: string } {
  if (errcode === 0) return { ok: true };
  return { ok: false, permanent: DINGTALK_PERMANENT.has(errcode), error: `DingTalk errcode ${errcode}: ${errmsg}` };
}

/** Characters DingTalk's markdown would take as markup inside a value (names of projects rarely hold them). */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]#<>])/g, '\\$1');
}
