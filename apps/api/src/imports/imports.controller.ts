import {
  Controller,
  Get,
  type CanActivate,
  HttpCode,
  Injectable,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  Query,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import type { AuthenticatedRequest } from '../auth/authentication.js';
import { CurrentUser, readUser } from '../common/actor.decorator.js';
import { ApiProblems, ApiSecuredProblems } from '../common/openapi.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import type { ImportJob } from '../../../../libs/persistence/index.js';
import { ImportJobDto, ImportJobProgressDto, ImportQueryDto, ImportReportDto, type RowResultDto } from './dto/import-report.response.js';
import { ImportJobsService } from './import-jobs.service.js';
import { ImportsService, type UploadedLedger } from './imports.service.js';

/** Largest ledger file accepted: 10 MB, some 20,000 rows of the ledger's 18 columns. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** The `{id}` of a job: a UUID, else 400 REQUEST.INVALID naming it. */
const JobId = new ParseUUIDPipe({ exceptionFactory: () => new ApiProblem(ApiErrorCode.RequestInvalid, 'id must be a UUID', [{ field: 'id', message: 'id must be a UUID' }]) });

const Upload = FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 4 } });

/** multer's upload of the field `file`, with a 413 that says the limit. */
@Injectable()
export class LedgerUploadInterceptor extends Upload implements NestInterceptor {
  override async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(ctx, next);
    } catch (e) {
      if (e instanceof PayloadTooLargeException) throw new ApiProblem(ApiErrorCode.RequestTooLarge, `the file is larger than the limit of ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split the ledger`);
      throw e;
    }
  }
}

/**
 * Refuses a caller without the policy `ledger.import` (403) before the upload is read: guards run before interceptors,
 * so multer never reads a clerk's 10 MB body, and no 413 or 415 tells a caller without the right anything about it.
 */
@Injectable()
export class LedgerImportGuard implements CanActivate {
  constructor(private readonly authz: AuthorizationService) {}

  /** @throws ApiProblem 401 without a verified user, 403 AUTH.FORBIDDEN without `ledger.import` */
  canActivate(ctx: ExecutionContext): boolean {
    this.authz.require(readUser(ctx.switchToHttp().getRequest<AuthenticatedRequest>()), 'ledger.import');
    return true;
  }
}

/**
 * `POST /imports` and `GET /imports/{id}`: the district's ledger (重大项目台账) as XLSX or CSV, read and reported row by
 * row (dry run) or imported by a job. For the project office (officers and heads) and admins: policy `ledger.import`.
 */
