/*
 * The seed's district ledger (seed/district-ledger.xlsx): how it is built (once, by `node dist/scripts/seed-ledger.js
 * --write`, and committed) and how the first start imports it through the API's own import path (POST
 * /api/v1/imports?dryRun=false, the asynchronous job, GET /api/v1/imports/{id}) — the same code as an upload in the
 * workbench. The workbook is what a district office keeps: a title and a "as of" line above the headers, Chinese
 * headers (序号, 项目代码, 项目名称, 项目类型, 所在区域, 建设单位, 计划总投资（万元）, 签约时间, 审批方式, 牵头部门, 备注), days as
 * Excel dates or typed as 2025/3/18, 2025-06-12 or 2025年1月15日, a few amounts typed as text with thousands
 * separators, and a steps sheet 事项明细 (项目代码, 事项, 责任部门, 办理状态, 受理日期, 办结日期, 备注).
 *
 * XLSX rather than CSV: only a workbook carries the steps sheet, which places the projects at their positions.
 */
import ExcelJS from 'exceljs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TokenSubject } from '../libs/auth/index.js';
import { DEPARTMENTS, latestTrackDefinition } from '../libs/domain/index.js';
import { LEDGER_LABELS, yuanToWan } from '../libs/ledger/ledger-columns.js';
import { projectRoot } from '../libs/temporal/binaries.js';
import { demoToken, demoUser } from './demo-users.js';
import { SEED_PROJECTS, type SeedProject } from './seed-data.js';
import { LEDGER_AS_OF, LEDGER_PROJECTS, LEDGER_REPORT_CODES, REPORT_ROW_NOTE, type DayForm, type LedgerProject } from './seed-ledger-data.js';

/** Where the seed ledger lives, relative to the project root. */
export const SEED_LEDGER_FILE = 'seed/district-ledger.xlsx';

/** The seed ledger's absolute path. */
export function seedLedgerPath(): string {
  return path.join(projectRoot(), SEED_LEDGER_FILE);
}

/** Every project code of the seed ledger, in its order: the report's projects, then the twelve of seed-ledger-data.ts. */
export function seedLedgerCodes(): string[] {
  return [...LEDGER_REPORT_CODES, ...LEDGER_PROJECTS.map((p) => p.code)];
}

/**
 * The report's projects the ledger lists (LEDGER_REPORT_CODES), as the seed registers them.
 * @throws Error when seed-data.ts no longer has one of them
 */
export function ledgerReportProjects(): SeedProject[] {
  return LEDGER_REPORT_CODES.map((code) => {
    const p = SEED_PROJECTS.find((x) => x.code === code);
    if (!p) throw new Error(`the seed ledger lists ${code}, which scripts/seed-data.ts does not have`);
    return p;
  });
}

/** The instant a spreadsheet library writes as the Excel date of day `iso` (UTC midnight: no time zone in the cell). */
function excelDay(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

/** A day as the office typed it. */
function dayCell(iso: string, form: DayForm): Date | string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (form === 'iso') return iso;
  if (form === 'slash') return `${y}/${m}/${d}`;
  if (form === 'chinese') return `${y}年${m}月${d}日`;
  return excelDay(iso);
}

/** An amount in 万元 as a number, or typed as text with thousands separators. */
function amountCell(wan: string, asText: boolean): number | string {
  if (!asText) return Number(wan);
  const [whole, fraction] = wan.split('.') as [string, string | undefined];
  return whole.replace(/\B(?=(\d{3})+$)/g, ',') + (fraction ? `.${fraction}` : '');
}

/**
 * Problems of the illustrative projects as data, none when every day is a working day on or before the ledger's as-of
 * day and on or after the signing day, a decided step is decided on or after its acceptance, every step exists on its
 * track and starts after the steps it depends on are decided. The import itself checks less (the workflow refuses the
 * rest at commit); this keeps the file importable whole.
 */
