/*
 * `npm run bench:stuck`: the supervisors' lists through HTTP. Starts its own embedded PostgreSQL in a temp folder,
 * applies the migrations, bulk-inserts a realistic mix of BENCH_PROJECTS projects (default 10,000) with every step
 * of the standard track (≈15 % with a red step, ≈10 % at risk, ≈20 % idle, 5 % suspended, 5 % completed; six
 * districts; every stage), fills their stuck keys and the summary's counters as the write path would, VACUUM ANALYZEs, then starts the API in
 * this process on that database (Temporal is not needed for these reads: its connection stays lazy) and times
 * BENCH_N requests (default 200, after 10 warm-up ones) per case over keep-alive HTTP, each from its start until its
 * answer's last byte has arrived (decoding and checking the JSON comes after), with a supervisor's or an
 * officer's bearer token: the stuck list with several filter combinations, pages by number and by cursor, the
 * summary, both as of a week ago (a dated report: the list counted on the rows, the summary from that day's snapshot
 * of the counters; the seed takes a month of them), a department's GET /tasks and GET /projects
 * with filters (BENCH_ONLY, a regular expression, times only the figures it matches). Prints a table (figure, goal, median, p99, the
 * response's size),
 * the machine's load average, and EXPLAIN (ANALYZE, BUFFERS) of the stuck list (page and count) and the summary
 * as the API runs them. Leaves nothing behind. A script, not a test: the figures depend on the machine.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApiApp } from '../apps/api/src/bootstrap.js';
import { DEVELOPMENT_JWT_SECRET } from '../libs/auth/index.js';
import { startOfShanghaiDay, toShanghaiDate } from '../libs/calendar/index.js';
import { idleWindowStart, latestTrackDefinition } from '../libs/domain/index.js';
import {
  CalendarRepository,
  loadCalendar,
  openDatabase,
  ProjectReadModelRepository,
  stuckCountQuery,
  stuckListQuery,
  summaryQuery,
  SupervisionRepository,
} from '../libs/persistence/index.js';
import { COUNTS_FILL } from '../libs/persistence/supervision-counters.js';
import { demoToken, demoUser } from './demo-users.js';
import { startEmbeddedPostgres } from './embedded-services.js';

const N = Number(process.env.BENCH_N ?? 200);
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 10_000);
const WARM_UP = 10;

/** Median and p99 (nearest rank) of the timings, ms. */
function quantiles(ms: number[]): { median: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  return { median: q(0.5), p99: q(0.99) };
}

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

const sqlText = (v: string): string => `'${v.replace(/'/g, "''")}'`;

/**
 * The seed as two set-based INSERTs: projects from generate_series, and every step of the standard track per
 * project from a VALUES list of the definition. Project i has finished the steps before position
 * `progress(i)`; the step at it is in review (light red for ≈15 %, yellow for ≈10 %), the ones whose
 * dependencies are done are ready, the rest blocked. Deterministic (hash of i), so runs compare.
 */
