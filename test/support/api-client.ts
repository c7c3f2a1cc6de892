import { expect } from '@jest/globals';
import request from 'supertest';
import type { StepDto } from '../../apps/api/src/projects/dto/project.response.js';
import { latestTrackDefinition, type StepDefinition } from '../../libs/domain/index.js';
import { testToken } from './tokens.js';

/** Base path of the public contract (DESIGN.md §5). */
export const API = '/api/v1';

/**
 * Who calls: a user whose bearer token (minted with the test secret) names `actor` as `sub`, `department` and
 * `roles`; `actor: null` sends no token (anonymous), `department: null` leaves the claim out. An optional
 * Idempotency-Key, or a raw `token` that replaces the minted one (token edge cases).
 */
export interface Caller {
  actor: string | null;
  department: string | null;
  roles?: string[];
  idempotencyKey?: string;
  token?: string;
}

/** A user with `roles` acting for `department` (a department key, or any string to test refusals). */
export function user(roles: string[], actor: string | null, department: string | null, idempotencyKey?: string): Caller {
  return { actor, department, roles, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) };
}

/** An officer of `department`. */
export function officer(actor: string | null, department: string | null = null, idempotencyKey?: string): Caller {
  return user(['officer'], actor, department, idempotencyKey);
}

/** The head of `department` (officer's rights plus reassign). */
export function head(actor: string, department: string, idempotencyKey?: string): Caller {
  return user(['department_head'], actor, department, idempotencyKey);
}

/** The district's major-project office, which registers projects. */
export const PROJECT_OFFICE: Caller = officer('po-chen', 'project_office');

/** A supervisor (督办) of the project office: reads everything, suspends and resumes. */
export const SUPERVISOR: Caller = user(['supervisor'], 'sup-zhou', 'project_office');

/** An administrator: loads calendars. */
export const ADMIN: Caller = user(['admin'], 'admin-wang', 'project_office');

/** A system caller that reports inbound facts (`POST /events`), e.g. the land revenue system. */
export const SYSTEM: Caller = user(['system'], 'land-revenue-system', 'project_office');

/** The bearer token of `caller` (null when anonymous). */
export function bearerOf(caller: Caller): string | null {
  if (caller.token !== undefined) return caller.token;
  if (caller.actor === null) return null;
  return testToken({ sub: caller.actor, name: caller.actor, roles: caller.roles ?? ['officer'], department: caller.department ?? undefined });
}

/** Sets the Authorization and Idempotency-Key headers of `caller` on `req`. */
export function withCaller(req: request.Test, caller: Caller | undefined): request.Test {
  if (!caller) return req;
  const token = bearerOf(caller);
  if (token !== null) req.set('Authorization', `Bearer ${token}`);
  if (caller.idempotencyKey !== undefined) req.set('Idempotency-Key', caller.idempotencyKey);
  return req;
}

/** A registration body for `code`, with plausible values; `overrides` replace or add fields. */
export function registration(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code,
    name: '高端装备制造基地项目',
    district: '越城区',
    investor: '浙江测试装备有限公司',
    investmentYuan: '10000000000',
    signedAt: '2022-03-05',
    ...overrides,
  };
}

/** A project code of the national format in region 330602 with serial `n`. */
export function projectCode(n: number): string {
  return `2022-330602-39-03-${String(n).padStart(6, '0')}`;
}

/** The standard track's steps in an order that respects their dependencies (Kahn's algorithm on dependsOn). */
export function standardStepOrder(): StepDefinition[] {
  const steps = [...latestTrackDefinition('standard').steps].reverse(); // do not lean on the definition's own order
  const done = new Set<string>();
  const out: StepDefinition[] = [];
  while (out.length < steps.length) {
    const next = steps.find((s) => !done.has(s.key) && s.dependsOn.every((d) => done.has(d)));
    if (!next) throw new Error('the standard track has a dependency cycle');
    done.add(next.key);
    out.push(next);
  }
  return out;
}

