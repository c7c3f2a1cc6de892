import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import request from 'supertest';
import { latestTrackDefinition, ProjectState, toProjectView, type ClockDeadline, type GovernmentTime, type Light } from '../../libs/domain/index.js';
import { LEDGER_COLUMNS, LEDGER_STEP_COLUMNS } from '../../libs/ledger/index.js';
import { ProjectReadModelRepository } from '../../libs/persistence/index.js';
import { wrappedLines } from '../../apps/api/src/exports/table-writers.js';
import { API, ApiClient, officer, projectCode, SUPERVISOR, withCaller, type Caller } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * Exports of the ledger (重大项目台账), the stuck list, the summary and the weekly supervision report (督办周报): the
 * bytes read back with ExcelJS and iconv-lite, compared with what the JSON endpoints answer for the same filters.
 * One project is registered through the API (its amount 1,020,000,000 yuan must read 102000 万元); three are written
 * into the read model as the workflow's activity writes them, with known lights, a step past its statutory limit and
 * government time, counted to asOf 2026-11-20 like the supervision e2e.
 */

const AS_OF = '2026-11-20';
const REGISTERED = projectCode(301);
const RED = projectCode(951); // red step, past its statutory limit, government time 12 working days
const GREEN = projectCode(952); // progressing, not stuck
const IDLE = projectCode(953); // no progress since 2026-10-09

function deadline(dueOn: string, statutoryDueOn?: string): ClockDeadline {
  const end = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000).toISOString();
  return {
    inputKey: 'seed', dueOn, dueAt: end(dueOn), provisional: false, stopped: false, yellowAt: null, escalateAt: null, repeatAts: [], repeatsBefore: 0, fired: [],
    plannedAt: '2026-09-02T02:00:00.000Z',
    ...(statutoryDueOn ? { statutoryDueOn, statutoryDueAt: end(statutoryDueOn) } : {}),
  };
}

const GOVERNMENT_TIME: GovernmentTime = {
  asOf: AS_OF,
  workingDays: 12,
  stepWorkingDaysTotal: 12,
  perStep: { project_filing: 12 },
  promises: [{ key: 'pre_groundbreaking', name: 'Pre-groundbreaking approvals within 100 days', nameZh: '开工前审批最多100天', limit: 100, unit: 'working_days', unitAsWritten: '天', source: 'seed', usedWorkingDays: 12, remaining: 88, exceeded: false }],
};

async function seed(repo: ProjectReadModelRepository, code: string, o: { light: Light; lastProgressAt: string; statutory?: boolean; governmentTime?: GovernmentTime }): Promise<void> {
  const { state, entries } = ProjectState.register(
    latestTrackDefinition('standard'),
    { code, name: `导出测试项目 ${code.slice(-3)}`, track: 'standard', district: '越城区', investor: null, investmentYuan: '5000000', signedAt: '2026-09-01' },
    { at: '2026-09-01T02:00:00.000Z', actor: { id: 'po-chen', department: 'project_office' } },
  );
  entries.push(...state.applyStepAction('project_filing', { action: 'accept' }, { at: '2026-09-02T02:00:00.000Z', actor: { id: 'officer-1', department: null } }));
  const view = toProjectView(state);
  if (o.statutory) {
    const step = view.steps.find((s) => s.key === 'project_filing')!;
    Object.assign(step, { deadline: deadline('2026-11-13', '2026-11-16'), light: 'red', statutoryOverdue: true });
  }
  Object.assign(view, {
    light: o.light,
    lastProgressAt: new Date(o.lastProgressAt).toISOString(),
    overdueSteps: o.statutory ? 1 : 0,
    statutoryOverdueSteps: o.statutory ? 1 : 0,
    governmentTime: o.governmentTime ?? null,
    version: 50,
  });
  await repo.applyProject(view, entries);
}

