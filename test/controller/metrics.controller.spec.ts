import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { ProjectsController } from '../../apps/api/src/projects/projects.controller.js';
import { ProjectsService } from '../../apps/api/src/projects/projects.service.js';
import { DomainError, DomainErrorCode } from '../../libs/domain/index.js';
import { ApiClient, expectProblem, officer, projectCode } from '../support/api-client.js';
import { startControllerApp, type ControllerApp } from '../support/controller-app.js';

/*
 * GET /metrics as an operator's Prometheus sees it: request latency by route pattern and status, actions by kind and
 * outcome; who may read it (a token when METRICS_TOKEN is set, else loopback callers only).
 */
const NR = officer('nr-zhao', 'natural_resources');
const TOKEN = 'scrape-token-0123456789';

/** The value of one sample line (`name{labels} value`) of an exposition text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  const service = {
    stepAction: jest.fn(async (): Promise<unknown> => ({ project: {}, entries: [] })),
    detail: jest.fn(async (): Promise<unknown> => ({})),
  };

  describe('without METRICS_TOKEN (loopback only)', () => {
    let server: ControllerApp;
    let api: ApiClient;
    beforeAll(async () => {
      server = await startControllerApp({ controllers: [ProjectsController], providers: [{ provide: ProjectsService, useValue: service }] });
      api = new ApiClient(server.baseUrl);
    }, 30_000);
    afterAll(async () => server?.close());

    it('counts actions by kind and outcome and times requests by route pattern and status, never by raw path', async () => {
      const code = projectCode(801);
      expect((await api.stepAction(code, 'land_prereview', { action: 'accept' }, NR)).status).toBe(200);
      service.stepAction.mockRejectedValueOnce(new DomainError(DomainErrorCode.StepInvalidState, "cannot approve step 'land_prereview': received"));
      expect((await api.stepAction(code, 'land_prereview', { action: 'approve' }, NR)).status).toBe(409);
      expect((await api.stepAction(code, 'land_prereview', { action: 'expedite' }, NR)).status).toBe(400);
      expect((await request(server.baseUrl).get('/api/v1/no-such-thing')).status).toBe(404);

      const res = await request(server.baseUrl).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.text;
      expect(sample(text, 'approvals_actions_total', { kind: 'step.accept', outcome: 'succeeded' })).toBe(1);
      expect(sample(text, 'approvals_actions_total', { kind: 'step.approve', outcome: 'refused' })).toBe(1);
      expect(sample(text, 'approvals_actions_total', { kind: 'step.other', outcome: 'refused' })).toBe(1);
      const route = '/api/v1/projects/:code/steps/:step/actions';
      expect(sample(text, 'http_request_duration_seconds_count', { method: 'POST', route, status: '200' })).toBe(1);
      expect(sample(text, 'http_request_duration_seconds_count', { method: 'POST', route, status: '409' })).toBe(1);
      expect(sample(text, 'http_request_duration_seconds_count', { route: 'unmatched', status: '404' })).toBe(1);
      expect(text).not.toContain(code);
      expect(text).toContain('approvals_api_process_resident_memory_bytes');
    });
  });

  describe('with METRICS_TOKEN', () => {
    let server: ControllerApp;
    beforeAll(async () => {
      server = await startControllerApp({ controllers: [ProjectsController], providers: [{ provide: ProjectsService, useValue: service }], env: { METRICS_TOKEN: TOKEN } });
    }, 30_000);
    afterAll(async () => server?.close());

    it('refuses a scrape without the token, or with another, with 401 and WWW-Authenticate, even from loopback', async () => {
      for (const auth of [undefined, 'Bearer wrong-token-0123456789', `Basic ${TOKEN}`]) {
        const req = request(server.baseUrl).get('/metrics');
        const res = auth ? await req.set('Authorization', auth) : await req;
        expect({ status: res.status, code: (res.body as { code?: string }).code }).toEqual({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    });

    it('answers the scraper that sends the token', async () => {
      const res = await request(server.baseUrl).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    });

    it('leaves every other path to the API (a bearer token of the API is still needed there)', async () => {
      expectProblem(await request(server.baseUrl).get('/api/v1/projects').set('Authorization', `Bearer ${TOKEN}`), 401, 'AUTH.UNAUTHENTICATED');
    });
  });
});
