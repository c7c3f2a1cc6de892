import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger, type ArgumentsHost } from '@nestjs/common';
import { ProblemFilter } from '../../../apps/api/src/common/problem.filter.js';
import { DependencyUnavailable } from '../../../apps/api/src/common/problem.js';

/** A host for one request to `url`, whose response records its status, headers and body. */
function hostFor(url: string): { host: ArgumentsHost; sent: { status?: number; headers: Record<string, string>; body?: string } } {
  const sent: { status?: number; headers: Record<string, string>; body?: string } = { headers: {} };
  const res = {
    headersSent: false,
    setHeader: (name: string, value: string) => void (sent.headers[name.toLowerCase()] = value),
    hasHeader: (name: string) => name.toLowerCase() in sent.headers,
    status(code: number) {
      sent.status = code;
      return this;
    },
    type() {
      return this;
    },
    send: (body: string) => void (sent.body = body),
  };
  const req = { originalUrl: url, url, id: 'req-1' };
  const host = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
  return { host, sent };
}

describe('ProblemFilter', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('logs a dependency that does not answer as a warning, but a health probe’s "not ready" only at debug; both answer 503 with Retry-After', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    const filter = new ProblemFilter();

    const probe = hostFor('/api/v1/health/ready');
    filter.catch(new DependencyUnavailable(undefined, 'not ready: read model lacks 25 project(s); rebuilding (0/25 checked); retry in 5 s'), probe.host);
    expect(warn).not.toHaveBeenCalled();
    expect(debug).toHaveBeenCalledTimes(1);
    expect([probe.sent.status, probe.sent.headers['retry-after']]).toEqual([503, '5']);

    const action = hostFor('/api/v1/projects/2022-330602-39-03-000101/steps/land_title/actions');
    filter.catch(new DependencyUnavailable('database', 'the read model (PostgreSQL) does not answer; retry in 5 s'), action.host);
    expect(warn).toHaveBeenCalledTimes(1);
    expect([action.sent.status, action.sent.headers['retry-after']]).toEqual([503, '5']);
  });
});
