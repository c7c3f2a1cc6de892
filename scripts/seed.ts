/*
 * The demo seed: registers the projects of the district's 2022 report (./seed-data.ts)
 * and drives a believable share of their approval steps through the public HTTP API, as the officers of
 * each department would. Every write carries a deterministic Idempotency-Key (`seed:<code>:register`,
 * `seed:<code>:<n>`), so running the seed again answers the stored responses and changes nothing.
 *
 * Run directly: `API_URL=http://localhost:3000 node dist/scripts/seed.js` (one line per project).
 */
import { pathToFileURL } from 'node:url';
import type { Role, TokenSubject } from '../libs/auth/index.js';
import { DEPARTMENT_KEYS, latestTrackDefinition, type DepartmentKey } from '../libs/domain/index.js';
import { demoToken, demoUser } from './demo-users.js';
import { DEFAULT_COMMENTS, SEED_PROJECTS, type SeedAction, type SeedProject } from './seed-data.js';

/** Officers the seed acts as, one per department: the demo officers of scripts/demo-users.ts (token `sub`). */
export const SEED_OFFICERS: Readonly<Record<DepartmentKey, string>> = Object.fromEntries(
  DEPARTMENT_KEYS.map((d) => [d, demoUser('officer', d)!.sub]),
) as Record<DepartmentKey, string>;

/** The actor that registers the projects. */
export const SEED_REGISTRAR = { id: 'seed-project-office', department: 'project_office' as DepartmentKey, role: 'officer' as Role };

/** Who the seed acts as: a token subject with one role. */
interface SeedActor {
  id: string;
  department: DepartmentKey;
  role: Role;
}

const tokens = new Map<string, Promise<string>>();

/** A bearer token for `actor`, minted once per run with the API's JWT_SECRET (or the development secret). */
function bearer(actor: SeedActor): Promise<string> {
  const key = `${actor.role}\u0000${actor.id}\u0000${actor.department}`;
  let token = tokens.get(key);
  if (!token) {
    const subject: TokenSubject = { sub: actor.id, name: actor.id, roles: [actor.role], department: actor.department };
    token = demoToken(subject, '1h');
    tokens.set(key, token);
  }
  return token;
}

/** Reads as the demo supervisor, who reads everything. */
const READER: SeedActor = { id: demoUser('supervisor')!.sub, department: 'project_office', role: 'supervisor' };

/** One write of a project's script, as done. */
export interface SeedActionOutcome {
  /** Position in the script (the `<n>` of the Idempotency-Key `seed:<code>:<n>`). */
  n: number;
  /** `step.action` (e.g. `eia_approval.return`) or `project.suspend`. */
  action: string;
  /** Who acted. */
  actor: string;
  /** State of the step (or status of the project) the API answered. */
  result: string;
  /** True when the API answered a stored response (a repeat of an earlier seed): no new effect. */
  replayed: boolean;
}

/** What the seed did to one project, and where the project stands afterwards. */
export interface SeedProjectReport {
  code: string;
  name: string;
  signedAt: string;
  investmentYuan: string;
  /** `created` (201), `replayed` (201 answered again by Idempotency-Key) or `existed` (409, registered before). */
  registration: 'created' | 'replayed' | 'existed';
  actions: SeedActionOutcome[];
  stage: string;
  status: string;
  version: number;
}

/** The seed's answer: one entry per project, in seed order. */
export interface SeedReport {
  baseUrl: string;
  projects: SeedProjectReport[];
}

/**
 * A write or read the API refused or failed, with what the API said. `code` is the problem+json `code`
 * (e.g. `STEP.INVALID_STATE`), or `HTTP.<status>` / `NETWORK` when there was none.
 */
