import { expect } from '@jest/globals';
import request from 'supertest';
import { latestTrackDefinition, type StepDefinition } from '../../libs/domain/index.js';

/** Base path of the public contract (DESIGN.md §5). */
export const API = '/api/v1';

/** Who calls: the headers of DESIGN.md §5 (null leaves a header out) and an optional Idempotency-Key. */
export interface Caller {
  actor: string | null;
  department: string | null;
  idempotencyKey?: string;
}

/** A caller acting for `department` (a department key, or any string to test refusals). */
export function officer(actor: string | null, department: string | null = null, idempotencyKey?: string): Caller {
  return { actor, department, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) };
}

/** The district's major-project office, which registers projects. */
export const PROJECT_OFFICE: Caller = officer('po-chen', 'project_office');

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
    if (!caller) return req;
    if (caller.actor !== null) req.set('X-Actor', caller.actor);
    if (caller.department !== null) req.set('X-Actor-Department', caller.department);
    if (caller.idempotencyKey !== undefined) req.set('Idempotency-Key', caller.idempotencyKey);
    return req;
  }

  /** POST /projects */
  register(body: unknown, caller: Caller = PROJECT_OFFICE): request.Test {
    return this.withCaller(request(this.baseUrl).post(`${API}/projects`), caller).send(body as object);
  }

  /** POST /projects/{code}/steps/{step}/actions */
  stepAction(code: string, step: string, body: unknown, caller: Caller): request.Test {
    return this.withCaller(request(this.baseUrl).post(`${API}/projects/${code}/steps/${step}/actions`), caller).send(body as object);
  }

  /** POST /projects/{code}/actions */
  projectAction(code: string, body: unknown, caller: Caller = PROJECT_OFFICE): request.Test {
    return this.withCaller(request(this.baseUrl).post(`${API}/projects/${code}/actions`), caller).send(body as object);
  }

  /** GET /projects/{code} */
  project(code: string): request.Test {
    return request(this.baseUrl).get(`${API}/projects/${code}`);
  }

  /** GET /projects/{code}/timeline */
  timeline(code: string, query: Record<string, string | number> = { pageSize: 200 }): request.Test {
    return request(this.baseUrl).get(`${API}/projects/${code}/timeline`).query(query);
  }

  /** GET /projects */
  projects(query: Record<string, string | number> = {}): request.Test {
    return request(this.baseUrl).get(`${API}/projects`).query(query);
  }

  /** GET /tasks */
  tasks(query: Record<string, string | number> = {}, caller?: Caller): request.Test {
    return this.withCaller(request(this.baseUrl).get(`${API}/tasks`).query(query), caller);
  }

  /** Any GET, path from the server root. */
  get(path: string): request.Test {
    return request(this.baseUrl).get(path);
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

/** The fields of a step the tests read. */
export interface StepBody {
  key: string;
  state: string;
  department: string;
  dependsOn: string[];
  actor: string | null;
  comment: string | null;
  acceptedAt: string | null;
  decidedAt: string | null;
  limit: { value: number; unit: string };
  availableActions: string[];
  clockStops: Array<{ stoppedAt: string; resumedAt: string | null; reason: string }>;
  [field: string]: unknown;
}

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
}

/** The field names of a validation problem's `errors`. */
export function problemFields(body: ProblemBody): string[] {
  return [...new Set((body.errors ?? []).map((e) => e.field))];
}