export function ledgerDataProblems(projects: readonly LedgerProject[] = LEDGER_PROJECTS): string[] {
  const problems: string[] = [];
  for (const p of projects) {
    const def = latestTrackDefinition(p.track ?? 'standard');
    const days = [p.signedAt, ...p.steps.flatMap((s) => [s.acceptedOn, ...(s.decidedOn ? [s.decidedOn] : [])])];
    for (const day of days) {
      const weekday = excelDay(day).getUTCDay();
      if (weekday === 0 || weekday === 6) problems.push(`${p.code}: ${day} is a weekend day`);
      if (day > LEDGER_AS_OF) problems.push(`${p.code}: ${day} is after the ledger's day ${LEDGER_AS_OF}`);
      if (day < p.signedAt) problems.push(`${p.code}: ${day} is before the signing day ${p.signedAt}`);
    }
    const decided = new Map(p.steps.filter((s) => s.decidedOn).map((s) => [s.step, s.decidedOn!]));
    for (const s of p.steps) {
      const d = def.steps.find((x) => x.key === s.step);
      if (!d) {
        problems.push(`${p.code}: ${s.step} is not a step of track ${def.track}`);
        continue;
      }
      if (s.decidedOn && s.decidedOn < s.acceptedOn) problems.push(`${p.code}: ${s.step} decided before it was accepted`);
      for (const dep of d.dependsOn) {
        const on = decided.get(dep);
        if (on === undefined || on > s.acceptedOn) problems.push(`${p.code}: ${s.step} accepted ${s.acceptedOn} before ${dep} was decided (${on ?? 'never'})`);
      }
      if ((d.requiresFacts ?? []).length > 0) problems.push(`${p.code}: ${s.step} needs a fact (${d.requiresFacts!.join(', ')}) a ledger cannot carry`);
    }
  }
  return problems;
}

/** The ledger's step states as the office writes them. */
const STATE_WORDS = { delivered: LEDGER_LABELS.state.delivered.zh, approved: LEDGER_LABELS.state.approved.zh, in_review: LEDGER_LABELS.state.in_review.zh, supplement_requested: LEDGER_LABELS.state.supplement_requested.zh } as const;

/** Lead departments (牵头部门) of the report's projects, as the office writes them. */
const REPORT_LEAD = '区重大项目推进办';

/**
 * Builds the seed ledger workbook: sheet 台账 (title, as-of line, headers, one row per project: the report's eight
 * projects with their registration only, then the twelve of {@link LEDGER_PROJECTS}), sheet 事项明细 (the twelve's steps
 * done and running) and sheet 填表说明. The workbook's dates are fixed so that building it again gives the same cells.
 * @returns the XLSX bytes
 * @throws Error when {@link ledgerDataProblems} finds a problem in the data
 */
