import { describe, expect, it } from '@jest/globals';
import { signWebhookBody, verifyWebhookSignature } from '../../../libs/notifications/index.js';

const SECRET = 'test-secret-0123456789';

describe(signWebhookBody.name, () => {
  it('is sha256= and the hex HMAC-SHA256 of the raw body (RFC 4231 test case 2)', () => {
    expect(signWebhookBody('what do ya want for nothing?', 'Jefe')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('signs the exact bytes: UTF-8 text and the same bytes as a Buffer agree, a re-serialised body does not', () => {
    const body = JSON.stringify({ message: '用地预审将于 2025-10-13 到期', overdueWorkingDays: 0 });
    expect(signWebhookBody(body, SECRET)).toBe(signWebhookBody(Buffer.from(body, 'utf8'), SECRET));
    expect(signWebhookBody(JSON.stringify(JSON.parse(body), null, 2), SECRET)).not.toBe(signWebhookBody(body, SECRET));
  });
});

describe(verifyWebhookSignature.name, () => {
  const body = '{"dedupeKey":"k"}';
  const good = signWebhookBody(body, SECRET);

  it('accepts the signature of the body under the shared secret', () => {
    expect(verifyWebhookSignature(body, good, SECRET)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), good, SECRET)).toBe(true);
  });

  it.each([
    ['another secret', body, good, 'another-secret-0123456789'],
    ['a changed body', '{"dedupeKey":"K"}', good, SECRET],
    ['no header', body, undefined, SECRET],
    ['upper-case hex', body, good.toUpperCase().replace('SHA256=', 'sha256='), SECRET],
    ['no sha256= prefix', body, good.slice('sha256='.length), SECRET],
    ['a truncated digest', body, good.slice(0, -2), SECRET],
  ])('refuses %s', (_what, b, header, secret) => {
    expect(verifyWebhookSignature(b, header, secret)).toBe(false);
  });
});
