import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { tokenFor } from '../support/tokens.js';

describe('API smoke', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('smoke');
  }, 120_000);
  afterAll(async () => stack?.close());

  it('registers a project and approves a step', async () => {
    const code = '2022-330602-39-03-000901';
    const reg = await request(stack.baseUrl)
      .post('/api/v1/projects')
      .set('Authorization', `Bearer ${tokenFor('officer', 'project_office', 'po-1')}`)
      .send({ code, name: 'Test', district: '越城区', signedAt: '2022-03-05', investmentYuan: '10000000000' });
    expect(reg.status).toBe(201);
    const a = await request(stack.baseUrl).post(`/api/v1/projects/${code}/steps/project_filing/actions`).set('Authorization', `Bearer ${tokenFor('officer', 'development_reform', 'drc-1')}`).send({ action: 'accept' });
    expect(a.status).toBe(200);
    const bad = await request(stack.baseUrl).post(`/api/v1/projects/${code}/steps/land_title/actions`).set('Authorization', `Bearer ${tokenFor('officer', 'natural_resources', 'nr-1')}`).send({ action: 'approve' });
    expect(bad.status).toBe(409);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.detail).toContain("cannot approve step 'land_title'");
    const h = await request(stack.baseUrl).get(`/api/v1/health`);
    expect(h.status).toBe(200);
    const docs = await request(stack.baseUrl).get(`/docs/openapi.json`);
    expect(docs.status).toBe(200);
  }, 60_000);
});