function seedSql(): string[] {
  const def = latestTrackDefinition('standard');
  const steps = def.steps.map((s, i) => `(${sqlText(s.key)}, ${i}, ${sqlText(s.name)}, ${sqlText(s.nameZh)}, ${sqlText(s.stage)}, ${sqlText(s.department)}, ${s.limit.value})`);
  const districts = ['越城区', '柯桥区', '上虞区', '诸暨市', '嵊州市', '新昌县'].map(sqlText).join(',');
  const last = def.steps.length - 1;
  return [
    `CREATE TEMP TABLE seed AS
       SELECT i,
              '2022-330602-39-03-' || lpad(i::text, 6, '0') AS code,
              (i * 37) % 100 AS r_light, (i * 53) % 100 AS r_risk, (i * 71) % 100 AS r_idle, (i * 89) % 100 AS r_status,
              (i * 13) % ${last + 1} AS progress
         FROM generate_series(1, ${PROJECTS}) AS i`,
    `CREATE TEMP TABLE step_def (step_key text, position int, name text, name_zh text, stage text, department text, limit_value int)`,
    `INSERT INTO step_def VALUES ${steps.join(',')}`,
    `INSERT INTO projects (code, name, track, definition_version, district, investor, investment_yuan, signed_at, registered_at, registered_by,
        status, stage, version, last_progress_at, suspended_at, closed_at, updated_at, light, next_deadline, project_clocks,
        at_risk, at_risk_reason, forecast_finish_on, slack_working_days, forecast, under_supervision, supervision, overdue_steps)
     SELECT s.code, 'bench project ' || s.i, 'standard', ${def.version}, (ARRAY[${districts}])[1 + s.i % 6], NULL, '100000000',
        date '2025-01-01' + (s.i % 300), now() - interval '300 days', 'bench',
        CASE WHEN s.r_status < 5 THEN 'suspended' WHEN s.r_status < 10 THEN 'completed' ELSE 'active' END,
        d.stage, 10,
        CASE WHEN s.r_idle < 20 THEN now() - make_interval(days => 20 + s.i % 100) ELSE now() - make_interval(hours => s.i % 240) END,
        CASE WHEN s.r_status < 5 THEN now() - interval '30 days' END,
        CASE WHEN s.r_status BETWEEN 5 AND 9 THEN now() - interval '10 days' END,
        now(),
        CASE WHEN s.r_status BETWEEN 5 AND 9 THEN 'green' WHEN s.r_light < 15 THEN 'red' WHEN s.r_light < 25 THEN 'yellow' ELSE 'green' END,
        now() + make_interval(days => s.i % 30), '[]'::jsonb,
        s.r_risk < 10, CASE WHEN s.r_risk < 10 THEN 'groundbreaking promise: forecast past the deadline' END,
        CASE WHEN s.r_risk < 10 THEN date '2027-03-01' + s.i % 60 END,
        CASE WHEN s.r_risk < 10 THEN -(1 + s.i % 25) ELSE 5 + s.i % 40 END,
        NULL, s.i % 50 = 0,
        CASE WHEN s.i % 50 = 0 THEN jsonb_build_object('step', d.step_key, 'department', d.department, 'since', now(), 'by', 'po-bench', 'comment', '督办') END,
        CASE WHEN s.r_status NOT BETWEEN 5 AND 9 AND s.r_light < 15 THEN 1 ELSE 0 END
       FROM seed s JOIN step_def d ON d.position = s.progress`,
    `INSERT INTO project_steps (project_code, step_key, position, name, name_zh, stage, department, depends_on, limit_value, limit_unit,
        limit_source, limit_confidence, state, assignee, ready_at, accepted_at, decided_at, actor, comment, waiver_due_on, clock_stops,
        available_actions, version, updated_at, due_on, due_at, light, provisional, deadline)
     SELECT s.code, d.step_key, d.position, d.name, d.name_zh, d.stage, d.department, '{}', d.limit_value, 'working_days', 'bench', 'high',
        CASE WHEN closed THEN 'approved' WHEN d.position < s.progress THEN 'approved' WHEN d.position = s.progress THEN 'in_review'
             WHEN d.position = s.progress + 1 THEN 'ready' ELSE 'blocked' END,
        NULL, now() - interval '60 days', CASE WHEN d.position <= s.progress THEN now() - interval '50 days' END,
        CASE WHEN closed OR d.position < s.progress THEN now() - interval '40 days' END, NULL, NULL, NULL, '[]'::jsonb, '{}', 10, now(),
        CASE WHEN open_clock THEN (now() AT TIME ZONE 'Asia/Shanghai')::date + CASE WHEN s.r_light < 15 THEN -(1 + s.i % 40) ELSE s.i % 15 END END,
        CASE WHEN open_clock THEN ((now() AT TIME ZONE 'Asia/Shanghai')::date + 1 + CASE WHEN s.r_light < 15 THEN -(1 + s.i % 40) ELSE s.i % 15 END)::timestamp AT TIME ZONE 'Asia/Shanghai' END,
        CASE WHEN open_clock THEN CASE WHEN s.r_light < 15 THEN 'red' WHEN s.r_light < 25 THEN 'yellow' ELSE 'green' END END,
        false, NULL
       FROM seed s CROSS JOIN step_def d
       CROSS JOIN LATERAL (SELECT s.r_status BETWEEN 5 AND 9 AS closed) c
       CROSS JOIN LATERAL (SELECT NOT c.closed AND d.position = s.progress AS open_clock) o`,
    // The stuck keys as the write path (projectRowOf → the domain's stuckKeysOf) decides them; the same statement as
    // the StuckKeys migration's fill of stored rows.
    `UPDATE projects p SET
        stuck_tier = CASE WHEN k.statutory THEN 0 WHEN k.red THEN 1 WHEN p.at_risk THEN 2 ELSE 3 END,
        urgency_statutory_at = coalesce(k.statutory_at, '9999-12-31T00:00:00Z'),
        urgency_red_at = coalesce(k.red_at, '9999-12-31T00:00:00Z'),
        urgency_slack = CASE WHEN NOT k.red AND p.at_risk THEN coalesce(p.slack_working_days, 2147483647) ELSE 2147483647 END,
        open_departments = k.departments,
        open_due_days = k.due_days
      FROM (SELECT s.project_code,
                   coalesce(range_agg(daterange(s.due_on, s.due_on, '[]')) FILTER (WHERE s.state IN ('in_review', 'supplement_requested') AND s.due_on IS NOT NULL), '{}') AS due_days,
                   bool_or(s.statutory_overdue AND s.state IN ('in_review', 'supplement_requested')) AS statutory,
                   min(s.statutory_due_at) FILTER (WHERE s.statutory_overdue AND s.state IN ('in_review', 'supplement_requested')) AS statutory_at,
                   bool_or(s.light = 'red') AS red,
                   min(s.due_at) FILTER (WHERE s.light = 'red') AS red_at,
                   coalesce(array_agg(DISTINCT s.department::text ORDER BY s.department::text)
                     FILTER (WHERE s.state IN ('ready', 'received', 'in_review', 'supplement_requested')), '{}') AS departments
              FROM project_steps s GROUP BY s.project_code) k
     WHERE k.project_code = p.code`,
    // The work queue's order on the step rows, as stepRowOf writes it (the DeskOrder migration's fill).
    `UPDATE project_steps s SET
        desk_tier = CASE s.state WHEN 'in_review' THEN 0 WHEN 'received' THEN 0 WHEN 'ready' THEN 1 WHEN 'supplement_requested' THEN 2 ELSE 3 END,
        desk_since = coalesce(s.accepted_at, s.received_at, s.ready_at),
        project_running = p.status IN ('active', 'suspended')
      FROM projects p WHERE p.code = s.project_code`,
    // The summary's counters, as the write path would have moved them (the migration's fill).
    'DELETE FROM supervision_counts',
    ...COUNTS_FILL,
    'VACUUM ANALYZE projects',
    'VACUUM ANALYZE project_steps',
    'VACUUM ANALYZE supervision_counts',
  ];
}

