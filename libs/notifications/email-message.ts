/*
 * E-mail: the message of a notice — a Chinese subject, a plain-text part and a simple HTML part — and its Message-ID,
 * derived from the notice's dedupe key so a repeat after a crash carries the same one (RFC 5322 §3.6.4). Pure.
 */
import { createHash } from 'node:crypto';
import type { NoticeView } from './notice-view.js';

/** What nodemailer sends (its `subject`, `text`, `html`, `messageId` and `headers`). */
export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  /** `<…@domain>`, the same for every attempt of one notice. */
  messageId: string;
  headers: Record<string, string>;
}

/**
 * The notice as an e-mail.
 * @param view the notice's Chinese view
 * @param from the sender (`a@b` or `Name <a@b>`); its domain completes the Message-ID
 */
export function emailMessage(view: NoticeView, from: string): EmailMessage {
  const step = view.facts.find(([label]) => label === '环节' || label === '期限事项')?.[1];
  const progress = view.facts.find(([label]) => label === '超期' || label === '剩余')?.[1];
  const project = view.facts.find(([label]) => label === '项目')?.[1] ?? '';
  const code = /（([^（）]+)）$/.exec(project)?.[1];
  const subject = [`${view.title}${code ? `（${code}）` : ''}`, step, progress].filter(Boolean).join(' · ');
  const text = [view.title, '', ...view.facts.map(([label, value]) => `${label}：${value}`), '', `${view.linkText}：${view.link}`, '', FOOTER].join('\n');
  const rows = view.facts
    .map(([label, value]) => `<tr><th style="text-align:left;padding:4px 12px 4px 0;color:#595959;white-space:nowrap">${html(label)}</th><td style="padding:4px 0">${html(value)}</td></tr>`)
    .join('');
  const colour = view.urgent ? '#d4380d' : '#d48806';
  const body = [
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>' + html(view.title) + '</title></head>',
    '<body style="font-family:-apple-system,\'PingFang SC\',\'Microsoft YaHei\',sans-serif;font-size:14px;color:#262626">',
    `<h2 style="font-size:18px;color:${colour}">${html(view.title)}</h2>`,
    `<table style="border-collapse:collapse">${rows}</table>`,
    `<p><a href="${html(view.link)}">${html(view.linkText)}</a></p>`,
    `<p style="color:#8c8c8c;font-size:12px">${html(FOOTER)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html: body, messageId: messageIdOf(view.dedupeKey, from), headers: { 'X-Dedupe-Key': encodeURIComponent(view.dedupeKey) } };
}

/** The footer of every notice mail. */
export const EMAIL_FOOTER = '此邮件由重大项目审批系统自动发送，请勿直接回复。';
const FOOTER = EMAIL_FOOTER;

/**
 * `<sha256(dedupeKey) in 32 hex digits>.notice@<domain of from>` (`localhost` when `from` has none): one notice, one
 * Message-ID, whichever attempt delivers it.
 */
export function messageIdOf(dedupeKey: string, from: string): string {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  const domain = /@([A-Za-z0-9.-]+)\s*$/.exec(address)?.[1] ?? 'localhost';
  return `<${createHash('sha256').update(dedupeKey, 'utf8').digest('hex').slice(0, 32)}.notice@${domain}>`;
}

/** Text safe inside HTML elements and quoted attributes. */
function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
