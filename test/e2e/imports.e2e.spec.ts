import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import request from 'supertest';
import { API, ADMIN, ApiClient, expectRefusal, officer, PROJECT_OFFICE, projectCode, withCaller, type Caller } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * The ledger import's dry run (POST /imports): a CSV in GBK and an XLSX built here with ExcelJS, each row's report
 * asserted — a project it would create, one registered with the same values (matches), one registered with another
 * amount (differs), and bad rows naming their column: an unquoted thousands separator, a region that is no GB/T 2260
 * code, a signing day too far from the code's year, a code twice, a day that does not exist, an amount without unit.
 */

const REGISTERED = projectCode(401);
const OTHER = projectCode(402);
const NEW = projectCode(403);

const HEADER = '项目代码,项目名称,所在区域,投资主体,总投资（万元）,签约日期';
const CSV_LINES = [
  HEADER,
  `${NEW},新建集成电路项目,越城区,绍兴芯片有限公司,"1,020.00",2022年3月5日`, // 2: create
  `${REGISTERED},高端装备制造基地项目,越城区,浙江测试装备有限公司,1000000,2022/3/5`, // 3: matches
  `${OTHER},高端装备制造基地项目,越城区,浙江测试装备有限公司,2000000,2022-03-05`, // 4: differs (amount)
  `${projectCode(404)},分列项目,越城区,某公司,1,020.00,2022-03-05`, // 5: shifted
  '2022-000000-39-03-000405,错误区划项目,越城区,某公司,100,2022-03-05', // 6: region
  `${projectCode(406)},远年签约项目,越城区,某公司,100,2019-03-05`, // 7: signedAt far from 2022 (and not after today, which is a problem of its own)
  `${NEW},重复项目,越城区,某公司,100,2022-03-05`, // 8: same code as row 2
  `${projectCode(408)},无效日期项目,越城区,某公司,100,2022-02-30`, // 9: no such day
];
const CSV = `${CSV_LINES.join('\r\n')}\r\n`;

interface Report {
  format: string;
  encoding: string | null;
  counts: Record<string, number>;
  rows: { row: number; outcome: string; code: string | null; project: Record<string, unknown> | null; differences: unknown[]; problems: { row: number; column: string | null; value: string | null; problem: string }[] }[];
}