export async function buildSeedLedger(): Promise<Buffer> {
  const problems = ledgerDataProblems();
  if (problems.length > 0) throw new Error(`the seed ledger's data has problems:\n${problems.join('\n')}`);
  const wb = new ExcelJS.Workbook();
  wb.creator = '越城区重大项目推进办公室';
  wb.created = excelDay(LEDGER_AS_OF);
  wb.modified = excelDay(LEDGER_AS_OF);
  const [y, m, d] = LEDGER_AS_OF.split('-').map(Number) as [number, number, number];

  const ws = wb.addWorksheet('台账', { views: [{ state: 'frozen', ySplit: 3 }] });
  const headers = ['序号', '项目代码', '项目名称', '项目类型', '所在区域', '建设单位', '计划总投资（万元）', '签约时间', '审批方式', '牵头部门', '备注'];
  ws.columns = [6, 26, 40, 12, 10, 34, 16, 16, 10, 14, 44].map((width) => ({ width }));
  ws.mergeCells(1, 1, 1, headers.length);
  ws.getCell(1, 1).value = '越城区重大产业项目推进台账';
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(2, 1, 2, headers.length);
  ws.getCell(2, 1).value = `填报单位：越城区重大项目推进办公室\u3000\u3000统计截至：${y}年${m}月${d}日\u3000\u3000金额单位：万元`;
  const header = ws.getRow(3);
  header.values = headers;
  header.font = { bold: true };
  const track = (t: string | undefined) => (LEDGER_LABELS.track as Record<string, { zh: string } | undefined>)[t ?? 'standard']?.zh ?? t;
  let n = 0;
  for (const p of ledgerReportProjects()) {
    n++;
    ws.addRow([n, p.code, p.name, track(p.track), p.district, p.investor, Number(yuanToWan(p.investmentYuan)), excelDay(p.signedAt), p.track === 'bonded_zone' ? null : '备案', REPORT_LEAD, REPORT_ROW_NOTE]);
  }
  for (const p of LEDGER_PROJECTS) {
    n++;
    ws.addRow([n, p.code, p.name, track(p.track), '越城区', p.investor, amountCell(String(p.investmentWan), p.amountAsText === true), dayCell(p.signedAt, p.signedForm ?? 'date'), p.track === 'bonded_zone' ? null : '备案', p.lead, p.note]);
  }
  ws.getColumn(7).numFmt = '#,##0';
  ws.getColumn(8).numFmt = 'yyyy"年"m"月"d"日"';

  const steps = wb.addWorksheet('事项明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  steps.columns = [26, 30, 16, 10, 14, 14, 36].map((width) => ({ width }));
  steps.getRow(1).values = ['项目代码', '事项', '责任部门', '办理状态', '受理日期', '办结日期', '备注'];
  steps.getRow(1).font = { bold: true };
  for (const p of LEDGER_PROJECTS) {
    const def = latestTrackDefinition(p.track ?? 'standard');
    const order = new Map(def.steps.map((s, i) => [s.key, i]));
    for (const s of [...p.steps].sort((a, b) => order.get(a.step)! - order.get(b.step)!)) {
      const sd = def.steps.find((x) => x.key === s.step)!;
      steps.addRow([p.code, sd.nameZh, DEPARTMENTS[sd.department].nameZh, STATE_WORDS[s.state], excelDay(s.acceptedOn), s.decidedOn ? excelDay(s.decidedOn) : null, s.note ?? null]);
    }
  }
  steps.getColumn(5).numFmt = 'yyyy-mm-dd';
  steps.getColumn(6).numFmt = 'yyyy-mm-dd';

  const notes = wb.addWorksheet('填表说明');
  notes.getColumn(1).width = 100;
  for (const line of [
    '1. 台账每个项目一行；项目代码为全国投资项目在线审批监管平台赋码（本台账中的代码均为示例）。',
    '2. 计划总投资以万元计；签约时间按签约协议填写。',
    '3. 事项明细每个审批事项一行：已办结（已送达）事项填写受理日期和办结日期，在办事项填写受理日期。',
    '4. 2022年度区政府工作报告重点项目的审批进展由各部门在系统中逐项办理，不在事项明细中填写。',
    '5. 序号9至20所列项目为演示用示例项目，项目代码、企业名称和金额均为虚构。',
  ]) {
    notes.addRow([line]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** What importing the seed ledger did. */
export interface SeedLedgerOutcome {
  jobId: string;
  /** False when the same file had been imported before (the API answered its job). */
  created: boolean;
  status: string;
  rows: number;
  registered: number;
  alreadyRegistered: number;
  invalid: number;
  failed: number;
  /** Step actions the job applied to bring projects to their positions. */
  actions: number;
  /** Each failed or invalid row: its number, code and problem. */
  problems: string[];
}

interface JobAnswer {
  id: string;
  status: string;
  error: string | null;
  progress: { rowsTotal: number; rowsDone: number };
  results: Array<{ row: number; code: string | null; result: string; actions: number; problem: string | null }>;
  report: { counts: { rows: number; invalid: number }; rows: Array<{ row: number; code: string | null; outcome: string; problems: Array<{ problem: string }> }> };
}

/** The project-office officer who imports the ledger (policy ledger.import). */
function importer(): TokenSubject {
  const u = demoUser('officer', 'project_office')!;
  return { sub: u.sub, name: u.name, roles: ['officer'], department: 'project_office' };
}

/**
 * Imports the seed ledger through the API: POST /api/v1/imports?dryRun=false with the file as multipart field `file`, as
 * the project-office officer (a token minted with the environment's JWT settings, as the seed's), then follows GET
 * /api/v1/imports/{id} until the job is done. Idempotent: the API imports a file's content once and answers the same job
 * again; a registered project is left alone (already_registered).
 * @param baseUrl the API's origin, e.g. `http://localhost:3000`
 * @param log receives a line when the job is created and when it ends
 * @param options `timeoutMs`: how long to follow the job (default 10 minutes); `signal`: stop following it (its reason is thrown)
 * @returns the job's outcome
 * @throws Error when the API refuses the file, the job fails, or it does not end within `timeoutMs`
 */
export async function importSeedLedger(
  baseUrl: string,
  log: (line: string) => void = () => undefined,
  { timeoutMs = 600_000, signal }: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<SeedLedgerOutcome> {
  signal?.throwIfAborted();
  const token = await demoToken(importer(), '1h');
  const headers = { Authorization: `Bearer ${token}`, accept: 'application/json' };
  const api = `${baseUrl.replace(/\/+$/, '')}/api/v1`;
  const bytes = await readFile(seedLedgerPath());
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), path.basename(SEED_LEDGER_FILE));
  const posted = await fetch(`${api}/imports?dryRun=false`, { method: 'POST', headers, body: form });
  const first = (await posted.json().catch(() => null)) as (JobAnswer & { detail?: string }) | null;
  if ((posted.status !== 202 && posted.status !== 200) || first === null || typeof first.id !== 'string') {
    throw new Error(`POST /api/v1/imports refused the seed ledger: ${posted.status} ${first?.detail ?? JSON.stringify(first)}`);
  }
  const created = posted.status === 202;
  log(`seed ledger ${SEED_LEDGER_FILE}: ${first.report.counts.rows} rows, ${first.report.counts.invalid} invalid; import job ${first.id} ${created ? 'started' : 'already exists (the same file was imported before)'}`);
  const deadline = Date.now() + timeoutMs;
  let job: JobAnswer = first;
  while (job.status === 'queued' || job.status === 'running') {
    if (Date.now() > deadline) throw new Error(`the seed ledger's import job ${job.id} did not end within ${timeoutMs / 1000} s (${job.progress.rowsDone} of ${job.progress.rowsTotal} rows)`);
    await new Promise((r) => setTimeout(r, 500));
    // Stopped: the job goes on in the API (and finishes after a restart); the caller stops following it.
    signal?.throwIfAborted();
    const res = await fetch(`${api}/imports/${job.id}`, { headers });
    if (res.status !== 200) throw new Error(`GET /api/v1/imports/${job.id}: ${res.status} ${await res.text()}`);
    job = (await res.json()) as JobAnswer;
  }
  const count = (result: string) => job.results.filter((r) => r.result === result).length;
  const outcome: SeedLedgerOutcome = {
    jobId: job.id,
    created,
    status: job.status,
    rows: job.report.counts.rows,
    registered: count('registered'),
    alreadyRegistered: count('already_registered'),
    invalid: count('invalid'),
    failed: count('failed'),
    actions: job.results.reduce((sum, r) => sum + r.actions, 0),
    problems: [
      ...job.results.filter((r) => r.result === 'failed').map((r) => `row ${r.row} ${r.code ?? ''}: ${r.problem ?? 'failed'}`),
      ...job.report.rows.filter((r) => r.outcome === 'invalid').map((r) => `row ${r.row} ${r.code ?? ''}: ${r.problems.map((p) => p.problem).join('; ')}`),
    ],
  };
  log(
    `seed ledger imported (job ${outcome.jobId}, ${outcome.status}): ${outcome.rows} rows — ${outcome.registered} registered (${outcome.actions} back-dated step actions), ` +
      `${outcome.alreadyRegistered} already registered, ${outcome.invalid} invalid, ${outcome.failed} failed`,
  );
  for (const p of outcome.problems) log(`  ${p}`);
  if (job.status !== 'done') throw new Error(`the seed ledger's import job ${job.id} ended ${job.status}: ${job.error ?? ''}`);
  return outcome;
}

// CLI: `node dist/scripts/seed-ledger.js --write` builds seed/district-ledger.xlsx; `node dist/scripts/seed-ledger.js`
// imports it into the API at API_URL (default http://localhost:3000).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const run = async (): Promise<void> => {
    if (process.argv.includes('--write')) {
      await mkdir(path.dirname(seedLedgerPath()), { recursive: true });
      await writeFile(seedLedgerPath(), await buildSeedLedger());
      console.log(`wrote ${SEED_LEDGER_FILE} (${seedLedgerCodes().length} projects)`);
      return;
    }
    await importSeedLedger(process.env.API_URL ?? 'http://localhost:3000', (line) => console.log(line));
  };
  run().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
