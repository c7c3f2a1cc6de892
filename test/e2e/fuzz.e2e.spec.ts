import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { latestTrackDefinition } from '../../libs/domain/index.js';
import { ApiClient, projectCode } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { testToken } from '../support/tokens.js';

/*
 * Property-based fuzzing of every operation of the OpenAPI document (issue 6): fast-check generates path
 * parameters, queries, bodies (from the published schemas, with wrong types, unknown fields, odd text) and
 * callers (anonymous, garbage tokens, every role of several departments). Properties: no answer is a 5xx, every
 * refusal is problem+json, and a refused request (4xx) changes nothing in the read model. The test prints the
 * number of requests and their outcomes by status code. FUZZ_RUNS sets the runs per operation (default 250).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);

interface Schema {
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  example?: unknown;
  $ref?: string;
  allOf?: Schema[];
  nullable?: boolean;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: Schema | null;
}

const DEPARTMENTS = ['development_reform', 'natural_resources', 'ecology_environment', 'housing_construction', 'emergency_management', 'economy_information', 'customs', 'project_office'];
const ROLES = ['officer', 'department_head', 'supervisor', 'admin', 'system'];
const STEPS = latestTrackDefinition('standard').steps.map((s) => s.key);
const ODD_TEXT = ["' OR 1=1 --", '"; DROP TABLE projects; --', '../../etc/passwd', '%00', '\u202e', '𠮷', ' ', '<script>', '{"$gt":""}', 'a'.repeat(3000)];

describe('fuzzing every endpoint from the OpenAPI document (e2e)', () => {
  let stack: TestStack;
  let operations: Operation[];
  let components: Record<string, Schema>;
  const codes = [projectCode(800), projectCode(801), projectCode(802)];
  const outcomes = new Map<number, number>();
  const byOperation = new Map<string, Map<number, number>>();
  let total = 0;

  const fingerprint = async (): Promise<string> =>
    JSON.stringify(
      await stack.dataSource.query(
        `SELECT (SELECT count(*) FROM projects) AS projects, (SELECT coalesce(sum(version), 0) FROM projects) AS versions,
                (SELECT count(*) FROM timeline_entries) AS entries, (SELECT count(*) FROM project_steps WHERE state <> 'blocked') AS open,
                (SELECT coalesce(string_agg(year || ':' || source || ':' || loaded_at, ',' ORDER BY year), '') FROM calendar_years) AS years`,
      ),
    );
  const settled = async (): Promise<string> => {
    let last = await fingerprint();
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const now = await fingerprint();
      if (now === last) return now;
      last = now;
    }
    return last;
  };

  const resolve = (s: Schema | undefined): Schema => {
    if (!s) return {};
    if (s.$ref) return resolve(components[s.$ref.replace('#/components/schemas/', '')]);
    if (s.allOf?.length) return resolve(s.allOf[0]);
    return s;
  };

  /** A value for a schema: mostly plausible (enum, example), sometimes of the wrong type or odd text. */
  const valueOf = (raw: Schema | undefined, name: string, depth = 0): fc.Arbitrary<unknown> => {
    const s = resolve(raw);
    const odd = fc.oneof(fc.constantFrom(...ODD_TEXT), fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const plausible: fc.Arbitrary<unknown>[] = [];
    if (s.enum?.length) plausible.push(fc.constantFrom(...s.enum));
    if (s.example !== undefined) plausible.push(fc.constant(s.example));
    if (name === 'code' || name === 'projectCode') plausible.push(fc.constantFrom(...codes), fc.integer({ min: 803, max: 899 }).map(projectCode));
    if (name === 'assignee') plausible.push(fc.constantFrom('drc-li', 'nrp-wang'));
    if (plausible.length > 0 && s.type !== 'array') return fc.oneof({ arbitrary: fc.oneof(...plausible), weight: 12 }, { arbitrary: odd, weight: 1 });
    if (s.type === 'array') plausible.push(depth > 2 ? fc.constant([]) : fc.array(valueOf(s.items, name, depth + 1), { maxLength: 4 }));
    else if (s.type === 'integer' || s.type === 'number') plausible.push(fc.integer({ min: 1, max: 60 }));
    else if (s.type === 'boolean') plausible.push(fc.boolean());
    else if (s.type === 'object' && s.properties && depth < 3) plausible.push(objectOf(s, depth + 1));
    else plausible.push(fc.string({ maxLength: 40 }));
    return fc.oneof({ arbitrary: fc.oneof(...plausible), weight: 12 }, { arbitrary: odd, weight: 1 });
  };

  const objectOf = (s: Schema, depth = 0): fc.Arbitrary<Record<string, unknown>> => {
    const props = Object.entries(s.properties ?? {});
    const fields = Object.fromEntries(props.map(([k, v]) => [k, valueOf(v, k, depth)]));
    return fc
      .tuple(fc.record(fields, { requiredKeys: s.required ?? [] }), fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue(), { maxKeys: 2 }), { freq: 10 }))
      .map(([obj, extra]) => ({ ...(extra ?? {}), ...obj }));
  };

  const caller = fc.oneof(
    { arbitrary: fc.constant<string | null>(null), weight: 1 },
    { arbitrary: fc.constantFrom('garbage', 'a.b.c', testToken({ sub: 'x', name: 'x', roles: ['officer'], department: 'customs', exp: 1 })), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...ROLES), fc.constantFrom(...DEPARTMENTS))
        .map(([role, department]) => testToken({ sub: `${role}-${department}`, name: role, roles: [role], department })),
      weight: 8,
    },
    {
      // odd subjects (any text up to 80 characters) for the roles that write: they must never reach the database unchecked
      arbitrary: fc
        .tuple(fc.string({ minLength: 1, maxLength: 80 }), fc.constantFrom('supervisor', 'admin', 'officer'))
        .map(([sub, role]) => testToken({ sub, name: 'odd', roles: [role], department: 'project_office' })),
      weight: 1,
    },
  );

  beforeAll(async () => {
    stack = await startTestStack('fuzz');
    const api = new ApiClient(stack.baseUrl);
    for (const code of codes) await api.registerOk(code);
    const doc = (await request(stack.baseUrl).get('/docs/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> }; responses?: Record<string, { content?: Record<string, unknown> }> }>
      >;
      components: { schemas: Record<string, Schema> };
    };
    components = doc.components.schemas;
    // An endless server-sent event stream (GET /live) never answers in full: a request/response fuzzer cannot test it.
    const streams = (op: { responses?: Record<string, { content?: Record<string, unknown> }> }): boolean => 'text/event-stream' in (op.responses?.['200']?.content ?? {});
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).filter(([, op]) => !streams(op)).map(([method, op]) => ({
        method,
        path,
        parameters: op.parameters ?? [],
        body: op.requestBody ? (op.requestBody.content['application/json']?.schema ?? null) : null,
      })),
    );
  }, 120_000);

  afterAll(async () => {
    const line = [...outcomes.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ');
    const detail = [...byOperation.entries()]
      .map(([op, m]) => `  ${op.padEnd(52)} ${[...m.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`)
      .join('\n');
    process.stdout.write(`\nfuzz: ${total} requests over ${operations?.length ?? 0} operations (seed ${SEED}); by status: ${line}\n${detail}\n`);
    await stack?.close();
  });

  it('has operations to fuzz', () => {
    expect(operations.length).toBeGreaterThanOrEqual(12);
  });

  it('answers every generated request without a 5xx; a refusal is problem+json and changes nothing', async () => {
    for (const op of operations) {
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      const queryParams = op.parameters.filter((p) => p.in === 'query');
      const arbitrary = fc.record({
        path: fc.record(
          Object.fromEntries(
            pathParams.map((p) => [
              p.name,
              p.name === 'step'
                ? fc.oneof({ arbitrary: fc.constantFrom(...STEPS), weight: 6 }, fc.constantFrom(...ODD_TEXT), fc.string({ minLength: 1, maxLength: 20 }))
                : p.name === 'year'
                  ? fc.oneof(fc.integer({ min: 1990, max: 2110 }).map(String), fc.constantFrom('20x9', '-1', '1e3', '99999999999'))
                  : fc.oneof({ arbitrary: fc.constantFrom(...codes), weight: 6 }, valueOf(p.schema, p.name).map((v) => String(v)), fc.string({ minLength: 1, maxLength: 30 })),
            ]),
          ),
        ),
        query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, valueOf(p.schema, p.name)])), { requiredKeys: [] }),
        body: op.body ? fc.oneof({ arbitrary: objectOf(resolve(op.body)), weight: 5 }, { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 }) : fc.constant(undefined),
        token: caller,
        key: fc.option(fc.oneof({ arbitrary: fc.uuid(), weight: 6 }, fc.constantFrom('k1', 'k2', ' ', 'é')), { freq: 2 }),
      });
      const name = `${op.method.toUpperCase()} ${op.path}`;
      await fc.assert(
        fc.asyncProperty(arbitrary, async (input) => {
          const url = op.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String((input.path as Record<string, unknown>)[k] ?? '')));
          const req = request(stack.baseUrl)[op.method as 'get' | 'post' | 'put'](url);
          const query = Object.fromEntries(Object.entries(input.query).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]));
          req.query(query);
          if (input.token !== null) req.set('Authorization', `Bearer ${input.token}`);
          if (input.key !== null) req.set('Idempotency-Key', input.key);
          const before = await fingerprint();
          const res = await (input.body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(input.body)));
          total++;
          outcomes.set(res.status, (outcomes.get(res.status) ?? 0) + 1);
          const perOp = byOperation.get(name) ?? new Map<number, number>();
          perOp.set(res.status, (perOp.get(res.status) ?? 0) + 1);
          byOperation.set(name, perOp);
          expect({ status: res.status < 500 ? 'not 5xx' : res.status, body: res.status < 500 ? null : res.body }).toEqual({ status: 'not 5xx', body: null });
          if (process.env.FUZZ_DEBUG && res.status === 400) process.stdout.write(`${name} ${String((res.body as { detail?: string }).detail).slice(0, 120)}\n`);
          if (res.status >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|QueryFailedError|SELECT |node_modules/);
            expect(await fingerprint()).toEqual(before);
          } else if (op.method !== 'get') {
            await settled();
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }
    expect(total).toBe(RUNS * operations.length);
  }, 600_000);
});
