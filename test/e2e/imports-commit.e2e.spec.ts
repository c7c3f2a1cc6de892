import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { shanghaiDateOf } from '../../libs/calendar/index.js';
import { ImportsRepository } from '../../libs/persistence/index.js';
import { API, PROJECT_OFFICE, expectProblem, projectCode, stepOf, withCaller, type ProjectBody } from '../support/api-client.js';
import { startExtraApi, startTestStack, type TestStack } from '../support/stack.js';

/*
 * Committing a ledger import (POST /imports?dryRun=false): a job registers each valid row on its signing day and
 * brings it to its position with back-dated step actions; GET /imports/{id} follows it; the same file sent again
 * answers the same job and changes nothing; a job an API left running resumes when an API starts.
 */

const PLACED = projectCode(601);
const PLAIN = projectCode(602);
const RESUMED = projectCode(603);
const TWICE = projectCode(604);

interface Job {
  id: string;
  status: string;
  updatedAt: string;
  progress: { rowsTotal: number; rowsDone: number };
  results: { row: number; code: string | null; result: string; actions: number; problem: string | null }[];
}

/** A workbook as the export writes it: the ledger sheet and the steps sheet. */
async function ledgerWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  ws.addRow(['项目代码', '项目名称', '项目类型', '所在区域', '投资主体', '总投资（万元）', '签约日期']);
  ws.addRow([PLACED, '导入定位项目', '一般工业项目', '越城区', '浙江导入有限公司', 5000, new Date(Date.UTC(2022, 2, 5))]);
  ws.addRow([PLAIN, '导入新签项目', '一般工业项目', '越城区', null, '1.2亿元', '2022/3/6']);
  ws.addRow(['2022-000000-39-03-000604', '错误区划项目', '一般工业项目', '越城区', null, 100, '2022/3/6']);
  const steps = wb.addWorksheet('事项明细');
  steps.addRow(['项目代码', '事项代码', '办理状态', '受理日期', '办结日期']);
  steps.addRow([PLACED, 'project_filing', '已办结', new Date(Date.UTC(2022, 2, 7)), new Date(Date.UTC(2022, 2, 10))]);
  steps.addRow([PLACED, 'land_prereview', '审查中', '2022-03-11', null]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('POST /imports?dryRun=false (commit)', () => {
  let stack: TestStack;
  const job = async (id: string, base = stack.baseUrl): Promise<Job> => (await withCaller(request(base).get(`${API}/imports/${id}`), PROJECT_OFFICE).expect(200)).body as Job;
  /** The job once it is done: its progress polled every 200 ms (at most 30 s), then the whole job read once. */
  const done = async (id: string): Promise<Job> => {
    for (let i = 0; i < 150; i++) {
      const p = (await withCaller(request(stack.baseUrl).get(`${API}/imports/${id}/progress`), PROJECT_OFFICE).expect(200)).body as Pick<Job, 'status'>;
      if (p.status === 'done' || p.status === 'failed') return job(id);
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`import ${id} did not finish`);
  };
  const project = async (code: string): Promise<ProjectBody> => (await withCaller(request(stack.baseUrl).get(`${API}/projects/${code}`), PROJECT_OFFICE).expect(200)).body as ProjectBody;

  beforeAll(async () => {
    stack = await startTestStack('imports-commit');
  });
  afterAll(async () => stack?.close());

  it('registers each valid row at its position with the historical days, then answers the same job for the same file', async () => {
    const file = await ledgerWorkbook();
    const res = await withCaller(request(stack.baseUrl).post(`${API}/imports?dryRun=false`), PROJECT_OFFICE).attach('file', file, '台账.xlsx').expect(202);
    expect(res.headers.location).toBe(`/api/v1/imports/${(res.body as Job).id}`);
    const finished = await done((res.body as Job).id);
    expect(finished).toMatchObject({
      status: 'done',
      progress: { rowsTotal: 3, rowsDone: 3 },
      results: [
        { row: 2, code: PLACED, result: 'registered', actions: 3, problem: null },
        { row: 3, code: PLAIN, result: 'registered', actions: 0, problem: null },
        { row: 4, code: '2022-000000-39-03-000604', result: 'invalid', actions: 0, problem: expect.stringContaining('row 4, 项目代码: code 2022-000000-39-03-000604 has region 000000, which is not an administrative division code of GB/T 2260') },
      ],
    });

    const placed = await project(PLACED);
    expect(placed).toMatchObject({ name: '导入定位项目', investmentYuan: '50000000', signedAt: '2022-03-05' });
    const filing = stepOf(placed, 'project_filing');
    expect([filing.state, shanghaiDateOf(filing.acceptedAt!), shanghaiDateOf((filing as { decidedAt: string }).decidedAt)]).toEqual(['approved', '2022-03-07', '2022-03-10']);
    const prereview = stepOf(placed, 'land_prereview');
    expect([prereview.state, shanghaiDateOf(prereview.acceptedAt!)]).toEqual(['in_review', '2022-03-11']);
    expect(prereview.light).toBe('red'); // accepted in 2022: long past its limit at once
    expect(await project(PLAIN)).toMatchObject({ investmentYuan: '120000000', signedAt: '2022-03-06', investor: null });

    // The progress a client polls: the job's status and counts, without the report and the rows' results.
    const progress = (await withCaller(request(stack.baseUrl).get(`${API}/imports/${finished.id}/progress`), PROJECT_OFFICE).expect(200)).body as Record<string, unknown>;
    expect(progress).toEqual({ id: finished.id, status: 'done', progress: { rowsTotal: 3, rowsDone: 3 }, error: null, updatedAt: finished.updatedAt });
    expectProblem(await withCaller(request(stack.baseUrl).get(`${API}/imports/00000000-0000-4000-8000-000000000000/progress`), PROJECT_OFFICE), 404, 'IMPORT.NOT_FOUND');
    expectProblem(await withCaller(request(stack.baseUrl).get(`${API}/imports/not-a-uuid/progress`), PROJECT_OFFICE), 400, 'REQUEST.INVALID');

    const version = (placed as unknown as { version: number }).version;
    const again = await withCaller(request(stack.baseUrl).post(`${API}/imports?dryRun=false`), PROJECT_OFFICE).attach('file', file, '台账-副本.xlsx').expect(200);
    expect((again.body as Job).id).toBe(finished.id);
    expect((await project(PLACED)) as unknown as { version: number }).toMatchObject({ version });
  });

  it('resumes a job left running when an API starts', async () => {
    const csv = Buffer.from(`项目代码,项目名称,所在区域,总投资（万元）,签约日期\r\n${RESUMED},重启续导项目,越城区,100,2022-03-08\r\n`);
    const report = (await withCaller(request(stack.baseUrl).post(`${API}/imports`), PROJECT_OFFICE).attach('file', csv, 'resume.csv').expect(200)).body as { rows: unknown[] };
    const repo = new ImportsRepository(stack.dataSource);
    const id = '6f1c1a52-7d0e-4a8e-9a55-1f2a3b4c5d6e';
    await repo.create({ id, fileName: 'resume.csv', fileSha256: 'a'.repeat(64), file: csv, createdBy: { id: 'po-chen', department: 'project_office' }, rowsTotal: report.rows.length, report });
    await repo.markRunning(id); // as an API stopped mid-job leaves it
    const extra = await startExtraApi({});
    try {
      const finished = await done(id);
      expect(finished).toMatchObject({ status: 'done', results: [{ row: 2, code: RESUMED, result: 'registered', actions: 0 }] });
      expect(await project(RESUMED)).toMatchObject({ name: '重启续导项目', signedAt: '2022-03-08' });
    } finally {
      await extra.app.close();
    }
  });

  it('gives the same job to the same file committed three times at once, and registers its project once', async () => {
    const csv = Buffer.from(`项目代码,项目名称,所在区域,总投资（万元）,签约日期\r\n${TWICE},同时提交项目,越城区,100,2022-03-09\r\n`);
    const commit = () => withCaller(request(stack.baseUrl).post(`${API}/imports?dryRun=false`), PROJECT_OFFICE).attach('file', csv, 'twice.csv');
    const answers = await Promise.all([commit(), commit(), commit()]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 202]);
    const ids = new Set(answers.map((a) => (a.body as Job).id));
    expect(ids.size).toBe(1);
    const finished = await done([...ids][0]!);
    expect(finished).toMatchObject({ status: 'done', results: [{ code: TWICE, result: 'registered' }] });
    expect(await project(TWICE)).toMatchObject({ name: '同时提交项目', version: expect.any(Number) });
  });

  it('answers 404 for an unknown import and 400 for an id that is no UUID', async () => {
    const res = await withCaller(request(stack.baseUrl).get(`${API}/imports/00000000-0000-4000-8000-000000000000`), PROJECT_OFFICE);
    expect([res.status, res.body.code]).toEqual([404, 'IMPORT.NOT_FOUND']);
    const bad = await withCaller(request(stack.baseUrl).get(`${API}/imports/not-a-uuid`), PROJECT_OFFICE);
    expect([bad.status, bad.body.code]).toEqual([400, 'REQUEST.INVALID']);
  });
});
