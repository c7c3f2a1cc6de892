import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the body's signature: `sha256=<lower-case hex HMAC-SHA256 of the raw body>`. */
export const SIGNATURE_HEADER = 'X-Signature-SHA256';

/**
 * Signs a webhook body the way receivers verify it (GitHub's `X-Hub-Signature-256` scheme).
 * @param body the exact bytes sent (a string is taken as UTF-8)
 * @param secret the shared key (NOTIFICATION_WEBHOOK_SECRET)
 * @returns `sha256=` followed by 64 lower-case hex digits
 */
export function signWebhookBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Checks a received signature header against the raw body, in constant time.
 * @param body the raw request body as received (before any JSON parsing)
 * @param header the `X-Signature-SHA256` value; undefined or malformed fails
 * @returns true only when the header is the body's signature under `secret`
 */
export function verifyWebhookSignature(body: string | Buffer, header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = Buffer.from(signWebhookBody(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
