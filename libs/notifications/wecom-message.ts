/*
 * WeCom (企业微信) group robot: the markdown message of a notice and what an answer's errcode means. Pure. Vendor
 * reference: WeCom developer docs, "群机器人配置说明" (webhook/send?key=…, msgtype markdown, content ≤ 4096 bytes).
 */
import type { NoticeView } from './notice-view.js';

/** The body WeCom's robot takes for a markdown message. */
export interface WecomMarkdown {
  msgtype: 'markdown';
  markdown: { content: string };
}

/** Most bytes of UTF-8 WeCom takes as a markdown message's content. */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

/**
 * The notice as a WeCom markdown message: a bold title (in WeCom's warning colour when urgent), one quoted line per
 * fact (WeCom's markdown has no lists) and the project's link. Cut to {@link WECOM_MARKDOWN_MAX_BYTES} keeping the
 * link, should a long project name make it longer.
 */
export function wecomMessage(view: NoticeView): WecomMarkdown {
  const title = view.urgent ? `<font color="warning">**${view.title}**</font>` : `**${view.title}**`;
  const link = `[${view.linkText}](${view.link})`;
  const facts = view.facts.map(([label, value]) => `> ${label}：<font color="comment">${value}</font>`);
  let content = [title, ...facts, link].join('\n');
  while (Buffer.byteLength(content, 'utf8') > WECOM_MARKDOWN_MAX_BYTES && facts.length > 0) {
    facts.pop();
    content = [title, ...facts, link].join('\n');
  }
  return { msgtype: 'markdown', markdown: { content } };
}

/**
 * errcodes after which sending again cannot succeed until the robot or configuration changes: 93000 (key invalid),
 * 93004 (robot disabled), 93008 (robot not in the group), 40008 (message type), 44004 (empty content), 40058 and
 * 45002 (parameters, length), 40001 and 40014 (credentials).
 */
const WECOM_PERMANENT = new Set([93000, 93004, 93008, 40008, 44004, 40058, 45002, 40001, 40014]);

/**
 * What WeCom's `{ errcode, errmsg }` answer means: delivered (0), or a failure to give up on ({@link WECOM_PERMANENT})
 * or to retry (every other code, e.g. -1 busy, 45009 rate limit).
 */
export function wecomOutcome(errcode: number, errmsg: string): { ok: true } | { ok: false; permanent: boolean; error: string } {
  if (errcode === 0) return { ok: true };
  return { ok: false, permanent: WECOM_PERMANENT.has(errcode), error: `WeCom errcode ${errcode}: ${errmsg}` };
}
