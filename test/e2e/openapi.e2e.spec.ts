import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { projectRoot } from '../../libs/temporal/binaries.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * The OpenAPI document the API serves is the contract the web client is generated from (apps/web/openapi.json →
 * apps/web/src/api/schema.d.ts): it must be the committed one, and exact in what a client relies on.
 */

interface Schema {
  type?: string;
  format?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  [key: string]: unknown;
}
interface Response {
  content?: Record<string, { schema?: Schema }>;
}
interface Operation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: unknown;
  responses: Record<string, Response>;
}
interface Document {
  security?: Array<Record<string, string[]>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, { type: string; scheme?: string }> };
  paths: Record<string, Record<string, Operation>>;
}

/** Operations anyone may call: the health probe and the sign-in endpoints. */
const PUBLIC = ['GET /api/v1/health', 'GET /api/v1/health/live', 'GET /api/v1/health/ready', 'GET /api/v1/auth/config', 'POST /api/v1/auth/demo-token'];
/** Numbers that are not whole: the only `type: number` the document may have. */
const FRACTIONS = ['GovernmentTimeSummaryDto.workingDaysAverage'];
const REGENERATE = 'the committed apps/web/openapi.json is stale: run `npx tsc -p tsconfig.build.json && npm run -s web:client` and commit apps/web/openapi.json and apps/web/src/api/schema.d.ts';

describe('the OpenAPI document (e2e)', () => {
  let stack: TestStack;
  let doc: Document;
  const operations = (): Array<[string, Operation]> =>
    Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${p}`, op]));

  beforeAll(async () => {
    stack = await startTestStack('openapi');
    const res = await request(stack.baseUrl).get('/docs/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body as Document;
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('is the committed apps/web/openapi.json, so the generated web client is never stale', () => {
    const committed = JSON.parse(readFileSync(path.join(projectRoot(), 'apps', 'web', 'openapi.json'), 'utf8')) as unknown;
    if (JSON.stringify(committed) !== JSON.stringify(doc)) throw new Error(REGENERATE);
  });

  it('declares the bearer scheme and requires it of every operation but the public ones, which say so', () => {
    expect(doc.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.security).toEqual([{ bearer: [] }]);
    for (const [name, op] of operations()) {
      const security = op.security ?? doc.security;
      if (PUBLIC.includes(name)) expect({ name, security }).toEqual({ name, security: [] });
      else {
        expect({ name, security }).toEqual({ name, security: [{ bearer: [] }] });
        expect({ name, statuses: Object.keys(op.responses) }).toEqual({ name, statuses: expect.arrayContaining(['400', '401', '403', '429', '503']) });
      }
    }
  });

  it('documents every error as application/problem+json with the problem schema, and successes as something else', () => {
    for (const [name, op] of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        const types = Object.keys(response.content ?? {});
        if (Number(status) >= 400) {
          expect({ name, status, types, schema: response.content?.['application/problem+json']?.schema }).toEqual({
            name,
            status,
            types: ['application/problem+json'],
            schema: { $ref: '#/components/schemas/ProblemDto' },
          });
        } else expect({ name, status, problem: types.includes('application/problem+json') }).toEqual({ name, status, problem: false });
      }
    }
    expect(Object.keys(doc.components.schemas.ProblemDto!.properties ?? {})).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'errors']),
    );
  });

  it('documents 404 on every operation of a project by code, and 413, 415, 409 and 422 on every write', () => {
    for (const [name, op] of operations()) {
      if (name.includes('{code}')) expect({ name, has404: '404' in op.responses }).toEqual({ name, has404: true });
      if (op.requestBody && !PUBLIC.includes(name)) {
        expect({ name, statuses: Object.keys(op.responses) }).toEqual({ name, statuses: expect.arrayContaining(['409', '413', '415', '422']) });
      }
    }
  });

  it('declares whole numbers as integers: no `type: number` but the fractions', () => {
    const numbers: string[] = [];
    const walk = (s: unknown, where: string): void => {
      if (s === null || typeof s !== 'object') return;
      if ((s as Schema).type === 'number') numbers.push(where);
      for (const [k, v] of Object.entries(s)) walk(v, k === 'properties' || k === 'items' ? where : `${where}.${k}`);
    };
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      for (const [field, property] of Object.entries(schema.properties ?? {})) walk(property, `${name}.${field}`);
    }
    for (const [name, op] of operations()) for (const p of op.parameters ?? []) walk(p.schema, `${name} ${p.name}`);
    expect(numbers.sort()).toEqual(FRACTIONS);
  });

  it('answers a method a documented path does not have with 405 and Allow, and OPTIONS with Allow', async () => {
    const trace = await request(stack.baseUrl).delete('/api/v1/projects/2022-330602-39-03-000101');
    expect(trace.status).toBe(405);
    expect(trace.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(trace.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(trace.body).toEqual(expect.objectContaining({ status: 405, code: 'ROUTE.METHOD_NOT_ALLOWED' }));
    const options = await request(stack.baseUrl).options('/api/v1/calendar/2025');
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('GET, PUT, HEAD, OPTIONS');
    expect((await request(stack.baseUrl).delete('/api/v1/no-such-thing')).status).toBe(404);
  });
});