/** Thin HTTP client over supertest for the API of one test stack. Requests start when awaited. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  private withCaller(req: request.Test, caller: Caller | undefined): request.Test {
    return withCaller(req, caller);
  }

  /** POST /projects */
  register(body: unknown, caller: Caller = PROJECT_OFFICE): request.Test {
    return this.withCaller(request(this.baseUrl).post(`${API}/projects`), caller).send(body as object);
  }

  /** POST /projects/{code}/steps/{step}/actions */
  stepAction(code: string, step: string, body: unknown, caller: Caller): request.Test {
    return this.withCaller(request(this.baseUrl).post(`${API}/projects/${code}/steps/${step}/actions`), caller).send(body as object);
  }

  /** POST /events (a system caller by default). */
  postEvent(body: unknown, caller: Caller = SYSTEM): request.Test {
    return this.withCaller(request(this.baseUrl).post(`${API}/events`), caller).send(body as object);
  }

  /** Reports the land price of `code` paid in full now (the land title waits for it on standard@3); asserts success. */
  async landPricePaid(code: string): Promise<void> {
    const res = await this.postEvent({ projectCode: code, kind: 'land_price_paid', occurredAt: new Date().toISOString(), reference: `pay-${code}` });
    if (res.status !== 200 && res.status !== 201) throw new Error(`POST /events for ${code}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** POST /projects/{code}/actions */
  projectAction(code: string, body: unknown, caller: Caller = SUPERVISOR): request.Test {
    return this.withCaller(request(this.baseUrl).post(`${API}/projects/${code}/actions`), caller).send(body as object);
  }

  /** GET /projects/{code} */
  project(code: string, caller: Caller = SUPERVISOR): request.Test {
    return this.withCaller(request(this.baseUrl).get(`${API}/projects/${code}`), caller);
  }

  /** GET /projects/{code}/timeline */
  timeline(code: string, query: Record<string, string | number> = { pageSize: 200 }, caller: Caller = SUPERVISOR): request.Test {
    return this.withCaller(request(this.baseUrl).get(`${API}/projects/${code}/timeline`), caller).query(query);
  }

  /** GET /projects */
  projects(query: Record<string, string | number> = {}, caller: Caller = SUPERVISOR): request.Test {
    return this.withCaller(request(this.baseUrl).get(`${API}/projects`), caller).query(query);
  }

  /** GET /tasks */
  tasks(query: Record<string, string | number> = {}, caller: Caller = SUPERVISOR): request.Test {
    return this.withCaller(request(this.baseUrl).get(`${API}/tasks`).query(query), caller);
  }

  /** Any GET, path from the server root, as `caller` (a supervisor, who reads everything, unless said). */
  get(path: string, caller: Caller = SUPERVISOR): request.Test {
    return this.withCaller(request(this.baseUrl).get(path), caller);
  }

  /** Registers `code` and fails the test unless it answers 201. */
  async registerOk(code: string, overrides: Record<string, unknown> = {}): Promise<ProjectBody> {
    const res = await this.register(registration(code, overrides));
    expect(res.status).toBe(201);
    return res.body as ProjectBody;
  }

  /** Acts on a step and fails the test unless it answers 200. */
  async act(code: string, step: string, action: string, caller: Caller, extra: Record<string, unknown> = {}): Promise<ActionBody> {
    const res = await this.stepAction(code, step, { action, ...extra }, caller);
    if (res.status !== 200) throw new Error(`${action} ${step} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as ActionBody;
  }

  /** The project from the read model; fails unless 200. */
  async projectOk(code: string): Promise<ProjectBody> {
    const res = await this.project(code);
    expect(res.status).toBe(200);
    return res.body as ProjectBody;
  }

  /** The whole timeline (up to 200 entries); fails unless 200. */
  async timelineOk(code: string): Promise<TimelineEntryBody[]> {
    const res = await this.timeline(code);
    expect(res.status).toBe(200);
    return (res.body as { items: TimelineEntryBody[] }).items;
  }
}

/** A step as the API answers it: the response DTO itself, so a test reads the fields the contract has. */
export type StepBody = StepDto;

/** The fields of a project the tests read. */
export interface ProjectBody {
  code: string;
  name: string;
  track: string;
  district: string;
  stage: string;
  status: string;
  version: number;
  investmentYuan: string | null;
  suspendedAt: string | null;
  closedAt: string | null;
  steps: StepBody[];
  [field: string]: unknown;
}

/** A timeline entry. */
export interface TimelineEntryBody {
  seq: number;
  at: string;
  type: string;
  step: string | null;
  actor: string | null;
  actorDepartment: string | null;
  comment: string | null;
  data: Record<string, unknown>;
}

/** The answer of an action. */
export interface ActionBody {
  project: ProjectBody;
  step?: StepBody;
  entries: TimelineEntryBody[];
}

/** The step `key` of a project body. */
export function stepOf(project: ProjectBody, key: string): StepBody {
  const step = project.steps.find((s) => s.key === key);
  if (!step) throw new Error(`no step ${key} in ${project.code}`);
  return step;
}

/**
 * Asserts an RFC 9457 problem: status, content type, the stable `code`, every member of the document, and
 * `instance` naming the request path.
 * @returns the problem body, for further checks
 */
export function expectProblem(res: request.Response, status: number, code: string): ProblemBody {
  const body = res.body as ProblemBody;
  expect({ status: res.status, code: body.code, detail: body.detail }).toEqual({ status, code, detail: expect.any(String) });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/\S:\S/),
      title: expect.stringMatching(/\S/),
      status,
      detail: expect.stringMatching(/\S/),
      code,
      instance: expect.stringMatching(/^\/api\/v1\//),
    }),
  );
  return body;
}

/** What a refusal's `detail` must say: a text it contains, or a pattern it matches. */
export type DetailMatcher = string | RegExp;

/**
 * Asserts a refusal the way a client sees it: the HTTP status, the problem's stable `code`, a complete RFC 9457
 * document ({@link expectProblem}), and — when given — a `detail` that contains each text and matches each pattern.
 * The one assertion every tier uses for a refused request (controller, e2e).
 * @param detail one matcher or several; each must hold
 * @returns the problem body, for further checks (`errors`, `rule`)
 */
export function expectRefusal(res: request.Response, status: number, code: string, detail?: DetailMatcher | DetailMatcher[]): ProblemBody {
  const body = expectProblem(res, status, code);
  for (const m of detail === undefined ? [] : Array.isArray(detail) ? detail : [detail]) {
    if (typeof m === 'string') expect(body.detail).toContain(m);
    else expect(body.detail).toMatch(m);
  }
  return body;
}

/** A problem document. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  correlationId?: string;
  errors?: Array<{ field: string; message: string }>;
  /** AUTH.FORBIDDEN: the policy rule that refused. */
  rule?: string;
  /** DEPENDENCY.UNAVAILABLE: what did not answer (database, temporal, worker). */
  dependency?: string;
  /** DEPENDENCY.UNAVAILABLE from a health check: each dependency's state. */
  checks?: Record<string, { status: string; message?: string }>;
}

/** The field names of a validation problem's `errors`. */
export function problemFields(body: ProblemBody): string[] {
  return [...new Set((body.errors ?? []).map((e) => e.field))];
}
