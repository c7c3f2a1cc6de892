/*
 * `npm run bench:stuck`: latency of the stuck list (`GET /supervision/stuck`'s path below HTTP: the calendar
 * math of SupervisionService and SupervisionRepository's one statement) and of the summary, with 10,000
 * projects and their steps in the read model. Starts its own embedded PostgreSQL in a temp folder, applies
 * the migrations, bulk-inserts a realistic mix (≈15 % with a red step, ≈10 % at risk, ≈20 % idle, 5 %
 * suspended, 5 % completed; six districts; every stage of the standard track), ANALYZEs, then times BENCH_N
 * calls (default 200) per case and prints median and p99 in ms, and EXPLAIN (ANALYZE, BUFFERS) of the main
 * query. BENCH_PROJECTS sets the number of projects. Leaves nothing behind.
 */
import 'reflect-metadata';
import type { ConfigService } from '@nestjs/config';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StuckQueryDto, SupervisionFilterDto } from '../apps/api/src/supervision/dto/supervision.query.js';
import { SupervisionService } from '../apps/api/src/supervision/supervision.service.js';
import { startOfShanghaiDay, toShanghaiDate, type CalendarSource } from '../libs/calendar/index.js';
import type { AppConfig } from '../libs/config/app-config.js';
import { idleWindowStart, latestTrackDefinition } from '../libs/domain/index.js';
import { CalendarRepository, loadCalendar, openDatabase, stuckListQuery, SupervisionRepository } from '../libs/persistence/index.js';
import { startEmbeddedPostgres } from './embedded-services.js';

const N = Number(process.env.BENCH_N ?? 200);
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 10_000);
const WARM_UP = 10;

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `n=${s.length}  median ${q(0.5).toFixed(2)} ms  p99 ${q(0.99).toFixed(2)} ms  mean ${mean.toFixed(2)} ms  max ${s.at(-1)!.toFixed(2)} ms`;
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
    'ANALYZE projects',
    'ANALYZE project_steps',
  ];
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'approvals-bench-stuck-'));
  chmodSync(tmp, 0o755);
  const pgServer = await startEmbeddedPostgres(path.join(tmp, 'pg'), 20000 + Math.floor(Math.random() * 20000), 'bench');
  const ds = await openDatabase(pgServer.url);
  try {
    let t = performance.now();
    for (const sql of seedSql()) await ds.query(sql);
    const [counts] = (await ds.query(`SELECT (SELECT count(*) FROM projects)::int AS projects, (SELECT count(*) FROM project_steps)::int AS steps,
        (SELECT count(DISTINCT project_code) FROM project_steps WHERE light = 'red')::int AS red,
        (SELECT count(*) FROM projects WHERE at_risk)::int AS at_risk,
        (SELECT count(*) FROM projects WHERE last_progress_at < now() - interval '15 days')::int AS idle`)) as Array<Record<string, number>>;
    process.stdout.write(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}\n`);

    const repo = new SupervisionRepository(ds);
    const calendars = new CalendarRepository(ds);
    const source: CalendarSource = { current: () => loadCalendar(calendars) };
    const config = { get: () => 10 } as unknown as ConfigService<AppConfig, true>;
    const service = new SupervisionService(repo, config, source);

    const cases: Array<[string, () => Promise<unknown>]> = [
      ['stuck, page 1 of 20, no filter       ', () => service.stuck({ page: 1, pageSize: 20 } as StuckQueryDto)],
      ['stuck, page 1 of 200, no filter      ', () => service.stuck({ page: 1, pageSize: 200 } as StuckQueryDto)],
      ['stuck, page 50 of 20, no filter      ', () => service.stuck({ page: 50, pageSize: 20 } as StuckQueryDto)],
      ['stuck, district + kind=overdue       ', () => service.stuck({ page: 1, pageSize: 20, district: '越城区', kind: 'overdue' } as StuckQueryDto)],
      ['stuck, department=natural_resources  ', () => service.stuck({ page: 1, pageSize: 20, department: 'natural_resources' } as StuckQueryDto)],
      ['summary, no filter                   ', () => service.summary({} as SupervisionFilterDto)],
    ];
    for (const [name, run] of cases) {
      const ms: number[] = [];
      for (let i = 0; i < N + WARM_UP; i++) {
        t = performance.now();
        await run();
        if (i >= WARM_UP) ms.push(performance.now() - t);
      }
      process.stdout.write(`${name} ${stats(ms)}\n`);
    }
    const first = (await service.stuck({ page: 1, pageSize: 20 } as StuckQueryDto)) as { total: number; items: Array<{ code: string; reasons: unknown[] }> };
    process.stdout.write(`stuck total ${first.total}; first item ${JSON.stringify(first.items[0])}\n`);

    // The plan of the main query, with the parameters the API passes for page 1 of 20 as of today.
    const calendar = await source.current();
    const today = toShanghaiDate(Date.now());
    const idleBefore = new Date(startOfShanghaiDay(idleWindowStart(calendar, today, 10)));
    const { sql, params } = stuckListQuery({}, { idleBefore }, { page: 1, pageSize: 20 });
    const plan = (await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)) as Array<{ 'QUERY PLAN': string }>;
    process.stdout.write(`\nEXPLAIN (ANALYZE, BUFFERS) of the stuck list, page 1 of 20, idle before ${idleBefore.toISOString()}:\n`);
    process.stdout.write(`${plan.map((r) => r['QUERY PLAN']).join('\n')}\n`);
  } finally {
    await ds.destroy();
    await pgServer.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
