import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiErrorCode, problemOf, type ProblemDetails } from './problem.js';

/** What Node's HTTP parser refuses before a request reaches Nest: the API's error code and a detail for each. */
const REFUSALS: Record<string, { code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    code: ApiErrorCode.RequestHeadersTooLarge,
    detail: 'the request headers are larger than the server accepts (16 KB in all); send a shorter Authorization token or fewer cookies',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    code: ApiErrorCode.RequestTooLarge,
    detail: 'the chunk extensions of the request body are larger than the server accepts',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: ApiErrorCode.RequestTimeout,
    detail: 'the request was not received in full in time; send it again',
  },
};

const MALFORMED = {
  code: ApiErrorCode.RequestMalformed,
  detail: 'the request is not valid HTTP/1.1 (request line, a header or the body framing); send it with an HTTP client',
};

/**
 * Answers a request that Node's HTTP parser refused before Express or Nest saw it: headers over Node's 16 KB
 * limit (431), oversized chunk extensions (413), a request not received in time (408), or bytes that are not
 * HTTP (400). Without this, Node writes a bare status line and no body. This answer is application/problem+json,
 * like every other refusal of the API, and then the connection is closed. Nothing is written when the socket
 * can no longer take it, for example after a reset, or when a response is already under way.
 * Input: the parser's error and the client's socket (Node's `clientError` event). Output: none. Throws nothing.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const underway = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (err.code !== 'ECONNRESET' && socket.writable && !underway) {
    const refusal = (err.code !== undefined ? REFUSALS[err.code] : undefined) ?? MALFORMED;
    // The status and title of the code, as every other refusal of the API (problem.ts).
    const problem: ProblemDetails = problemOf(refusal.code, refusal.detail);
    const body = JSON.stringify(problem);
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy();
}

/** Makes `server` answer parser refusals with problem+json ({@link answerClientError}) instead of Node's bare status line. */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', answerClientError);
}