export class SeedError extends Error {
  constructor(
    readonly what: string,
    readonly status: number | null,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${what}: ${status ?? 'no response'} ${code} — ${detail}`);
    this.name = 'SeedError';
  }
}

/**
 * Whether the district still needs seeding.
 * @param baseUrl the API's origin, e.g. `http://localhost:3000` (the `/api/v1` base path is added)
 * @returns true when `GET /api/v1/projects` answers `total` 0
 * @throws SeedError when the API cannot be reached or does not answer 200
 */
export async function seedIsNeeded(baseUrl: string): Promise<boolean> {
  const res = await request(baseUrl, 'GET', '/projects?page=1&pageSize=1', undefined, await authHeader(READER));
  if (res.status !== 200) throw problemError('GET /api/v1/projects', res);
  return (res.body as { total: number }).total === 0;
}

/**
 * Seeds the demo district: registers every project of {@link SEED_PROJECTS} (as the project-office officer
 * `seed-project-office`) and runs its script of step actions as the officer of the responsible department
 * ({@link SEED_OFFICERS}) and project actions (suspend, resume) as `po-sun` with the supervisor role. Every call
 * carries a bearer token minted with JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE of the environment (the development
 * defaults of `npm start` when unset), so the seed and the API it calls must share them. Repeating it has no second effect:
 * each write carries its own deterministic Idempotency-Key, and a repeat answers the stored response; a
 * registration refused with 409 `PROJECT.ALREADY_EXISTS` counts as done too.
 * Transient answers (503, 409 `IDEMPOTENCY.IN_PROGRESS`, a dropped connection) are retried a few times.
 * @param baseUrl the API's origin, e.g. `http://localhost:3000`
 * @param log receives one line per project once it is seeded (default: nothing)
 * @returns per project: registration outcome, the actions done, final stage, status and version
 * @throws SeedError on the first write or read the API refuses (its problem `code` and `detail` included)
 */
export async function seedDistrict(
  baseUrl: string,
  log: (line: string) => void = () => undefined,
  options: SeedOptions = {},
): Promise<SeedReport> {
  const projects: SeedProjectReport[] = [];
  const chosen = options.limit === undefined ? SEED_PROJECTS : SEED_PROJECTS.slice(0, options.limit);
  for (const project of chosen) {
    const report = await seedProject(baseUrl, project, options.signal);
    projects.push(report);
    log(formatProjectLine(report));
    await options.onProjectDone?.(projects.length);
  }
  return { baseUrl, projects };
}

/** Options of {@link seedDistrict}. */
export interface SeedOptions {
  /** Seed only the first `limit` projects (a seed stopped part-way, in tests). */
  limit?: number;
  /** Called after each project is seeded whole, with how many are done. */
  onProjectDone?: (done: number) => Promise<void> | void;
  /** Once aborted, no further write is sent (a write in flight finishes); the signal's reason is thrown. */
  signal?: AbortSignal;
}

/** Name of the demo seed's run in the `seed_runs` table. */
export const DEMO_SEED = 'demo-2022';

/** Where the demo seed's run is recorded: the read model's `seed_runs` table (SeedRunRepository) or a fake. */
export interface SeedRunLog {
  find(name: string): Promise<{ projectsDone: number; projectsTotal: number; completedAt: Date | null } | null>;
  markStarted(name: string, projectsTotal: number): Promise<void>;
  recordProgress(name: string, projectsDone: number): Promise<void>;
  markCompleted(name: string): Promise<void>;
}

/** What the start does about the demo seed: `seed` (first time), `resume` (it stopped part-way), or `skip` (and why). */
export type SeedDecision = { kind: 'seed' | 'resume'; why: string } | { kind: 'skip'; why: string };

/**
 * Decides whether the start runs the demo seed. A completed run is never repeated; a run that began and did not
 * complete is resumed (its Idempotency-Keys make the writes already done answer their stored responses). With no
 * record of a run, an empty read model is seeded; a read model holding projects of the demo seed (seeded by a
 * version that kept no record, or stopped part-way) is resumed; one holding only other projects is left alone.
 * @param run the recorded run, or null
 * @param projectsInReadModel the read model's project count
 * @param holdsSeedProject whether the read model holds the demo seed's first project
 * @param enabled false when SEED=false
 */
export function seedDecision(
  run: { projectsDone: number; projectsTotal: number; completedAt: Date | null } | null,
  projectsInReadModel: number,
  holdsSeedProject: boolean,
  enabled: boolean,
): SeedDecision {
  if (!enabled) return { kind: 'skip', why: 'SEED=false' };
  if (run?.completedAt) return { kind: 'skip', why: `the demo seed completed on ${run.completedAt.toISOString()} (${run.projectsTotal} projects)` };
  if (run) return { kind: 'resume', why: `the demo seed stopped part-way (${run.projectsDone} of ${run.projectsTotal} projects seeded whole): resuming` };
  if (projectsInReadModel === 0) return { kind: 'seed', why: 'empty district: importing the district ledger (seed/district-ledger.xlsx) and seeding the projects of the 2022 report through the API' };
  if (holdsSeedProject) return { kind: 'resume', why: 'the read model holds projects of the demo seed but no record of its completion: resuming it' };
  return { kind: 'skip', why: `${projectsInReadModel} project(s) in the read model, none of the demo seed: not seeding` };
}

/**
 * Runs the demo seed to completion and records it: marks the run started, the projects done one by one, and
 * completed at the end. A run that fails part-way stays recorded as started, so the next start resumes it.
 * @param baseUrl the API's origin
 * @param runs where the run is recorded
 * @param log one line per project
 * @param options `limit` stops after that many projects without marking completion (a seed stopped part-way);
 *   `signal` stops it before its next write, leaving it to be resumed
 * @returns the seed's report
 * @throws SeedError as {@link seedDistrict}
 */
export async function runDemoSeed(baseUrl: string, runs: SeedRunLog, log: (line: string) => void = () => undefined, options: Pick<SeedOptions, 'limit' | 'signal'> = {}): Promise<SeedReport> {
  await runs.markStarted(DEMO_SEED, SEED_PROJECTS.length);
  const report = await seedDistrict(baseUrl, log, { ...options, onProjectDone: (done) => runs.recordProgress(DEMO_SEED, done) });
  if (report.projects.length === SEED_PROJECTS.length) await runs.markCompleted(DEMO_SEED);
  return report;
}

/**
 * One line about a seeded project, for logs and the CLI.
 * @param p a project of a {@link SeedReport}
 * @returns e.g. `2022-330602-39-03-000101 比亚迪… signed 2022-04-15 ¥10000000000 → groundbreaking/completed (26 actions, 0 new)`
 */
export function formatProjectLine(p: SeedProjectReport): string {
  const fresh = p.actions.filter((a) => !a.replayed).length;
  return (
    `${p.code} ${p.name} signed ${p.signedAt} ¥${p.investmentYuan} → ${p.stage}/${p.status} ` +
    `(registration ${p.registration}; ${p.actions.length} actions, ${fresh} new)`
  );
}

/**
 * When the n-th write of a project's script happened in 2022 (Asia/Shanghai): registration two days after
 * signing at 09:00, then one write every `paceDays` calendar days at 10:00, moved off weekends. The seed
 * sends these as `occurredAt`, so clocks, lights and the groundbreaking promise run from the real 2022
 * dates; the same on every run, so the Idempotency-Keys stay valid.
 */
export function seedInstants(project: Pick<SeedProject, 'signedAt' | 'paceDays' | 'script'>): string[] {
  const pace = project.paceDays ?? 4;
  const offWeekend = (d: Date) => {
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
    return d;
  };
  const first = offWeekend(new Date(`${project.signedAt}T00:00:00Z`));
  first.setUTCDate(first.getUTCDate() + (project.signedAt <= '2021-12-31' ? 0 : 2));
  const out = [`${offWeekend(first).toISOString().slice(0, 10)}T09:00:00+08:00`];
  let last = offWeekend(first);
  for (const action of project.script) {
    const on = action.kind !== 'project' ? action.on : undefined;
    const sameDay = action.kind !== 'project' && action.sameDay === true;
    if (on) last = new Date(`${on}T00:00:00Z`);
    else if (sameDay) {
      // the same day as the write before it, an hour later
      const previous = out[out.length - 1]!;
      out.push(new Date(Date.parse(previous) + 3_600_000).toISOString().replace(/\.000Z$/, 'Z'));
      continue;
    } else {
      last = new Date(last);
      last.setUTCDate(last.getUTCDate() + pace);
      offWeekend(last);
    }
    out.push(`${last.toISOString().slice(0, 10)}T10:00:00+08:00`);
  }
  return out;
}

/** The instant of write `n` (0 = registration) of a project's script; see {@link seedInstants}. */
export function seedInstant(project: Pick<SeedProject, 'signedAt' | 'paceDays' | 'script'>, n: number): string {
  return seedInstants(project)[n]!;
}

async function seedProject(baseUrl: string, project: SeedProject, signal?: AbortSignal): Promise<SeedProjectReport> {
  const { code } = project;
  const registration = await writeWithRetry(
    baseUrl,
    '/projects',
    {
      code,
      name: project.name,
      track: project.track ?? 'standard',
      district: project.district,
      investor: project.investor,
      investmentYuan: project.investmentYuan,
      signedAt: project.signedAt,
      occurredAt: seedInstant(project, 0),
    },
    SEED_REGISTRAR,
    `seed:${code}:register`,
    signal,
  );
  let registered: 'created' | 'replayed' | 'existed';
  let registeredAt: string;
  if (registration.status === 201) {
    registered = registration.replayed ? 'replayed' : 'created';
    registeredAt = (registration.body as { registeredAt: string }).registeredAt;
  } else if (registration.status === 409 && problemCode(registration.body) === 'PROJECT.ALREADY_EXISTS') {
    registered = 'existed';
    registeredAt = (await readProject(baseUrl, code)).registeredAt;
  } else {
    throw problemError(`register ${code}`, registration);
  }

  const definition = latestTrackDefinition(project.track ?? 'standard');
  const actions: SeedActionOutcome[] = [];
  for (const [i, action] of project.script.entries()) {
    const n = i + 1;
    const key = `seed:${code}:${n}`;
    if (action.kind === 'fact') {
      // The public resource exchange reports the land price paid in full (POST /events, a system caller).
      const actor: SeedActor = { id: demoUser('system')!.sub, department: 'project_office', role: 'system' };
      const res = await writeWithRetry(
        baseUrl,
        '/events',
        { projectCode: code, kind: action.fact, occurredAt: seedInstant(project, n), reference: action.reference },
        actor,
        key,
        signal,
      );
      if (res.status !== 200 && res.status !== 201) throw problemError(`${code} #${n} event ${action.fact}`, res);
      actions.push({ n, action: `event.${action.fact}`, actor: actor.id, result: 'recorded', replayed: res.replayed });
      continue;
    }
    if (action.kind === 'project') {
      const actor: SeedActor = { id: SEED_OFFICERS.project_office, department: 'project_office', role: 'supervisor' };
      const res = await writeWithRetry(
        baseUrl,
        `/projects/${code}/actions`,
        { action: action.action, comment: action.comment, occurredAt: seedInstant(project, n) },
        actor,
        key,
        signal,
      );
      if (res.status !== 200) throw problemError(`${code} #${n} project ${action.action}`, res);
      const body = res.body as { project: { status: string } };
      actions.push({ n, action: `project.${action.action}`, actor: actor.id, result: body.project.status, replayed: res.replayed });
      continue;
    }
    const stepDef = definition.steps.find((s) => s.key === action.step);
    if (!stepDef) throw new SeedError(`${code} #${n}`, null, 'SEED.UNKNOWN_STEP', `the ${definition.track} track has no step '${action.step}'`);
    const actor: SeedActor = action.byHead
      ? { id: demoUser('department_head', stepDef.department)!.sub, department: stepDef.department, role: 'department_head' }
      : { id: SEED_OFFICERS[stepDef.department], department: stepDef.department, role: 'officer' };
    const body = { ...stepActionBody(action, registeredAt), occurredAt: seedInstant(project, n) };
    const res = await writeWithRetry(baseUrl, `/projects/${code}/steps/${action.step}/actions`, body, actor, key, signal);
    if (res.status !== 200) throw problemError(`${code} #${n} ${action.step}.${action.action}`, res);
    const answered = res.body as { step: { state: string } };
    actions.push({ n, action: `${action.step}.${action.action}`, actor: actor.id, result: answered.step.state, replayed: res.replayed });
  }

  const final = await readProject(baseUrl, code);
  return {
    code,
    name: project.name,
    signedAt: project.signedAt,
    investmentYuan: project.investmentYuan,
    registration: registered,
    actions,
    stage: final.stage,
    status: final.status,
    version: final.version,
  };
}

/** The body of a step action; the same on every run (see SeedAction.waiverDueInDays). */
function stepActionBody(action: Extract<SeedAction, { kind: 'step' }>, registeredAt: string): Record<string, string | number> {
  const body: Record<string, string | number> = { action: action.action };
  if (action.extensionWorkingDays !== undefined) body.extensionWorkingDays = action.extensionWorkingDays;
  if (action.exclusionKind !== undefined) body.exclusionKind = action.exclusionKind;
  const defaults = (DEFAULT_COMMENTS as Record<string, { accept: string; approve: string } | undefined>)[action.step];
  const fallback = action.action === 'accept' || action.action === 'approve' ? defaults?.[action.action] : undefined;
  const comment = action.comment ?? fallback;
  if (comment !== undefined) body.comment = comment;
  if (action.action === 'waive' && action.waiverDueInDays !== undefined) {
    body.waiverDueOn = addDays(registeredAt.slice(0, 10), action.waiverDueInDays);
  }
  return body;
}

/** `YYYY-MM-DD` plus `days` calendar days. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function readProject(baseUrl: string, code: string): Promise<{ registeredAt: string; stage: string; status: string; version: number }> {
  const res = await request(baseUrl, 'GET', `/projects/${code}`, undefined, await authHeader(READER));
  if (res.status !== 200) throw problemError(`GET /api/v1/projects/${code}`, res);
  return res.body as { registeredAt: string; stage: string; status: string; version: number };
}

interface ApiAnswer {
  status: number;
  body: unknown;
  replayed: boolean;
}

const RETRIES = 5;

/** The Authorization header of `actor`. */
async function authHeader(actor: SeedActor): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await bearer(actor)}` };
}

/**
 * A write with the actor's bearer token and an Idempotency-Key; transient failures are retried with the same key.
 * @throws the reason of `signal` when it is aborted before an attempt (a write in flight is not cut)
 */
async function writeWithRetry(
  baseUrl: string,
  path: string,
  body: unknown,
  actor: SeedActor,
  key: string,
  signal?: AbortSignal,
): Promise<ApiAnswer> {
  const headers = { ...(await authHeader(actor)), 'Idempotency-Key': key };
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    let res: ApiAnswer;
    try {
      res = await request(baseUrl, 'POST', path, body, headers);
    } catch (err) {
      if (attempt >= RETRIES) throw err;
      await sleep(300 * attempt);
      continue;
    }
    const transient = res.status === 503 || (res.status === 409 && problemCode(res.body) === 'IDEMPOTENCY.IN_PROGRESS');
    if (!transient || attempt >= RETRIES) return res;
    await sleep(300 * attempt);
  }
}

async function request(baseUrl: string, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/v1${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new SeedError(`${method} ${url}`, null, 'NETWORK', cause?.code ?? cause?.message ?? String(err));
  }
  const text = await res.text();
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, body: parsed, replayed: res.headers.get('idempotent-replayed') === 'true' };
}

function problemCode(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function problemError(what: string, res: ApiAnswer): SeedError {
  const detail = (res.body as { detail?: unknown } | null)?.detail;
  return new SeedError(what, res.status, problemCode(res.body) ?? `HTTP.${res.status}`, typeof detail === 'string' ? detail : JSON.stringify(res.body));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// CLI: `node dist/scripts/seed.js` seeds the API at API_URL (default http://localhost:3000).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const baseUrl = process.env.API_URL ?? 'http://localhost:3000';
  seedDistrict(baseUrl, (line) => console.log(line)).then(
    (report) => console.log(`seeded ${report.projects.length} projects at ${baseUrl}`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
