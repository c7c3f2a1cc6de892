import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { toShanghaiDate, type CalendarSource } from '../../../../libs/calendar/index.js';
import {
  labelOf,
  LEDGER_COLUMNS,
  LEDGER_SHEETS,
  LEDGER_STEP_COLUMNS,
  ledgerRowOf,
  ledgerStepRowsOf,
  type ColumnSpec,
  type LedgerLang,
  type TableRow,
} from '../../../../libs/ledger/index.js';
import { ProjectReadModelRepository, type ProjectListFilter, type ProjectWithSteps } from '../../../../libs/persistence/index.js';
import { CALENDAR_SOURCE, ledgerContext } from '../database/calendar-source.provider.js';
import type { GovernmentTimeDto, ProjectDto } from '../projects/dto/project.response.js';
import { governmentTimeOfRow, projectFromRow, type LedgerContext } from '../projects/project.mapper.js';
import type { StuckProjectDto } from '../supervision/dto/supervision.response.js';
import { SupervisionService } from '../supervision/supervision.service.js';
import type { ExportFormatDto, ExportProjectsQueryDto, ExportSupervisionQueryDto, WeeklyReportQueryDto } from './dto/export.query.js';
import {
  GOVERNMENT_TIME_COLUMNS,
  REPORT_NAMES,
  STATUTORY_COLUMNS,
  STUCK_COLUMNS,
  SUMMARY_COLUMNS,
  stageLabel,
  statutoryRowsOf,
  stuckRowOf,
  summaryRowsOf,
} from './report-columns.js';
import { csvStream, CSV_MEDIA_TYPE, paged, primed, xlsxStream, XLSX_MEDIA_TYPE, type SheetSpec } from './table-writers.js';

/** Projects read from the read model per batch: a page of the list query, mapped and written before the next. */
const PROJECT_BATCH = 500;
/** Stuck projects per page of the stuck list (its largest page). */
const STUCK_BATCH = 200;

/** A download: its bytes as a stream, media type and file names (the real one, and an ASCII one for old clients). */
export interface ExportFile {
  stream: Readable;
  type: string;
  fileName: string;
  asciiName: string;
}

