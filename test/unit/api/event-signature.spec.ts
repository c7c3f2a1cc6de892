import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { parseEventSources, signEventBody, verifyEventSignature } from '../../../libs/inbound-events/signature.js';

const SECRET = 'land-supply-secret-0123456789';
const SOURCE = { secret: SECRET, department: 'natural_resources' as const };
const BODY = Buffer.from('{"id":"e-1","source":"land-supply","type":"land_price_paid"}');
const NOW = 1_700_000_000_000;
const TS = String(NOW / 1000);

const check = (over: Partial<Parameters<typeof verifyEventSignature>[0]> = {}) =>
  verifyEventSignature({ sourceName: 'land-supply', source: SOURCE, rawBody: BODY, timestamp: TS, signature: signEventBody(SECRET, TS, BODY), nowMs: NOW, ...over });

describe('event signatures (X-Signature: sha256=HMAC(secret, timestamp.body), X-Timestamp within 5 minutes)', () => {
  it('signs as openssl would: HMAC-SHA256 over "<timestamp>.<body>" in hex', () => {
    const hex = createHmac('sha256', SECRET).update(`${TS}.${BODY.toString()}`).digest('hex');
    expect(signEventBody(SECRET, TS, BODY)).toBe(`sha256=${hex}`);
  });

  it('accepts a good signature, also 5 minutes off either way', () => {
    expect(check()).toEqual({ ok: true });
    for (const ts of [String(NOW / 1000 - 300), String(NOW / 1000 + 300)]) expect(check({ timestamp: ts, signature: signEventBody(SECRET, ts, BODY) })).toEqual({ ok: true });
  });

  it.each<[string, Partial<Parameters<typeof verifyEventSignature>[0]>, RegExp]>([
    ['a body changed by one byte', { rawBody: Buffer.from(BODY.toString().replace('e-1', 'e-2')) }, /does not match the body/],
    ['another secret', { signature: signEventBody('another-secret-0123456789', TS, BODY) }, /does not match/],
    ['no signature', { signature: undefined }, /X-Signature must be sha256=/],
    ['a signature without its prefix', { signature: signEventBody(SECRET, TS, BODY).slice(7) }, /X-Signature must be sha256=/],
    ['no timestamp', { timestamp: undefined }, /X-Timestamp must be the Unix time/],
    ['a timestamp in milliseconds', { timestamp: String(NOW) }, /Unix time in seconds/],
    ['a timestamp 301 s old', { timestamp: String(NOW / 1000 - 301), signature: signEventBody(SECRET, NOW / 1000 - 301, BODY) }, /301 s from the server's clock; at most 300 s/],
    ['an unknown source', { source: undefined }, /source 'land-supply' is not configured/],
  ])('refuses %s', (_name, over, reason) => {
    const result = check(over);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('reads EVENT_SOURCES, naming each bad entry without its secret', () => {
    expect(parseEventSources(undefined)).toEqual({ sources: {}, problems: [] });
    expect(parseEventSources(JSON.stringify({ 'land-supply': SOURCE, customs: { secret: 'customs-secret-0123456789' } }))).toEqual({
      sources: { 'land-supply': SOURCE, customs: { secret: 'customs-secret-0123456789', department: null } },
      problems: [],
    });
    const bad = parseEventSources(JSON.stringify({ 'Land Supply': SOURCE, short: { secret: 'abc' }, dept: { secret: SECRET, department: 'mars' } }));
    expect(bad.problems).toEqual([
      "EVENT_SOURCES key 'Land Supply' must be 1–64 of a-z, 0-9, _ . - (starting with a letter or digit)",
      'EVENT_SOURCES.short.secret must be text of at least 16 characters',
      expect.stringMatching(/^EVENT_SOURCES.dept.department must be one of: /),
    ]);
    expect(parseEventSources('{').problems).toEqual(['EVENT_SOURCES is not valid JSON']);
  });
});
