import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { CurrentUser } from '../common/actor.decorator.js';
import { ApiProblems, ApiSecuredProblems, DUE_RANGE_REFUSED } from '../common/openapi.js';
import { ExportProjectsQueryDto, ExportSupervisionQueryDto, WeeklyReportQueryDto } from './dto/export.query.js';
import { ExportsService, type ExportFile } from './exports.service.js';
import { attachmentDisposition, CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE } from './table-writers.js';

const AS_OF = {
  status: 422,
  description:
    'asOf is after today or before the years the calendar provides (REQUEST.UNPROCESSABLE or CALENDAR.YEAR_NOT_SUPPORTED naming asOf), or dueTo is before dueFrom (REQUEST.UNPROCESSABLE naming dueTo)',
};

const DISPOSITION = {
  'Content-Disposition': {
    description: "attachment; filename=\"<English name>-<day>.<ext>\"; filename*=UTF-8''<the name in the export's language, RFC 5987>",
    schema: { type: 'string' },
  },
};

/** The 200 of a table export: XLSX or CSV bytes, as `format` asks. */
const TABLE_FILE = {
  status: 200,
  description:
    'The file: XLSX (format=xlsx, default: header row frozen, dates as Excel dates, lights as cell fill colours) or CSV (format=csv: UTF-8 with a byte-order mark, or GB18030 with encoding=gb18030)',
  headers: DISPOSITION,
  content: {
    [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } },
    [CSV_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } },
  },
};

/** The answer of an export: its stream with media type and Content-Disposition. */
function download(file: ExportFile): StreamableFile {
  return new StreamableFile(file.stream, { type: file.type, disposition: attachmentDisposition(file.fileName, file.asciiName) });
}

/**
 * Downloads: the ledger (重大项目台账) of the projects a caller may list, the supervisors' stuck list and summary, and
 * the weekly supervision report (督办周报). Who may export is who may read the JSON: `project.read` for the ledger,
 * `supervision.read` for the rest. Column lists: libs/ledger/ledger-columns.ts and exports/report-columns.ts.
 */
@ApiSecuredProblems()
@Controller()
export class ExportsController {
  constructor(
    private readonly exports: ExportsService,
    private readonly authz: AuthorizationService,
  ) {}

  /** `GET /projects/export`. */
  @Get('projects/export')
  @ApiTags('projects')
  @ApiOperation({
    summary: 'The ledger (重大项目台账) of the projects matching the filters of GET /projects, every page, as XLSX or CSV',
    description:
      'Columns (Chinese headers by default, lang=en for English): 项目代码, 项目名称, 项目类型, 所在区域, 投资主体, 总投资（万元） (exact, from investmentYuan), ' +
      '签约日期, 审批方式, 当前阶段, 项目状态, 亮灯, 当前办理事项, 责任部门, 最近到期日, 逾期天数（工作日）, 政府审批用时（工作日）, 是否督办, 最近进展日期. ' +
      'XLSX adds the sheet 事项明细 (one row per step: state, acceptance, decision and due days), from which an import can place each project.',
  })
  @ApiResponse(TABLE_FILE)
  @ApiProblems(DUE_RANGE_REFUSED)
  async projects(@Query() q: ExportProjectsQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<StreamableFile> {
    this.authz.require(user, 'project.read');
    return download(await this.exports.projects(q));
  }

  /** `GET /supervision/stuck/export`. */
  @Get('supervision/stuck/export')
  @ApiTags('supervision')
  @ApiOperation({ summary: 'The stuck list (filters as GET /supervision/stuck, every page, most urgent first) as XLSX or CSV, reasons worded per project' })
  @ApiResponse(TABLE_FILE)
  @ApiProblems(AS_OF)
  async stuck(@Query() q: ExportSupervisionQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<StreamableFile> {
    this.authz.require(user, 'supervision.read');
    return download(await this.exports.stuck(q));
  }

  /** `GET /supervision/summary/export`. */
  @Get('supervision/summary/export')
  @ApiTags('supervision')
  @ApiOperation({ summary: 'The summary (filters as GET /supervision/summary) as XLSX or CSV, one row per number: section, item, measure, value' })
  @ApiResponse(TABLE_FILE)
  @ApiProblems(AS_OF)
  async summary(@Query() q: ExportSupervisionQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<StreamableFile> {
    this.authz.require(user, 'supervision.read');
    return download(await this.exports.summary(q));
  }

  /** `GET /supervision/weekly-report`. */
  @Get('supervision/weekly-report')
  @ApiTags('supervision')
  @ApiOperation({
    summary: 'The weekly supervision report (督办周报) counted to asOf (default today): one XLSX workbook',
    description: 'Sheets: 汇总 (the summary), 滞留项目 (stuck projects with reasons), 超法定时限 (open steps past the statutory limit), 政府用时 (government time per project).',
  })
  @ApiResponse({ ...TABLE_FILE, description: 'The workbook (XLSX)', content: { [XLSX_MEDIA_TYPE]: TABLE_FILE.content[XLSX_MEDIA_TYPE] } })
  @ApiProblems({ status: 422, description: 'asOf is after today or before the years the calendar provides (REQUEST.UNPROCESSABLE or CALENDAR.YEAR_NOT_SUPPORTED naming asOf)' })
  async weeklyReport(@Query() q: WeeklyReportQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<StreamableFile> {
    this.authz.require(user, 'supervision.read');
    return download(await this.exports.weeklyReport(q));
  }
}
