import { describe, expect, it } from '@jest/globals';
import { Duplex } from 'node:stream';
import { answerClientError } from '../../../apps/api/src/common/client-error.js';

/** A client socket that records what the server writes and whether it was destroyed. */
function socket(): Duplex & { written: () => string; wasDestroyed: () => boolean } {
  let written = '';
  const s = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, done) {
      written += chunk.toString();
      done();
    },
  });
  return Object.assign(s, { written: () => written, wasDestroyed: () => s.destroyed });
}

const error = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

/** The status line and the problem document of what was written. */
function answerOf(written: string): { statusLine: string; problem: Record<string, unknown> } {
  const [head, body] = written.split('\r\n\r\n');
  return { statusLine: head!.split('\r\n')[0]!, problem: JSON.parse(body!) as Record<string, unknown> };
}

describe('answerClientError: what a client gets when the HTTP parser refuses its request', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 'HTTP/1.1 431 Request header fields too large', 431, 'REQUEST.HEADERS_TOO_LARGE', /16 KB/],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'HTTP/1.1 408 Request timeout', 408, 'REQUEST.TIMEOUT', /send it again/],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 'HTTP/1.1 413 Request too large', 413, 'REQUEST.TOO_LARGE', /chunk extensions/],
    ['HPE_INVALID_METHOD', 'HTTP/1.1 400 Bad request', 400, 'REQUEST.MALFORMED', /not valid HTTP/],
  ])('%s: %s with a problem+json body, then the connection closes', (code, statusLine, status, problemCode, detail) => {
    const s = socket();
    answerClientError(error(code), s);
    const answer = answerOf(s.written());
    expect(answer.statusLine).toBe(statusLine);
    expect(s.written()).toMatch(/\r\nContent-Type: application\/problem\+json; charset=utf-8\r\n/);
    expect(s.written()).toMatch(/\r\nConnection: close\r\n/);
    expect(answer.problem).toMatchObject({ status, code: problemCode, type: `urn:approvals:problem:${problemCode}` });
    expect(answer.problem.detail).toMatch(detail);
    expect(s.wasDestroyed()).toBe(true);
  });

  it('a connection the client reset gets nothing written, and is closed', () => {
    const s = socket();
    answerClientError(error('ECONNRESET'), s);
    expect(s.written()).toBe('');
    expect(s.wasDestroyed()).toBe(true);
  });

  it('a connection whose response is already under way gets no second status line', () => {
    const s = Object.assign(socket(), { _httpMessage: { headersSent: true } });
    answerClientError(error('HPE_INVALID_CHUNK_SIZE'), s);
    expect(s.written()).toBe('');
    expect(s.wasDestroyed()).toBe(true);
  });
});