/** supertest's parser for a body kept as bytes. */
function binary(res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

async function workbookOf(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

/** A sheet's rows as arrays of cell values (row 1: the header). */
function rowsOf(ws: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('exports (e2e)', () => {
  let stack: TestStack;
  const get = (path: string, query: Record<string, string> = {}, caller: Caller = SUPERVISOR) =>
    withCaller(request(stack.baseUrl).get(`${API}${path}`), caller).query(query).buffer(true).parse(binary as never);

  beforeAll(async () => {
    stack = await startTestStack('e2e_exports');
    await new ApiClient(stack.baseUrl).registerOk(REGISTERED, { name: '高端装备制造基地项目', investmentYuan: '1020000000' });
    const repo = new ProjectReadModelRepository(stack.dataSource);
    await seed(repo, RED, { light: 'red', lastProgressAt: '2026-11-19T10:00:00+08:00', statutory: true, governmentTime: GOVERNMENT_TIME });
    await seed(repo, GREEN, { light: 'green', lastProgressAt: '2026-11-19T10:00:00+08:00' });
    await seed(repo, IDLE, { light: 'yellow', lastProgressAt: '2026-10-09T15:00:00+08:00' });
  }, 120_000);
  afterAll(async () => stack?.close());

  describe('GET /projects/export', () => {
    it('writes the ledger as XLSX: Chinese headers, exact 万元, real dates, the light as the fill colour, a frozen header', async () => {
      const res = await get('/projects/export');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="major-projects-ledger-\d{4}-\d{2}-\d{2}\.xlsx"; filename\*=UTF-8''%E9%87%8D%E5%A4%A7%E9%A1%B9%E7%9B%AE%E5%8F%B0%E8%B4%A6-/);
      const wb = await workbookOf(res.body as Buffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['台账', '事项明细']);
      const ledger = wb.getWorksheet('台账')!;
      const rows = rowsOf(ledger);
      expect(rows[0]).toEqual(LEDGER_COLUMNS.map((c) => c.zh));
      expect(rows[0]).toEqual(expect.arrayContaining(['项目代码', '项目名称', '总投资（万元）', '签约日期', '亮灯', '当前办理事项']));
      expect(ledger.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 1 }));
      const at = (key: string) => LEDGER_COLUMNS.findIndex((c) => c.key === key);
      const registered = rows.find((r) => r[0] === REGISTERED)!;
      expect(registered[at('name')]).toBe('高端装备制造基地项目');
      expect(registered[at('track')]).toBe('一般工业项目');
      expect(registered[at('district')]).toBe('越城区');
      expect(registered[at('investmentWan')]).toBe(102000);
      expect(registered[at('signedAt')]).toEqual(new Date('2022-03-05T00:00:00Z'));
      expect(registered[at('approvalRoute')]).toBe('备案');
      expect(registered[at('status')]).toBe('进行中');
      const redRow = ledger.getRow(rows.findIndex((r) => r[0] === RED) + 1);
      const light = redRow.getCell(at('light') + 1);
      expect(light.value).toBe('红灯');
      expect(light.fill).toEqual(expect.objectContaining({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFCF1322' } }));
      expect(redRow.getCell(at('currentSteps') + 1).value).toEqual(expect.stringContaining('（发展和改革局，审查中，2026-11-13到期）'));
      expect(redRow.getCell(at('nextDueOn') + 1).value).toEqual(new Date('2026-11-13T00:00:00Z'));
      expect(redRow.getCell(at('governmentWorkingDays') + 1).value).toBe(12);
      const greenRow = ledger.getRow(rows.findIndex((r) => r[0] === GREEN) + 1);
      expect(greenRow.getCell(at('light') + 1).fill).toEqual(expect.objectContaining({ fgColor: { argb: 'FF389E0D' } }));
      // Every project of the list, newest registration first, as GET /projects answers.
      const listed = (await withCaller(request(stack.baseUrl).get(`${API}/projects`), SUPERVISOR).query({ pageSize: 200 })).body as { items: Array<{ code: string }> };
      expect(rows.slice(1).map((r) => r[0])).toEqual(listed.items.map((p) => p.code));
      const steps = rowsOf(wb.getWorksheet('事项明细')!);
      expect(steps[0]).toEqual(LEDGER_STEP_COLUMNS.map((c) => c.zh));
      expect(steps.find((r) => r[0] === RED && r[1] === 'project_filing')).toEqual(
        expect.arrayContaining(['审查中', new Date('2026-09-02T00:00:00Z'), new Date('2026-11-13T00:00:00Z'), '红灯']),
      );
    }, 60_000);

    it('applies the filters of GET /projects and speaks English with lang=en', async () => {
      const res = await get('/projects/export', { light: 'red', lang: 'en' });
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toContain("filename*=UTF-8''major-projects-ledger-");
      const wb = await workbookOf(res.body as Buffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Ledger', 'Steps']);
      const rows = rowsOf(wb.getWorksheet('Ledger')!);
      expect(rows[0]).toEqual(LEDGER_COLUMNS.map((c) => c.en));
      expect(rows.slice(1).map((r) => r[0])).toEqual([RED]);
      expect(rows[1]).toEqual(expect.arrayContaining(['Red', 'Standard', 'Active']));
    }, 60_000);

    it('writes CSV as UTF-8 with a byte-order mark, and the same text in GB18030 with encoding=gb18030', async () => {
      const utf8 = await get('/projects/export', { format: 'csv' });
      expect(utf8.status).toBe(200);
      expect(utf8.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(utf8.headers['content-disposition']).toMatch(/filename="major-projects-ledger-[\d-]+\.csv"; filename\*=UTF-8''%E9%87%8D/);
      const bytes = utf8.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      const lines = text.split('\r\n');
      expect(lines[0]).toBe(LEDGER_COLUMNS.map((c) => c.zh).join(','));
      const registered = lines.find((l) => l.startsWith(REGISTERED))!;
      expect(registered).toContain(',高端装备制造基地项目,一般工业项目,越城区,浙江测试装备有限公司,102000,2022-03-05,备案,');

      const gb = await get('/projects/export', { format: 'csv', encoding: 'gb18030' });
      expect(gb.status).toBe(200);
      expect(gb.headers['content-type']).toBe('text/csv; charset=gb18030');
      const gbBytes = gb.body as Buffer;
      expect(gbBytes[0]).not.toBe(0xef);
      expect(iconv.decode(gbBytes, 'gb18030')).toBe(text);
    }, 60_000);

    it('refuses what the document refuses: an unknown format, paging', async () => {
      expect((await get('/projects/export', { format: 'pdf' })).status).toBe(400);
      expect((await get('/projects/export', { page: '2' })).status).toBe(400);
    });
  });

  describe('supervision exports', () => {
    const json = async (path: string, query: Record<string, string>) => (await withCaller(request(stack.baseUrl).get(`${API}${path}`), SUPERVISOR).query(query)).body as Record<string, unknown>;

    it('exports the stuck list in the order and with the filters of GET /supervision/stuck', async () => {
      const stuck = (await json('/supervision/stuck', { asOf: AS_OF, pageSize: '200' })) as { items: Array<{ code: string }> };
      const xlsx = await get('/supervision/stuck/export', { asOf: AS_OF });
      expect(xlsx.status).toBe(200);
      const rows = rowsOf((await workbookOf(xlsx.body as Buffer)).getWorksheet('滞留项目')!);
      expect(rows.slice(1).map((r) => r[0])).toEqual(stuck.items.map((p) => p.code));
      expect(rows.slice(1).map((r) => r[0])).toEqual(expect.arrayContaining([RED, IDLE]));
      expect(rows.find((r) => r[0] === RED)![6]).toEqual(expect.stringContaining('超法定时限：项目备案/核准（发展和改革局）超'));
      const csv = await get('/supervision/stuck/export', { asOf: AS_OF, format: 'csv', kind: 'idle' });
      expect(csv.status).toBe(200);
      const codes = (csv.body as Buffer).toString('utf8').split('\r\n').slice(1).filter(Boolean).map((l) => l.split(',')[0]);
      expect(codes).toContain(IDLE);
      expect(codes).not.toContain(RED);
    }, 60_000);

    it('exports the summary one number a row, with the counts of GET /supervision/summary', async () => {
      const summary = (await json('/supervision/summary', { asOf: AS_OF })) as { projects: number; stuck: { total: number } };
      const res = await get('/supervision/summary/export', { asOf: AS_OF, format: 'csv' });
      expect(res.status).toBe(200);
      const lines = (res.body as Buffer).subarray(3).toString('utf8').split('\r\n');
      expect(lines[0]).toBe('类别,项目,指标,数值');
      expect(lines).toContain(`总体,,在办项目数,${summary.projects}`);
      expect(lines).toContain(`滞留项目,,合计,${summary.stuck.total}`);
    });

    it('writes the weekly report as one workbook: summary, stuck projects, steps past the statutory limit, government time', async () => {
      const res = await get('/supervision/weekly-report', { asOf: AS_OF });
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="weekly-supervision-report-${AS_OF}.xlsx"; filename*=UTF-8''${encodeURIComponent(`督办周报-${AS_OF}.xlsx`)}`,
      );
      const wb = await workbookOf(res.body as Buffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '滞留项目', '超法定时限', '政府用时']);
      // Printed for the meeting: A4 landscape, every column on one page's width.
      for (const ws of wb.worksheets) expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
      const summary = rowsOf(wb.getWorksheet('汇总')!);
      expect(summary[1]).toEqual(['报告', AS_OF, '统计截至']);
      const stuckJson = (await json('/supervision/stuck', { asOf: AS_OF, pageSize: '200' })) as {
        items: Array<{ code: string; reasons: Array<{ kind: string; step: string | null; workingDays: number | null }> }>;
      };
      const stuck = rowsOf(wb.getWorksheet('滞留项目')!);
      // A project's reasons, one per line, wrap in their cell (unwrapped, the lines print over each other).
      const multiLine: ExcelJS.Cell[] = [];
      wb.getWorksheet('滞留项目')!.eachRow((row) => row.eachCell((cell) => void (typeof cell.value === 'string' && cell.value.includes('\n') && multiLine.push(cell))));
      expect(multiLine.length).toBe(stuckJson.items.filter((p) => p.reasons.length > 1).length);
      expect(multiLine.length).toBeGreaterThan(0);
      for (const cell of multiLine) expect([cell.alignment?.wrapText, cell.worksheet.getRow(Number(cell.row)).height]).toEqual([true, 15 * wrappedLines(String(cell.value), 60)]);
      expect(stuck.slice(1).map((r) => r[0])).toEqual(stuckJson.items.map((p) => p.code));
      expect(stuck.slice(1).map((r) => r[0])).not.toContain(GREEN);
      const over = stuckJson.items.find((p) => p.code === RED)!.reasons.find((r) => r.kind === 'statutory_overdue')!;
      const statutory = rowsOf(wb.getWorksheet('超法定时限')!);
      expect(statutory.slice(1)).toEqual([[RED, '导出测试项目 951', '越城区', '项目备案/核准', '发展和改革局', '审查中', new Date('2026-11-16T00:00:00Z'), over.workingDays, '否']]);
      const government = rowsOf(wb.getWorksheet('政府用时')!);
      // Counted to the report's day, not the figure the row last held (12, as of its last day): filing accepted
      // 2026-09-02 and open, 53 working days from 09-03 to 11-20 by the official calendar (中秋 and 国庆 off,
      // 09-20 and 10-10 worked).
      const red = government.find((r) => r[0] === RED)!;
      expect(red.slice(5)).toEqual([53, new Date(`${AS_OF}T00:00:00Z`), '开工前审批最多100天：已用53/100；全流程审批最多90天：已用53/90', '否']);
      expect(government.find((r) => r[0] === GREEN)!.slice(5, 7)).toEqual([53, new Date(`${AS_OF}T00:00:00Z`)]);
      // A project no agency has accepted anything of yet: 0 working days.
      expect(government.find((r) => r[0] === REGISTERED)!.slice(5, 7)).toEqual([0, new Date(`${AS_OF}T00:00:00Z`)]);
      // A week earlier, five working days fewer.
      const before = await workbookOf((await get('/supervision/weekly-report', { asOf: '2026-11-13' })).body as Buffer);
      expect(rowsOf(before.getWorksheet('政府用时')!).find((r) => r[0] === RED)!.slice(5, 7)).toEqual([48, new Date('2026-11-13T00:00:00Z')]);
    }, 60_000);

    it('refuses the supervision exports to whoever may not read the supervision views (403), and lets an officer export the ledger', async () => {
      const nrp = officer('nrp-li', 'natural_resources');
      for (const path of ['/supervision/weekly-report', '/supervision/stuck/export', '/supervision/summary/export']) {
        const res = await withCaller(request(stack.baseUrl).get(`${API}${path}`), nrp);
        expect({ path, status: res.status, code: (res.body as { code?: string }).code }).toEqual({ path, status: 403, code: 'AUTH.FORBIDDEN' });
      }
      expect((await get('/projects/export', {}, nrp)).status).toBe(200);
      expect((await withCaller(request(stack.baseUrl).get(`${API}/projects/export`), { actor: null, department: null })).status).toBe(401);
    });
  });
});
