import { Injectable } from '@nestjs/common';
import { shanghaiDateOf, toShanghaiDate } from '../../../../libs/calendar/index.js';
import { latestTrackDefinition, type TrackKey } from '../../../../libs/domain/index.js';
import { LedgerCsvError, readCsvLedger } from '../../../../libs/ledger/ledger-csv.js';
import { readLedgerImport } from '../../../../libs/ledger/ledger-import-rows.js';
import { LedgerTextError } from '../../../../libs/ledger/ledger-text.js';
import { LedgerWorkbookError, readXlsxLedger } from '../../../../libs/ledger/ledger-xlsx.js';
import { ProjectReadModelRepository } from '../../../../libs/persistence/index.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { reportRow, type ExistingProject, type RowOutcome, type RowReport } from './import-report.js';
import { positionProblem } from './position-check.js';

/** A file as uploaded: its bytes, the name and media type the client gave. */
export interface UploadedLedger {
  buffer: Buffer;
  originalname: string;
  mimetype: string;
}

/** The answer of a dry run: how the file was read, and per row what it would do or why not. */
export interface ImportReport {
  dryRun: true;
  format: 'xlsx' | 'csv';
  /** The text encoding of a CSV (UTF-8, GB18030…), null for a workbook. */
  encoding: string | null;
  sheet: string | null;
  stepsSheet: string | null;
  headerRow: number;
  ignoredColumns: string[];
  fileProblems: string[];
  counts: Record<RowOutcome, number> & { rows: number };
  rows: RowReport[];
}

/** The kind of an uploaded file by its first bytes, then its name and media type. */
function kindOf(file: UploadedLedger): 'xlsx' | 'csv' | 'xls' | 'other' {
  const b = file.buffer;
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'xlsx';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'xls';
  const named = /\.(csv|txt)$/i.test(file.originalname) || /^text\/|^application\/(csv|vnd\.ms-excel)$/i.test(file.mimetype);
  // A CSV is text: a NUL byte outside UTF-16 means some other binary file.
  const utf16 = (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);
  if (named && (utf16 || !b.includes(0))) return 'csv';
  return 'other';
}

/**
 * A new row as the dry run reports it: `invalid`, naming the step and the domain's reason, when the rules would refuse
 * its position (see position-check.ts); otherwise as it is.
 */
async function withPositionChecked(row: RowReport, stepsSheet: string | null): Promise<RowReport> {
  if (row.outcome !== 'create' || row.project === null) return row;
  const problem = await positionProblem(row, latestTrackDefinition(row.project.track as TrackKey), stepsSheet, new Date().toISOString());
  return problem === null ? row : { ...row, outcome: 'invalid', project: null, problems: [problem] };
}

/**
 * The ledger import (重大项目台账): reads an uploaded XLSX or CSV (libs/ledger) and reports per row what a commit would
 * do — register a project, find it registered unchanged, or find it registered with other values — or why it cannot,
 * with the validators of POST /projects. Reads the read model only; registers nothing.
 */
@Injectable()
export class ImportsService {
  constructor(private readonly readModel: ProjectReadModelRepository) {}

  /**
   * The dry run of an uploaded ledger.
   * @throws ApiProblem 415 REQUEST.UNSUPPORTED_MEDIA_TYPE for a file that is neither XLSX nor CSV (an old .xls named),
   *   422 REQUEST.UNPROCESSABLE for one that is empty (no bytes, or a CSV of blank lines) or cannot be read (not a workbook, text in no accepted encoding,
   *   broken quoting)
   */
  async dryRun(file: UploadedLedger): Promise<ImportReport> {
    if (file.buffer.length === 0) {
      const message = `the file ${file.originalname} is empty (0 bytes); choose the ledger workbook (.xlsx) or its CSV`;
      throw new ApiProblem(ApiErrorCode.RequestUnprocessable, message, [{ field: 'file', message }]);
    }
    const kind = kindOf(file);
    if (kind === 'xls') throw new ApiProblem(ApiErrorCode.UnsupportedMediaType, 'the file is an Excel 97–2003 workbook (.xls); save it as an Excel workbook (.xlsx) or as CSV');
    if (kind === 'other') throw new ApiProblem(ApiErrorCode.UnsupportedMediaType, `the file ${file.originalname} is neither an Excel workbook (.xlsx) nor CSV text (.csv)`);
    const unreadable = (e: unknown): never => {
      if (e instanceof LedgerTextError || e instanceof LedgerCsvError || e instanceof LedgerWorkbookError) {
        throw new ApiProblem(ApiErrorCode.RequestUnprocessable, e.message, [{ field: 'file', message: e.message }]);
      }
      throw e;
    };
    let encoding: string | null = null;
    let read;
    if (kind === 'xlsx') {
      const book = await readXlsxLedger(file.buffer).catch(unreadable);
      read = { table: book.table, steps: book.steps };
    } else {
      let csv: ReturnType<typeof readCsvLedger>;
      try {
        csv = readCsvLedger(file.buffer);
      } catch (e) {
        return unreadable(e);
      }
      encoding = csv.encoding;
      if (csv.table.headers.length === 0 && csv.table.rows.length === 0) {
        const message = `the file ${file.originalname} holds no text (only blank lines or a byte-order mark); choose the ledger workbook (.xlsx) or its CSV`;
        throw new ApiProblem(ApiErrorCode.RequestUnprocessable, message, [{ field: 'file', message }]);
      }
      read = { table: csv.table, steps: null };
    }
    // Days after today are refused here, as the commit's registration and actions would refuse them (Asia/Shanghai).
    const ledger = readLedgerImport(read.table, read.steps, toShanghaiDate(Date.now()));
    const rows: RowReport[] = [];
    const registered = await this.readModel.findProjects(ledger.rows.flatMap((r) => (r.registration.code === undefined ? [] : [r.registration.code])));
    for (const row of ledger.rows) {
      const code = row.registration.code;
      const found = code === undefined ? null : (registered.get(code) ?? null);
      const existing: ExistingProject | null = found && {
        code: found.code,
        name: found.name,
        track: found.track,
        district: found.district,
        investor: found.investor,
        investmentYuan: found.investmentYuan,
        signedAt: found.signedAt,
        approvalRoute: found.approvalRoute,
        steps: found.steps.map((x) => ({
          key: x.stepKey,
          state: x.state,
          acceptedOn: x.acceptedAt === null ? null : shanghaiDateOf(x.acceptedAt),
          decidedOn: x.decidedAt === null ? null : shanghaiDateOf(x.decidedAt),
        })),
      };
      rows.push(await withPositionChecked(reportRow(row, ledger, existing), read.steps?.sheet ?? null));
    }
    const counts = { rows: rows.length, create: 0, matches: 0, differs: 0, invalid: 0 };
    for (const r of rows) counts[r.outcome]++;
    return {
      dryRun: true,
      format: kind,
      encoding,
      sheet: read.table.sheet,
      stepsSheet: read.steps?.sheet ?? null,
      headerRow: read.table.headerRow,
      ignoredColumns: ledger.ignoredHeaders,
      fileProblems: ledger.fileProblems,
      counts,
      rows,
    };
  }
}
