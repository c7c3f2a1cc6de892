/*
 * Signatures of inbound events: each source system signs the body it sends with its own secret, on top of its token.
 * Header `X-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>` and `X-Timestamp` (Unix seconds),
 * within 5 minutes of the server's clock either way. Sources and secrets are configuration: EVENT_SOURCES.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DEPARTMENT_KEYS, type DepartmentKey } from '../domain/departments.js';

/** How far `X-Timestamp` may be from the server's clock, seconds (either way). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** One configured source: its HMAC secret and the department whose steps it reports on (null: any). */
export interface EventSource {
  secret: string;
  department: DepartmentKey | null;
}

/** The source name of a body in the former shape (no id, no source). */
export const LEGACY_SOURCE = 'legacy';

const SOURCE_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/**
 * Reads EVENT_SOURCES: JSON `{ "<source>": { "secret": "…", "department": "<department key>" } }` (department optional).
 * Input: the variable's text (undefined or empty: no sources). Secrets are never echoed in problems.
 * @returns the sources, or the problems naming each bad entry
 */
export function parseEventSources(text: string | undefined): { sources: Record<string, EventSource>; problems: string[] } {
  const sources: Record<string, EventSource> = {};
  if (text === undefined || text.trim() === '') return { sources, problems: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { sources, problems: ['EVENT_SOURCES is not valid JSON'] };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { sources, problems: ['EVENT_SOURCES must be a JSON object of sources'] };
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(parsed as Record<string, unknown>)) {
    const e = entry as { secret?: unknown; department?: unknown } | null;
    if (!SOURCE_NAME.test(name)) problems.push(`EVENT_SOURCES key '${name}' must be 1–64 of a-z, 0-9, _ . - (starting with a letter or digit)`);
    else if (e === null || typeof e !== 'object') problems.push(`EVENT_SOURCES.${name} must be an object { secret, department }`);
    else if (typeof e.secret !== 'string' || e.secret.length < 16) problems.push(`EVENT_SOURCES.${name}.secret must be text of at least 16 characters`);
    else if (e.department !== undefined && e.department !== null && !(DEPARTMENT_KEYS as string[]).includes(String(e.department))) {
      problems.push(`EVENT_SOURCES.${name}.department must be one of: ${DEPARTMENT_KEYS.join(', ')}`);
    } else sources[name] = { secret: e.secret, department: (e.department as DepartmentKey | undefined) ?? null };
  }
  return { sources, problems };
}

/**
 * The signature a source sends: `sha256=` and the hex HMAC-SHA256 of `timestamp + "." + body` under its secret.
 * @param timestamp Unix seconds, as sent in X-Timestamp
 */
export function signEventBody(secret: string, timestamp: string | number, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/**
 * Checks a body's signature. Input: the source's configuration (undefined: not configured), the raw body bytes as
 * received, the X-Timestamp and X-Signature headers, and the server's clock (ms).
 * @returns ok, or the reason for a 401 (no secret of the source is told)
 */
export function verifyEventSignature(input: {
  sourceName: string;
  source: EventSource | undefined;
  rawBody: Buffer | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}): { ok: true } | { ok: false; reason: string } {
  const { sourceName, source, rawBody, timestamp, signature } = input;
  if (!source) return { ok: false, reason: `source '${sourceName}' is not configured (EVENT_SOURCES)` };
  if (!rawBody) return { ok: false, reason: 'the body is missing' };
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'X-Timestamp must be the Unix time in seconds' };
  const skew = Math.abs(input.nowMs / 1000 - Number(timestamp));
  if (skew > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: `X-Timestamp is ${Math.round(skew)} s from the server's clock; at most ${SIGNATURE_TOLERANCE_SECONDS} s` };
  if (signature === undefined || !/^sha256=[0-9a-f]{64}$/i.test(signature)) return { ok: false, reason: 'X-Signature must be sha256=<64 hex digits>' };
  const expected = Buffer.from(signEventBody(source.secret, timestamp, rawBody).slice(7), 'hex');
  const given = Buffer.from(signature.slice(7), 'hex');
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: `X-Signature does not match the body for source '${sourceName}'` };
  return { ok: true };
}
