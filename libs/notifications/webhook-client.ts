import { SIGNATURE_HEADER, signWebhookBody } from './webhook-signature.js';

/** One signed webhook call. */
export interface WebhookCall {
  /** http(s) URL of the receiver. */
  url: string;
  /** The JSON value to POST. */
  payload: unknown;
  /** HMAC key for {@link SIGNATURE_HEADER}. */
  secret: string;
  /** Extra headers (e.g. X-Notification-Id). */
  headers?: Record<string, string>;
  /** Abort after this many milliseconds (default 10 000). */
  timeoutMs?: number;
}

/**
 * Outcome of a delivery: delivered (2xx) or not, with a reason fit for `last_error`; `permanent` when sending again
 * cannot succeed (the dispatcher gives the row up at once instead of retrying).
 */
export type WebhookResult = { ok: true; status: number } | { ok: false; status: number | null; error: string; permanent?: boolean };

const SNIPPET = 300;

/**
 * POSTs `payload` as JSON, signed over the exact body bytes, and reports the outcome. Never throws for
 * network trouble: a refused connection, a timeout or a non-2xx answer is `{ ok: false, error }`.
 * Redirects are not followed (a 3xx is a failure), so a signed notice never lands on another host.
 * @returns `{ ok: true, status }` for 2xx; otherwise `{ ok: false, status | null, error }`
 */
export async function postWebhook(call: WebhookCall, fetchImpl: typeof fetch = fetch): Promise<WebhookResult> {
  const body = JSON.stringify(call.payload);
  const timeoutMs = call.timeoutMs ?? 10_000;
  try {
    const res = await fetchImpl(call.url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'User-Agent': 'major-project-approvals-notifier/1',
        ...call.headers,
        [SIGNATURE_HEADER]: signWebhookBody(body, call.secret),
      },
    });
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    const snippet = text.trim().slice(0, SNIPPET);
    return { ok: false, status: res.status, error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${snippet ? `: ${snippet}` : ''}` };
  } catch (err) {
    return { ok: false, status: null, error: describeFetchError(err, timeoutMs) };
  }
}

/** A failed fetch as a reason for `last_error` (timeout, or the message and its cause's code; never the URL). */
export function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `${e?.message ?? String(err)}${cause ? ` (${cause})` : ''}`;
}