describe('POST /imports (dry run)', () => {
  let stack: TestStack;
  const post = (caller: Caller | undefined, bytes: Buffer, name: string, query = ''): request.Test =>
    withCaller(request(stack.baseUrl).post(`${API}/imports${query}`), caller).attach('file', bytes, name);

  beforeAll(async () => {
    stack = await startTestStack('imports');
    const client = new ApiClient(stack.baseUrl);
    await client.registerOk(REGISTERED, { investmentYuan: '10000000000' });
    await client.registerOk(OTHER, { investmentYuan: '10000000000' });
  });
  afterAll(async () => stack?.close());

  it('reports each row of a GBK CSV: create, matches, differs, and bad rows naming their column', async () => {
    const res = await post(PROJECT_OFFICE, iconv.encode(CSV, 'gbk'), '台账.csv').expect(200);
    const body = res.body as Report;
    expect(body).toMatchObject({ format: 'csv', encoding: 'GB18030', counts: { rows: 8, create: 1, matches: 1, differs: 1, invalid: 5 } });
    const byRow = new Map(body.rows.map((r) => [r.row, r]));
    expect(byRow.get(2)).toEqual({
      row: 2,
      outcome: 'create',
      code: NEW,
      project: { code: NEW, name: '新建集成电路项目', track: 'standard', district: '越城区', investor: '绍兴芯片有限公司', investmentYuan: '10200000', signedAt: '2022-03-05', approvalRoute: 'filing' },
      position: [],
      differences: [],
      problems: [],
    });
    expect(byRow.get(3)).toMatchObject({ outcome: 'matches', code: REGISTERED, differences: [], problems: [] });
    expect(byRow.get(4)).toMatchObject({ outcome: 'differs', differences: [{ field: 'investmentYuan', registered: '10000000000', file: '20000000000' }] });
    const problems = (row: number) => byRow.get(row)!.problems.map((p) => [p.column, p.value, p.problem]);
    expect(problems(5)).toEqual([['总投资（万元）', '1,020.00', expect.stringContaining('thousands separator that is not in quotes')]]);
    expect(problems(6)).toEqual([['项目代码', '2022-000000-39-03-000405', expect.stringContaining('not an administrative division code of GB/T 2260')]]);
    expect(problems(7)).toEqual([['签约日期', '2019-03-05', expect.stringContaining('too far from the year of the project code')]]);
    expect(problems(8)).toEqual([['项目代码', NEW, 'the same project code as row 2: a project is imported once']]);
    expect(problems(9)).toEqual([['签约日期', '2022-02-30', "'2022-02-30' is not a real date: February 2022 has 28 days"]]);
    expect(body.rows.filter((r) => r.outcome === 'invalid').every((r) => r.project === null)).toBe(true);
  });

  it('gives the same report for the CSV in UTF-8 with a BOM', async () => {
    const gbk = (await post(PROJECT_OFFICE, iconv.encode(CSV, 'gbk'), 'a.csv').expect(200)).body as Report;
    const bom = (await post(ADMIN, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)]), 'a.csv').expect(200)).body as Report;
    expect({ ...bom, encoding: null }).toEqual({ ...gbk, encoding: null });
    expect(bom.encoding).toBe('UTF-8');
  });

  it('reads an XLSX built with ExcelJS: a title row, amounts in 亿元, Excel dates, the steps sheet', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow(['2026年重大项目台账']);
    ws.addRow(['项目代码', '项目名称', '项目类型', '所在区域', '总投资 (亿元)', '签约日期', '备注']);
    ws.addRow([NEW, '新建集成电路项目', '一般工业项目', '越城区', 1.02, new Date(Date.UTC(2022, 2, 5)), '']);
    ws.addRow([REGISTERED, '高端装备制造基地项目', '一般工业项目', '越城区', '100亿元', 44625, '']);
    ws.addRow([projectCode(409), '未知类型项目', '商业综合体', '越城区', 1, 44625, '']);
    ws.addRow([projectCode(410), '环评先于备案项目', '一般工业项目', '越城区', 1, 44625, '']);
    const steps = wb.addWorksheet('事项明细');
    steps.addRow(['项目代码', '事项代码', '办理状态', '受理日期', '办结日期']);
    steps.addRow([NEW, 'project_filing', '已办结', new Date(Date.UTC(2022, 2, 7)), new Date(Date.UTC(2022, 2, 10))]);
    steps.addRow([NEW, 'land_prereview', '审查中', '2022/3/11', null]);
    // The EIA decided while the filing it depends on is not: the workflow would refuse it, so the dry run reports it.
    steps.addRow([projectCode(410), 'eia_approval', '已办结', '2022/3/14', '2022/3/18']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const body = (await post(PROJECT_OFFICE, bytes, '台账.xlsx').expect(200)).body as Report & { sheet: string; stepsSheet: string; headerRow: number; ignoredColumns: string[] };
    expect(body).toMatchObject({ format: 'xlsx', encoding: null, sheet: '台账', stepsSheet: '事项明细', headerRow: 2, ignoredColumns: ['备注'] });
    expect(body.rows[0]!.problems).toEqual([]);
    expect(body.rows.map((r) => [r.row, r.outcome, r.project?.investmentYuan ?? null, r.project?.signedAt ?? null])).toEqual([
      [3, 'create', '102000000', '2022-03-05'],
      [4, 'differs', '10000000000', '2022-03-05'],
      [5, 'invalid', null, null],
      [6, 'invalid', null, null],
    ]);
    expect(body.rows[3]!.problems).toEqual([
      { sheet: '事项明细', row: 4, column: '办理状态', value: '已办结', problem: expect.stringMatching(/^eia_approval cannot be brought to this state: its accept on 2022-03-14 would be refused \(.*blocked until project_filing/) },
    ]);
    expect(body.rows[0]).toMatchObject({
      position: [
        { row: 2, step: 'project_filing', state: 'approved', acceptedOn: '2022-03-07', decidedOn: '2022-03-10' },
        { row: 3, step: 'land_prereview', state: 'in_review', acceptedOn: '2022-03-11', decidedOn: null },
      ],
    });
    expect(body.rows[1]!.differences).toEqual([{ field: 'investor', registered: '浙江测试装备有限公司', file: null }]);
    expect(body.rows[2]!.problems).toEqual([{ sheet: '台账', row: 5, column: '项目类型', value: '商业综合体', problem: expect.stringContaining("'商业综合体' is not one of: standard") }]);
  });

  it.each([
    ['xlsx', ''],
    ['csv', ''],
    ['csv', '&encoding=gb18030&lang=en'],
  ])('reads back its own export (%s%s): every exported project matches', async (format, extra) => {
    const exported = await withCaller(request(stack.baseUrl).get(`${API}/projects/export?format=${format}${extra}`), PROJECT_OFFICE)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const body = (await post(PROJECT_OFFICE, exported.body as Buffer, `ledger.${format}`).expect(200)).body as Report & { fileProblems: string[] };
    expect(body.fileProblems).toEqual([]);
    expect(body.rows.map((r) => [r.code, r.outcome, r.problems]).sort()).toEqual([
      [REGISTERED, 'matches', []],
      [OTHER, 'matches', []],
    ]);
  });

  it('refuses what it cannot import: another department, a file that is no ledger, no file, a dryRun that is no boolean', async () => {
    expectRefusal(await post(officer('nr-li', 'natural_resources'), Buffer.from(CSV), 'a.csv'), 403, 'AUTH.FORBIDDEN', 'importing the ledger is for officers and heads of project_office, and admins');
    expectRefusal(await post(PROJECT_OFFICE, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'photo.png'), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'neither an Excel workbook');
    expectRefusal(await post(PROJECT_OFFICE, Buffer.from('PK\u0003\u0004 not a zip'), 'a.xlsx'), 422, 'REQUEST.UNPROCESSABLE', 'not an Excel workbook');
    expectRefusal(await withCaller(request(stack.baseUrl).post(`${API}/imports`), PROJECT_OFFICE).field('note', 'x'), 400, 'REQUEST.INVALID', 'field file');
    expectRefusal(await post(PROJECT_OFFICE, Buffer.from(CSV), 'a.csv', '?dryRun=maybe'), 400, 'REQUEST.INVALID', 'dryRun must be true (report only, the default) or false (commit)');
  });

  it('refuses an empty file alike whatever its name, and a commit of a file with no project rows; the dry run still reports it', async () => {
    for (const name of ['empty.csv', 'empty.xlsx']) expectRefusal(await post(PROJECT_OFFICE, Buffer.alloc(0), name), 422, 'REQUEST.UNPROCESSABLE', `the file ${name} is empty (0 bytes)`);
    for (const text of ['\ufeff', '\r\n\r\n  \r\n']) {
      expectRefusal(await post(PROJECT_OFFICE, Buffer.from(text), 'blank.csv'), 422, 'REQUEST.UNPROCESSABLE', 'the file blank.csv holds no text (only blank lines or a byte-order mark)');
    }
    const headerOnly = Buffer.from(`\ufeff${HEADER}\r\n`);
    const report = await post(PROJECT_OFFICE, headerOnly, 'header-only.csv');
    expect(report.status).toBe(200);
    expect((report.body as Report).counts).toMatchObject({ rows: 0 });
    expectRefusal(await post(PROJECT_OFFICE, headerOnly, 'header-only.csv', '?dryRun=false'), 422, 'REQUEST.UNPROCESSABLE', 'the file header-only.csv holds no project rows below its header (row 1); nothing to import');
  });
});