/** One figure of the table: a GET through HTTP with a token, its goal (p99, ms). */
interface Case {
  figure: string;
  goalP99Ms: number;
  path: () => string;
  token: string;
}


async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'approvals-bench-stuck-'));
  chmodSync(tmp, 0o755);
  const pgServer = await startEmbeddedPostgres(path.join(tmp, 'pg'), 20000 + Math.floor(Math.random() * 20000), 'bench');
  const ds = await openDatabase(pgServer.url);
  let app: INestApplication | null = null;
  try {
    const t = performance.now();
    for (const sql of seedSql()) await ds.query(sql);
    const [counts] = (await ds.query(`SELECT (SELECT count(*) FROM projects)::int AS projects, (SELECT count(*) FROM project_steps)::int AS steps,
        (SELECT count(*) FROM projects WHERE overdue_steps > 0)::int AS red,
        (SELECT count(*) FROM projects WHERE at_risk)::int AS at_risk,
        (SELECT count(*) FROM projects WHERE last_progress_at < now() - interval '15 days')::int AS idle`)) as Array<Record<string, number>>;
    say(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);

    // A month of the daily supervision snapshots, as the schedule takes them at 23:50 (each of today's counters: the
    // seed has no history), so the summary as of a past day is answered as in production.
    const calendar = await loadCalendar(new CalendarRepository(ds));
    const snapshotsBegan = performance.now();
    const supervisionRepo = new SupervisionRepository(ds);
    for (let back = 30; back >= 1; back--) {
      const day = toShanghaiDate(Date.now() - back * 86_400_000);
      await supervisionRepo.snapshotDay(day, new Date(startOfShanghaiDay(idleWindowStart(calendar, day, 10))), 10);
    }
    await ds.query('VACUUM ANALYZE supervision_day_counts');
    const [snapshotRows] = (await ds.query(`SELECT count(*)::int AS n FROM supervision_day_counts`)) as Array<{ n: number }>;
    say(`30 daily snapshots of the summary's counters in ${((performance.now() - snapshotsBegan) / 1000).toFixed(1)} s (${snapshotRows!.n} counter rows)`);

    Object.assign(process.env, {
      DATABASE_URL: pgServer.url,
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      READ_MODEL_RECONCILE: 'off', // the read model is the bench's own; there are no workflows to compare it with
      LOG_LEVEL: 'error',
      RATE_LIMIT_LIMIT: '1000000',
      JWT_SECRET: DEVELOPMENT_JWT_SECRET,
    });
    delete process.env.JWKS_URL;
    app = await createApiApp();
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
    const supervisor = await demoToken(demoUser('supervisor')!);
    const officer = await demoToken(demoUser('officer', 'natural_resources')!);
    let lastBytes = 0;
    /** One request, timed from its start until the answer's last byte has arrived: what a client waits for. */
    const timed = async (url: string, token: string): Promise<{ ms: number; status: number; body: Buffer }> => {
      const began = performance.now();
      const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } });
      const body = Buffer.from(await res.arrayBuffer());
      return { ms: performance.now() - began, status: res.status, body };
    };
    /** The answer decoded and checked (after the timing: parsing it is the client's work, not the API's). */
    const checked = (url: string, answer: { status: number; body: Buffer }): unknown => {
      lastBytes = answer.body.length;
      const text = answer.body.toString('utf8');
      if (answer.status !== 200) throw new Error(`GET ${url}: ${answer.status} ${text}`);
      return JSON.parse(text) as unknown;
    };
    const get = async (url: string, token: string): Promise<unknown> => checked(url, await timed(url, token));

    // The cursor of page 50 of 20, reached by walking the keyset from page 1.
    let cursor: string | null = null;
    for (let i = 0; i < 49; i++) cursor = ((await get(`/supervision/stuck?pageSize=20${cursor ? `&cursor=${cursor}` : ''}`, supervisor)) as { nextCursor: string | null }).nextCursor;
    const today = toShanghaiDate(Date.now());
    const dueTo = toShanghaiDate(Date.now() + 14 * 86_400_000);
    const weekAgo = toShanghaiDate(Date.now() - 7 * 86_400_000);
    const d = encodeURIComponent('越城区');
    const cases: Case[] = [
      { figure: 'stuck, page 1 of 20, no filter', goalP99Ms: 20, path: () => '/supervision/stuck?pageSize=20', token: supervisor },
      { figure: 'stuck, page 1 of 200, no filter', goalP99Ms: 20, path: () => '/supervision/stuck?pageSize=200', token: supervisor },
      { figure: 'stuck, page 50 of 20 (by number)', goalP99Ms: 20, path: () => '/supervision/stuck?page=50&pageSize=20', token: supervisor },
      { figure: 'stuck, page 50 of 20 (by cursor)', goalP99Ms: 20, path: () => `/supervision/stuck?pageSize=20${cursor ? `&cursor=${cursor}` : ''}`, token: supervisor },
      { figure: 'stuck, district + kind=overdue', goalP99Ms: 20, path: () => `/supervision/stuck?district=${d}&kind=overdue`, token: supervisor },
      { figure: 'stuck, department=natural_resources', goalP99Ms: 20, path: () => '/supervision/stuck?department=natural_resources', token: supervisor },
      { figure: 'stuck, kind=idle, idleWorkingDays=20', goalP99Ms: 20, path: () => '/supervision/stuck?kind=idle&idleWorkingDays=20', token: supervisor },
      { figure: 'stuck, stage=permits + light=red', goalP99Ms: 20, path: () => '/supervision/stuck?stage=permits&light=red', token: supervisor },
      { figure: 'stuck, kind=at_risk + status=active', goalP99Ms: 20, path: () => '/supervision/stuck?kind=at_risk&status=active', token: supervisor },
      { figure: `stuck, dueFrom=${today} dueTo=${dueTo}`, goalP99Ms: 20, path: () => `/supervision/stuck?dueFrom=${today}&dueTo=${dueTo}`, token: supervisor },
      { figure: `stuck, asOf=${weekAgo} (a dated report)`, goalP99Ms: 20, path: () => `/supervision/stuck?asOf=${weekAgo}`, token: supervisor },
      { figure: 'summary, no filter', goalP99Ms: 50, path: () => '/supervision/summary', token: supervisor },
      { figure: 'summary, district', goalP99Ms: 50, path: () => `/supervision/summary?district=${d}`, token: supervisor },
      { figure: 'summary, department + kind=overdue', goalP99Ms: 50, path: () => '/supervision/summary?department=natural_resources&kind=overdue', token: supervisor },
      { figure: `summary, asOf=${weekAgo} (a dated report)`, goalP99Ms: 50, path: () => `/supervision/summary?asOf=${weekAgo}`, token: supervisor },
      { figure: 'GET /tasks, natural_resources officer', goalP99Ms: 20, path: () => '/tasks', token: officer },
      { figure: `GET /tasks, officer, dueTo=${dueTo}`, goalP99Ms: 20, path: () => `/tasks?dueTo=${dueTo}`, token: officer },
      { figure: 'GET /projects, district + stage', goalP99Ms: 20, path: () => `/projects?district=${d}&stage=permits`, token: supervisor },
      { figure: 'GET /projects, department + light=red', goalP99Ms: 20, path: () => '/projects?department=natural_resources&light=red', token: supervisor },
      { figure: 'GET /projects, district + stage, view=basic', goalP99Ms: 20, path: () => `/projects?district=${d}&stage=permits&view=basic`, token: supervisor },
      { figure: 'GET /projects, department + light=red, view=basic', goalP99Ms: 20, path: () => '/projects?department=natural_resources&light=red&view=basic', token: supervisor },
    ];
    const rows: Array<[string, string, string, string, string, string]> = [];
    // BENCH_ONLY (a regular expression, case-insensitive) times only the figures it matches: one figure, quickly.
    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;
    for (const c of cases.filter((x) => only === null || only.test(x.figure))) {
      const ms: number[] = [];
      for (let i = 0; i < N + WARM_UP; i++) {
        const url = c.path();
        const answer = await timed(url, c.token);
        checked(url, answer);
        if (i >= WARM_UP) ms.push(answer.ms);
      }
      const { median, p99 } = quantiles(ms);
      rows.push([c.figure, `p99 ≤ ${c.goalP99Ms} ms`, `${median.toFixed(1)} ms`, `${p99.toFixed(1)} ms`, p99 <= c.goalP99Ms ? 'met' : 'NOT met', `${(lastBytes / 1024).toFixed(1)} KiB`]);
    }
    const first = (await get('/supervision/stuck?pageSize=20', supervisor)) as { total: number; items: Array<{ code: string; reasons: unknown[] }> };
    const [load1, load5, load15] = os.loadavg();
    say(`\nbench:stuck through HTTP, ${counts!.projects} projects / ${counts!.steps} steps, n=${N} per figure (after ${WARM_UP} warm-up), ${os.cpus().length} CPUs, load average ${load1!.toFixed(2)} ${load5!.toFixed(2)} ${load15!.toFixed(2)}`);
    const header = ['figure', 'goal', 'median', 'p99', '', 'response'];
    const width = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
    const line = (r: string[]): string => `| ${r.map((x, i) => x.padEnd(width[i]!)).join(' | ')} |`;
    say(line(header));
    say(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of rows) say(line(r));
    say(`\nstuck total ${first.total}; first item ${JSON.stringify(first.items[0])}`);

    // The plans of what the API runs for page 1 of 20 as of today (idle after 10 working days), and of the summary.
    const idleBefore = new Date(startOfShanghaiDay(idleWindowStart(calendar, today, 10)));
    // As of a week ago, as a dated weekly report asks: that day's idle instant, and the day itself (PastDay).
    const weekCriteria = {
      idleBefore: new Date(startOfShanghaiDay(idleWindowStart(calendar, weekAgo, 10))),
      pastDay: { day: weekAgo, start: new Date(startOfShanghaiDay(weekAgo)), end: new Date(startOfShanghaiDay(toShanghaiDate(Date.now() - 6 * 86_400_000))) },
    };
    const plans: Array<[string, { sql: string; params: unknown[] }]> = [
      ['the stuck list, page 1 of 20', stuckListQuery({}, { idleBefore }, { page: 1, pageSize: 20 })],
      ['the stuck list, its total', stuckCountQuery({}, { idleBefore })],
      ['the stuck list, department=natural_resources, page 1 of 20', stuckListQuery({ department: 'natural_resources' }, { idleBefore }, { page: 1, pageSize: 20 })],
      ['the stuck list, department=natural_resources, its total', stuckCountQuery({ department: 'natural_resources' }, { idleBefore })],
      ['the stuck list, a due range, page 1 of 20', stuckListQuery({ dueFrom: today, dueTo }, { idleBefore }, { page: 1, pageSize: 20 })],
      ['the stuck list, a due range, its total', stuckCountQuery({ dueFrom: today, dueTo }, { idleBefore })],
      ['the summary, no filter (from the counters)', summaryQuery({}, { idleBefore })],
      ['the summary, department=natural_resources + kind=overdue (from the desk counters)', summaryQuery({ department: 'natural_resources', kind: 'overdue' }, { idleBefore })],
      [`the stuck list as of ${weekAgo}, page 1 of 20`, stuckListQuery({}, weekCriteria, { page: 1, pageSize: 20 })],
      [`the stuck list as of ${weekAgo}, its total`, stuckCountQuery({}, weekCriteria)],
      [`the summary as of ${weekAgo} (from that day's snapshot)`, summaryQuery({}, weekCriteria, weekAgo)],
    ];
    // A department's work queue, as GET /tasks runs it: its page and its total, without and with a due range.
    const readModel = new ProjectReadModelRepository(ds);
    for (const [name, range] of [['', {}], [`, dueTo=${dueTo}`, { dueTo }]] as const) {
      const [pageSql, countSql] = readModel.taskStatements('natural_resources', { page: 1, pageSize: 20 }, undefined, range);
      plans.push([`GET /tasks, natural_resources${name}, page 1 of 20`, { sql: pageSql[0], params: pageSql[1] }]);
      plans.push([`GET /tasks, natural_resources${name}, its total`, { sql: countSql[0], params: countSql[1] }]);
    }
    // GET /projects as the table's two figures run it, page and total.
    for (const [name, filter] of [
      ['district + stage', { district: '越城区', stage: 'permits' }],
      ['department + light=red', { department: 'natural_resources', light: 'red' }],
    ] as const) {
      const [pageSql, countSql] = readModel.projectListStatements(filter, { page: 1, pageSize: 20 });
      plans.push([`GET /projects, ${name}, page 1 of 20`, { sql: pageSql[0], params: pageSql[1] }]);
      plans.push([`GET /projects, ${name}, its total`, { sql: countSql[0], params: countSql[1] }]);
    }
    for (const [name, q] of plans) {
      const plan = (await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params)) as Array<{ 'QUERY PLAN': string }>;
      say(`\nEXPLAIN (ANALYZE, BUFFERS) of ${name}, idle before ${idleBefore.toISOString()}:`);
      say(plan.map((r) => r['QUERY PLAN']).join('\n'));
    }
  } finally {
    await app?.close();
    await ds.destroy();
    await pgServer.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
