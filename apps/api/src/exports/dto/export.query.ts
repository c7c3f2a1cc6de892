import { ApiPropertyOptional, IntersectionType, OmitType, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ListProjectsQueryDto } from '../../projects/dto/list-projects.query.js';
import { SupervisionFilterDto } from '../../supervision/dto/supervision.query.js';

const FORMATS = ['xlsx', 'csv'] as const;
const LANGS = ['zh', 'en'] as const;
const ENCODINGS = ['utf-8', 'gb18030'] as const;

/** The language of an export's headers and words: Chinese by default. */
export class ExportLangDto {
  @ApiPropertyOptional({ enum: LANGS, default: 'zh', description: 'Headers and words in Chinese (default) or English' })
  @IsOptional()
  @IsIn(LANGS, { message: `lang must be one of: ${LANGS.join(', ')}` })
  lang?: (typeof LANGS)[number];
}

/** How a table is exported: XLSX (default) or CSV, and the CSV's encoding. */
export class ExportFormatDto extends ExportLangDto {
  @ApiPropertyOptional({ enum: FORMATS, default: 'xlsx', description: 'xlsx (lights as cell colours, dates as Excel dates, frozen header) or csv' })
  @IsOptional()
  @IsIn(FORMATS, { message: `format must be one of: ${FORMATS.join(', ')}` })
  format?: (typeof FORMATS)[number];

  @ApiPropertyOptional({
    enum: ENCODINGS,
    default: 'utf-8',
    description: 'CSV only (ignored for xlsx): UTF-8 with a byte-order mark (Excel opens it as UTF-8), or GB18030 without one (Excel in China reads it by default)',
  })
  @IsOptional()
  @IsIn(ENCODINGS, { message: `encoding must be one of: ${ENCODINGS.join(', ')}` })
  encoding?: (typeof ENCODINGS)[number];
}

/** Query of `GET /projects/export`: the filters of `GET /projects` (no paging: every matching project) and the format. */
export class ExportProjectsQueryDto extends IntersectionType(OmitType(ListProjectsQueryDto, ['page', 'pageSize', 'view'] as const), ExportFormatDto) {}

/** Query of `GET /supervision/stuck/export` and `/supervision/summary/export`: the filters of the JSON views and the format. */
export class ExportSupervisionQueryDto extends IntersectionType(SupervisionFilterDto, ExportFormatDto) {}

/** Query of `GET /supervision/weekly-report`: the day it is counted to (default today), the idle threshold, the language. */
export class WeeklyReportQueryDto extends IntersectionType(PickType(SupervisionFilterDto, ['asOf', 'idleWorkingDays'] as const), ExportLangDto) {}