/**
 * Exports of the ledger (重大项目台账), the stuck list, the summary and the weekly supervision report (督办周报). Reads
 * through the same queries as the JSON views — the read model's project list, the supervision service's stuck list
 * and summary — in batches, and writes XLSX or CSV as the rows come. The first batch is read before the answer
 * starts, so a failing database is still answered as a problem.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly readModel: ProjectReadModelRepository,
    private readonly supervision: SupervisionService,
    @Inject(CALENDAR_SOURCE) private readonly calendar: CalendarSource,
  ) {}

  /**
   * The ledger of the projects matching `q` (the filters of `GET /projects`, every page): XLSX with the ledger sheet
   * (台账) and the steps sheet (事项明细), or CSV of the ledger sheet. Newest registration first, as the list.
   */
  async projects(q: ExportProjectsQueryDto): Promise<ExportFile> {
    const lang = langOf(q);
    const ctx = await ledgerContext(this.calendar);
    const filter: ProjectListFilter = {
      stage: q.stage,
      track: q.track,
      department: q.department,
      district: q.district,
      status: q.status,
      light: q.light,
      dueFrom: q.dueFrom,
      dueTo: q.dueTo,
    };
    const ledger = await primed(mapRows(this.projectsOf(filter, ctx), (p) => [ledgerRowOf(p, lang)]));
    const names = fileNames(REPORT_NAMES.ledgerFile, lang, ctx.today, q);
    if (q.format === 'csv') return this.csv(LEDGER_COLUMNS, ledger, q, names);
    const steps = mapRows(this.projectsOf(filter, ctx), (p) => ledgerStepRowsOf(p, lang));
    return xlsx(
      [
        { name: LEDGER_SHEETS.ledger[lang], columns: LEDGER_COLUMNS, rows: ledger },
        { name: LEDGER_SHEETS.steps[lang], columns: LEDGER_STEP_COLUMNS, rows: steps },
      ],
      lang,
      names,
    );
  }

  /**
   * The stuck list matching `q` (the filters of `GET /supervision/stuck`, every page, most urgent first), one row per
   * project with its reasons worded.
   * @throws as SupervisionService.stuck (422 for an asOf after today or a year the calendar cannot serve)
   */
  async stuck(q: ExportSupervisionQueryDto): Promise<ExportFile> {
    const lang = langOf(q);
    const rows = await primed(mapRows(this.stuckOf(q), (p) => [stuckRowOf(p, lang)]));
    const day = await this.dayOf(q.asOf);
    const names = fileNames(REPORT_NAMES.stuckFile, lang, day, q);
    if (q.format === 'csv') return this.csv(STUCK_COLUMNS, rows, q, names);
    return xlsx([{ name: REPORT_NAMES.stuck[lang], columns: STUCK_COLUMNS, rows }], lang, names);
  }

  /**
   * The summary matching `q` (the filters of `GET /supervision/summary`) in long form: section, item, measure, value.
   * @throws as SupervisionService.summary
   */
  async summary(q: ExportSupervisionQueryDto): Promise<ExportFile> {
    const lang = langOf(q);
    const summary = await this.supervision.summary(q);
    const rows = fromArray(summaryRowsOf(summary, lang));
    const names = fileNames(REPORT_NAMES.summaryFile, lang, summary.asOf, q);
    if (q.format === 'csv') return this.csv(SUMMARY_COLUMNS, rows, q, names);
    return xlsx([{ name: REPORT_NAMES.summary[lang], columns: SUMMARY_COLUMNS, rows }], lang, names);
  }

  /**
   * The weekly supervision report (督办周报) counted to `q.asOf` (default today), one XLSX workbook: 汇总 (the summary
   * of every running project), 滞留项目 (every stuck project with its reasons), 超法定时限 (every open step past its
   * statutory limit, with the working days over) and 政府用时 (government time of every project signed by that day,
   * counted to it).
   * @throws as SupervisionService.stuck
   */
  async weeklyReport(q: WeeklyReportQueryDto): Promise<ExportFile> {
    const lang = langOf(q);
    const counting = { asOf: q.asOf, idleWorkingDays: q.idleWorkingDays };
    const summary = await this.supervision.summary(counting);
    const ctx = await ledgerContext(this.calendar);
    const stuck = await primed(mapRows(this.stuckOf(counting), (p) => [stuckRowOf(p, lang)]));
    const statutory = mapRows(this.stuckOf({ ...counting, kind: 'statutory_overdue' }), (p) => statutoryRowsOf(p, lang));
    // Government time counted to the report's day, as every other sheet is (the rows hold it as of their last day).
    const countedTo = { ...ctx, today: summary.asOf };
    const government = mapRows(this.rowsOf({}), (row) => {
      const g = governmentTimeOfRow(row, countedTo);
      return g ? [governmentTimeRowOf(projectFromRow(row, ctx), g, lang)] : [];
    });
    return xlsx(
      [
        { name: REPORT_NAMES.summary[lang], columns: SUMMARY_COLUMNS, rows: fromArray(summaryRowsOf(summary, lang)) },
        { name: REPORT_NAMES.stuck[lang], columns: STUCK_COLUMNS, rows: stuck },
        { name: REPORT_NAMES.statutory[lang], columns: STATUTORY_COLUMNS, rows: statutory },
        { name: REPORT_NAMES.governmentTime[lang], columns: GOVERNMENT_TIME_COLUMNS, rows: government },
      ],
      lang,
      fileNames(REPORT_NAMES.weeklyFile, lang, summary.asOf, { format: 'xlsx' }),
    );
  }

  /** Every project matching `filter` as the API answers it, read a batch at a time; each once, should rows move. */
  private async *projectsOf(filter: ProjectListFilter, ctx: LedgerContext): AsyncGenerator<ProjectDto> {
    for await (const row of this.rowsOf(filter)) yield projectFromRow(row, ctx);
  }

  /** Every read-model row matching `filter`, read a batch at a time; each once, should rows move. */
  private async *rowsOf(filter: ProjectListFilter): AsyncGenerator<ProjectWithSteps> {
    const seen = new Set<string>();
    const batches = paged(PROJECT_BATCH, async (n) => (await this.readModel.listProjects(filter, { page: n, pageSize: PROJECT_BATCH })).items);
    for await (const row of batches) {
      if (seen.has(row.code)) continue; // a registration during the export moves later pages by one
      seen.add(row.code);
      yield row;
    }
  }

  /** Every stuck project matching `q`, most urgent first, a page at a time by the list's keyset cursor. */
  private async *stuckOf(q: Omit<ExportSupervisionQueryDto, 'format' | 'lang' | 'encoding'>): AsyncGenerator<StuckProjectDto> {
    let cursor: string | undefined;
    do {
      const page = await this.supervision.stuck({ ...q, page: 1, pageSize: STUCK_BATCH, ...(cursor ? { cursor } : {}) });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  private async dayOf(asOf: string | undefined): Promise<string> {
    return asOf ?? toShanghaiDate(Date.now());
  }

  private csv(columns: readonly ColumnSpec[], rows: AsyncIterable<TableRow>, q: ExportFormatDto, names: { fileName: string; asciiName: string }): ExportFile {
    const encoding = q.encoding ?? 'utf-8';
    return { stream: csvStream(columns, rows, langOf(q), encoding), type: `${CSV_MEDIA_TYPE}; charset=${encoding}`, ...names };
  }
}

function xlsx(sheets: SheetSpec[], lang: LedgerLang, names: { fileName: string; asciiName: string }): ExportFile {
  return { stream: xlsxStream(sheets, lang), type: XLSX_MEDIA_TYPE, ...names };
}

function langOf(q: { lang?: LedgerLang }): LedgerLang {
  return q.lang ?? 'zh';
}

/** The file names of an export: `<name>-<day>.<ext>` in the export's language, and in English for the ASCII one. */
function fileNames(name: { zh: string; en: string }, lang: LedgerLang, day: string, q: { format?: string }): { fileName: string; asciiName: string } {
  const ext = q.format === 'csv' ? 'csv' : 'xlsx';
  return { fileName: `${name[lang]}-${day}.${ext}`, asciiName: `${name.en}-${day}.${ext}` };
}

/** Each item of `items` as the rows `rowsOf` makes of it. */
async function* mapRows<T>(items: AsyncIterable<T>, rowsOf: (item: T) => TableRow[]): AsyncGenerator<TableRow> {
  for await (const item of items) yield* rowsOf(item);
}

async function* fromArray(rows: TableRow[]): AsyncGenerator<TableRow> {
  yield* rows;
}

/** The government-time sheet's row of a project, with its government time `g` counted to the report's day. */
function governmentTimeRowOf(p: ProjectDto, g: GovernmentTimeDto, lang: LedgerLang): TableRow {
  const promises = g.promises.map((x) =>
    lang === 'zh' ? `${x.nameZh}：已用${x.usedWorkingDays}/${x.limit}${x.exceeded ? '（超出）' : ''}` : `${x.name}: ${x.usedWorkingDays} of ${x.limit} used${x.exceeded ? ' (exceeded)' : ''}`,
  );
  return {
    code: p.code,
    name: p.name,
    track: labelOf('track', p.track, lang),
    stage: lang === 'zh' ? p.stageNameZh : p.stageName || stageLabel(p.stage, lang),
    status: labelOf('status', p.status, lang),
    workingDays: g.workingDays,
    asOf: g.asOf,
    promises: promises.join(lang === 'zh' ? '；' : '; '),
    exceeded: labelOf('yesNo', g.promises.some((x) => x.exceeded) ? 'yes' : 'no', lang),
  };
}
