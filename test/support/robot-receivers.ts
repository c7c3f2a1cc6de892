import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/* Local stand-ins for the vendors, checking requests the way each documents them: a DingTalk custom robot, a WeCom
 * group robot, an SMTP server. Each keeps what it received and accepted. */

/** One request a robot receiver got, and its answer. */
export interface RobotCall {
  url: URL;
  /** The JSON body as parsed (undefined when it was not JSON). */
  body: unknown;
  errcode: number;
}

/** A robot receiver on 127.0.0.1 and a free port. */
export interface RobotReceiver {
  /** The robot URL to configure, with the token or key the receiver accepts. */
  url: string;
  calls: RobotCall[];
  close(): Promise<void>;
}

/**
 * DingTalk's custom robot: POST /robot/send?access_token=…&timestamp=…&sign=…, checked as DingTalk documents 加签 —
 * the timestamp within one hour of the receiver's clock, `sign` equal to base64(HMAC-SHA256(secret, timestamp + "\n" +
 * secret)) — and the body a markdown message with a title and text. Answers 200 with `{ errcode, errmsg }`: 300001 for
 * an unknown token, 310000 for a bad signature or stale timestamp, 40035 for a bad body, otherwise `override(n)` (n
 * counting accepted calls from 1) or 0.
 */
export function startDingtalkReceiver(token: string, secret: string, override?: (n: number) => { errcode: number; errmsg: string } | undefined): Promise<RobotReceiver> {
  let accepted = 0;
  return startRobot('/robot/send', `access_token=${token}`, (url, body) => {
    if (url.pathname !== '/robot/send' || url.searchParams.get('access_token') !== token) return { errcode: 300001, errmsg: 'token is not exist' };
    const timestamp = url.searchParams.get('timestamp') ?? '';
    const sign = url.searchParams.get('sign') ?? '';
    if (!/^\d{13}$/.test(timestamp) || Math.abs(Date.now() - Number(timestamp)) > 3_600_000) return { errcode: 310000, errmsg: 'invalid timestamp' };
    const expected = Buffer.from(createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64'));
    const given = Buffer.from(sign);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { errcode: 310000, errmsg: 'sign not match' };
    const b = body as { msgtype?: unknown; markdown?: { title?: unknown; text?: unknown } } | undefined;
    if (b?.msgtype !== 'markdown' || typeof b.markdown?.title !== 'string' || typeof b.markdown.text !== 'string') return { errcode: 40035, errmsg: 'missing parameter' };
    accepted += 1;
    return override?.(accepted) ?? { errcode: 0, errmsg: 'ok' };
  });
}

/**
 * WeCom's group robot: POST /cgi-bin/webhook/send?key=…, the body `{ msgtype: 'markdown', markdown: { content } }`
 * with content of at most 4096 bytes. Answers `{ errcode, errmsg }`: 93000 for another key, 40008 or 44004 for a bad
 * body, otherwise `override(n)` or 0.
 */
export function startWecomReceiver(key: string, override?: (n: number) => { errcode: number; errmsg: string } | undefined): Promise<RobotReceiver> {
  let accepted = 0;
  return startRobot('/cgi-bin/webhook/send', `key=${key}`, (url, body) => {
    if (url.pathname !== '/cgi-bin/webhook/send' || url.searchParams.get('key') !== key) return { errcode: 93000, errmsg: 'invalid webhook url' };
    const b = body as { msgtype?: unknown; markdown?: { content?: unknown } } | undefined;
    if (b?.msgtype !== 'markdown') return { errcode: 40008, errmsg: 'invalid message type' };
    if (typeof b.markdown?.content !== 'string' || b.markdown.content === '' || Buffer.byteLength(b.markdown.content) > 4096) return { errcode: 44004, errmsg: 'empty content' };
    accepted += 1;
    return override?.(accepted) ?? { errcode: 0, errmsg: 'ok' };
  });
}

async function startRobot(path: string, query: string, check: (url: URL, body: unknown) => { errcode: number; errmsg: string }): Promise<RobotReceiver> {
  const calls: RobotCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const answer = req.method === 'POST' && /^application\/json/.test(req.headers['content-type'] ?? '') ? check(url, body) : { errcode: 40035, errmsg: 'not a JSON POST' };
      calls.push({ url, body, errcode: answer.errcode });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}?${query}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** One message the SMTP receiver accepted. */
export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  /** The raw message (headers and MIME body) as sent. */
  raw: string;
}

/** A local SMTP server (smtp-server) that requires a login. */
export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  /** Login attempts refused. */
  refusedLogins: number;
  close(): Promise<void>;
}

/**
 * Starts an SMTP server on 127.0.0.1 that takes `user`/`password` (PLAIN or LOGIN, without TLS: a test) and keeps
 * every message; `respond(n)` may refuse the n-th message with an SMTP code (e.g. 451 to be retried, 550 for good).
 */
export async function startSmtpReceiver(user: string, password: string, respond?: (n: number) => number | undefined): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  let refusedLogins = 0;
  let n = 0;
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      refusedLogins += 1;
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        n += 1;
        const code = respond?.(n);
        if (code !== undefined) return callback(Object.assign(new Error(`refused by the test (${code})`), { responseCode: code }));
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        return callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mails,
    get refusedLogins() {
      return refusedLogins;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A header's value, unfolded, with RFC 2047 encoded words (UTF-8, B or Q) decoded. */
export function mailHeader(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (line === undefined) return undefined;
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}

/** The decoded body of the part whose Content-Type starts with `type` (base64 or quoted-printable transfer encoding). */
export function mailPart(raw: string, type: 'text/plain' | 'text/html'): string | undefined {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  for (const part of parts) {
    const [head, ...rest] = part.split(/\r?\n\r?\n/);
    if (!head || !new RegExp(`content-type:\\s*${type}`, 'i').test(head)) continue;
    const body = rest.join('\n\n').replace(/\r?\n--[^\r\n]+--\s*$/, '');
    if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
      return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    }
    return body;
  }
  return undefined;
}