@ApiSecuredProblems()
@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    private readonly jobs: ImportJobsService,
    private readonly authz: AuthorizationService,
  ) {}

  /** `POST /imports`: the dry run's report (200), or with dryRun=false the commit's job (202; 200 for a file already imported). */
  @Post()
  @HttpCode(200)
  @UseGuards(LedgerImportGuard)
  @UseInterceptors(LedgerUploadInterceptor)
  @ApiOperation({
    summary: 'Read a ledger (重大项目台账, XLSX or CSV) and report per row what importing it does (dryRun=true, the default), or import it (dryRun=false)',
    description:
      'multipart/form-data with the field `file`: an Excel workbook (.xlsx; the sheet whose headers name ledger columns, title rows above them skipped; ' +
      'the sheet 事项明细 gives each project’s steps) or CSV (UTF-8 with or without BOM, or GB18030/GBK, detected). Headers in Chinese or English as the export ' +
      'writes them (项目代码, 项目名称, 项目类型, 所在区域, 投资主体, 总投资（万元）, 签约日期, 审批方式), spaces, bracket widths and other names tolerated; the amount’s unit ' +
      '(元, 万元, 亿元) from its header or the cell’s suffix; days as YYYY-MM-DD, YYYY/M/D, YYYY年M月D日 or Excel dates (Asia/Shanghai). Each row is checked with the rules of ' +
      'POST /projects and compared with the project registered under its code. dryRun=false starts a job that registers each valid row on its signing day and ' +
      'brings it to its position with back-dated step actions (acceptance and decision days of the steps sheet); a project already registered is left alone. ' +
      'The same file (by content) is imported once: sending it again answers its job.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], additionalProperties: false, properties: { file: { type: 'string', format: 'binary', description: 'The ledger: .xlsx or .csv' } } } })
  @ApiExtraModels(ImportReportDto, ImportJobDto)
  @ApiOkResponse({
    description: 'dryRun=true: the report (how the file was read, counts, each row’s outcome or problems); dryRun=false for a file already imported: its job',
    schema: { oneOf: [{ $ref: getSchemaPath(ImportReportDto) }, { $ref: getSchemaPath(ImportJobDto) }] },
  })
  @ApiAcceptedResponse({ type: ImportJobDto, description: 'dryRun=false: the job, queued; follow Location (GET /imports/{id})', headers: { Location: { description: '/api/v1/imports/{id}', schema: { type: 'string' } } } })
  @ApiProblems(
    { status: 409, description: 'IDEMPOTENCY.IN_PROGRESS, with Retry-After: the same file is being committed by another request at this very moment and its job could not be read yet (rows of registered projects are reported already_registered, never refused)' },
    { status: 413, description: 'The file is larger than 10 MB: REQUEST.TOO_LARGE' },
    { status: 415, description: 'The file is neither an Excel workbook (.xlsx) nor CSV text, or the body is not multipart/form-data: REQUEST.UNSUPPORTED_MEDIA_TYPE' },
    { status: 422, description: 'The file is empty or cannot be read (a damaged workbook, text in no accepted encoding, broken CSV quoting), or a commit of a file with no project rows (REQUEST.UNPROCESSABLE naming file)' },
  )
  async create(
    @Query() q: ImportQueryDto,
    @UploadedFile() file: UploadedLedger | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportReportDto | ImportJobDto> {
    this.authz.require(user, 'ledger.import');
    if (!file) throw new ApiProblem(ApiErrorCode.RequestInvalid, 'send the ledger as the multipart/form-data field file', [{ field: 'file', message: 'file is required' }]);
    if (q.dryRun !== 'false') return this.imports.dryRun(file);
    const { job, created } = await this.jobs.commit(file, user);
    if (created) res.status(202);
    res.setHeader('Location', `/api/v1/imports/${job.id}`);
    return jobDto(job);
  }

  /** `GET /imports/{id}`. */
  @Get(':id')
  @ApiOperation({ summary: 'An import job: its status, progress, each row’s result so far, and the report it works from' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ImportJobDto })
  @ApiProblems({ status: 404, description: 'No import with this id: IMPORT.NOT_FOUND' })
  async get(@Param('id', JobId) id: string, @CurrentUser() user: AuthenticatedUser): Promise<ImportJobDto> {
    this.authz.require(user, 'ledger.import');
    return jobDto(await this.jobs.find(id));
  }

  /** `GET /imports/{id}/progress`. */
  @Get(':id/progress')
  @ApiOperation({
    summary: 'An import job’s status and progress only, for polling while it runs',
    description: 'The same status and progress as GET /imports/{id}, without the report and the rows’ results (about 1 MB for 1,000 rows): poll this, then read the job once it is done or failed.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ImportJobProgressDto })
  @ApiProblems({ status: 404, description: 'No import with this id: IMPORT.NOT_FOUND' })
  async progress(@Param('id', JobId) id: string, @CurrentUser() user: AuthenticatedUser): Promise<ImportJobProgressDto> {
    this.authz.require(user, 'ledger.import');
    const p = await this.jobs.progress(id);
    return { id: p.id, status: p.status, progress: { rowsTotal: p.rowsTotal, rowsDone: p.rowsDone }, error: p.error, updatedAt: p.updatedAt.toISOString() };
  }
}

/** The job as the API answers it. */
function jobDto(job: ImportJob): ImportJobDto {
  return {
    id: job.id,
    status: job.status,
    fileName: job.fileName,
    fileSha256: job.fileSha256,
    createdBy: job.createdBy.id,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    progress: { rowsTotal: job.rowsTotal, rowsDone: job.rowsDone },
    results: job.results as RowResultDto[],
    error: job.error,
    report: job.report as ImportReportDto,
  };
}
