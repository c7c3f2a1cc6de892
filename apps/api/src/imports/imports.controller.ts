import { Controller, HttpCode, Injectable, PayloadTooLargeException, Post, Query, UploadedFile, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { CurrentUser } from '../common/actor.decorator.js';
import { ApiProblems, ApiSecuredProblems } from '../common/openapi.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { ImportQueryDto, ImportReportDto } from './dto/import-report.response.js';
import { ImportsService, type UploadedLedger } from './imports.service.js';

/** Largest ledger file accepted: 10 MB, some 20,000 rows of the ledger's 18 columns. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

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
 * `POST /imports`: the district's ledger (重大项目台账) as XLSX or CSV, read and reported row by row. For the project
 * office (officers and heads) and admins: policy `ledger.import`.
 */
@ApiSecuredProblems()
@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    private readonly authz: AuthorizationService,
  ) {}

  /** `POST /imports?dryRun=true`. */
  @Post()
  @HttpCode(200)
  @UseInterceptors(LedgerUploadInterceptor)
  @ApiOperation({
    summary: 'Read a ledger (重大项目台账, XLSX or CSV) and report per row what importing it would do (dry run)',
    description:
      'multipart/form-data with the field `file`: an Excel workbook (.xlsx; the sheet whose headers name ledger columns, title rows above them skipped; ' +
      'the sheet 事项明细 gives each project’s steps) or CSV (UTF-8 with or without BOM, or GB18030/GBK, detected). Headers in Chinese or English as the export ' +
      'writes them (项目代码, 项目名称, 项目类型, 所在区域, 投资主体, 总投资（万元）, 签约日期, 审批方式), spaces, bracket widths and other names tolerated; the amount’s unit ' +
      '(元, 万元, 亿元) from its header or the cell’s suffix; days as YYYY-MM-DD, YYYY/M/D, YYYY年M月D日 or Excel dates (Asia/Shanghai). Each row is checked with the rules of ' +
      'POST /projects and compared with the project registered under its code.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'The ledger: .xlsx or .csv' } } } })
  @ApiOkResponse({ type: ImportReportDto, description: 'The report: how the file was read, counts, and each row’s outcome or problems' })
  @ApiProblems(
    { status: 409, description: 'Not answered by a dry run, which changes nothing; reserved for committing an import (not offered yet)' },
    { status: 413, description: 'The file is larger than 10 MB: REQUEST.TOO_LARGE' },
    { status: 415, description: 'The file is neither an Excel workbook (.xlsx) nor CSV text, or the body is not multipart/form-data: REQUEST.UNSUPPORTED_MEDIA_TYPE' },
    { status: 422, description: 'The file cannot be read: a damaged workbook, text in no accepted encoding, broken CSV quoting (REQUEST.UNPROCESSABLE naming file)' },
  )
  async dryRun(@Query() _q: ImportQueryDto, @UploadedFile() file: UploadedLedger | undefined, @CurrentUser() user: AuthenticatedUser): Promise<ImportReportDto> {
    this.authz.require(user, 'ledger.import');
    if (!file) throw new ApiProblem(ApiErrorCode.RequestInvalid, 'send the ledger as the multipart/form-data field file', [{ field: 'file', message: 'file is required' }]);
    return this.imports.dryRun(file);
  }
}
