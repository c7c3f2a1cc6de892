import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** Query of `POST /imports`: a dry run (the default) reports without registering. */
export class ImportQueryDto {
  @ApiPropertyOptional({
    enum: ['true'],
    default: 'true',
    description: 'true (the default): report per row what the import would do, registering nothing. Committing an import (false) is not offered yet: 400',
  })
  @IsOptional()
  @IsIn(['true'], { message: 'dryRun must be true: committing an import is not offered yet; send the file with dryRun=true (the default) for its report' })
  dryRun?: 'true';
}

/** What is wrong with a cell, or with a row when `column` is null. */
export class RowProblemDto {
  @ApiProperty({ nullable: true, type: String, description: 'The sheet (XLSX), null for a CSV', example: '台账' })
  sheet!: string | null;
  @ApiProperty({ type: 'integer', description: 'The row number as a spreadsheet shows it', example: 3 })
  row!: number;
  @ApiProperty({ nullable: true, type: String, description: 'The header as written in the file', example: '总投资（万元）' })
  column!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The cell as read', example: '1,02' })
  value!: string | null;
  @ApiProperty({ description: 'What is wrong (English)', example: "'1,02' has thousands separators out of place (groups of three: 1,020.00)" })
  problem!: string;
}

/** A registration a row would make: the body of POST /projects with its defaults. */
export class ImportedRegistrationDto {
  @ApiProperty({ example: '2022-330602-39-03-000101' }) code!: string;
  @ApiProperty({ example: '测试项目' }) name!: string;
  @ApiProperty({ example: 'standard' }) track!: string;
  @ApiProperty({ example: '越城区' }) district!: string;
  @ApiProperty({ nullable: true, type: String }) investor!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Yuan, an exact decimal string', example: '12000000' }) investmentYuan!: string | null;
  @ApiProperty({ format: 'date', example: '2022-03-05' }) signedAt!: string;
  @ApiProperty({ enum: ['filing', 'approval'] }) approvalRoute!: string;
}

/** A step's position read from the steps sheet (事项明细). */
export class StepPositionDto {
  @ApiProperty({ type: 'integer', description: 'Row of the steps sheet' }) row!: number;
  @ApiProperty({ example: 'project_filing' }) step!: string;
  @ApiProperty({ example: 'approved' }) state!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) acceptedOn!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) decidedOn!: string | null;
}

/** A field of a registered project that the file gives another value. */
export class FieldDifferenceDto {
  @ApiProperty({ example: 'investmentYuan' }) field!: string;
  @ApiProperty({ nullable: true, type: String }) registered!: string | null;
  @ApiProperty({ nullable: true, type: String }) file!: string | null;
}

/** A row of the report. */
export class RowReportDto {
  @ApiProperty({ type: 'integer', description: 'Row of the ledger sheet' }) row!: number;
  @ApiProperty({
    enum: ['create', 'matches', 'differs', 'invalid'],
    description: 'create: would register the project; matches: registered with the same values; differs: registered with other values (see differences; an import changes no registered project); invalid: see problems',
  })
  outcome!: string;
  @ApiProperty({ nullable: true, type: String }) code!: string | null;
  @ApiProperty({ nullable: true, type: ImportedRegistrationDto }) project!: ImportedRegistrationDto | null;
  @ApiProperty({ type: [StepPositionDto] }) position!: StepPositionDto[];
  @ApiProperty({ type: [FieldDifferenceDto] }) differences!: FieldDifferenceDto[];
  @ApiProperty({ type: [RowProblemDto] }) problems!: RowProblemDto[];
}

/** Counts of the rows by outcome. */
export class ImportCountsDto {
  @ApiProperty({ type: 'integer' }) rows!: number;
  @ApiProperty({ type: 'integer' }) create!: number;
  @ApiProperty({ type: 'integer' }) matches!: number;
  @ApiProperty({ type: 'integer' }) differs!: number;
  @ApiProperty({ type: 'integer' }) invalid!: number;
}

/** The report of a dry run. */
export class ImportReportDto {
  @ApiProperty({ enum: [true] }) dryRun!: true;
  @ApiProperty({ enum: ['xlsx', 'csv'] }) format!: string;
  @ApiProperty({ nullable: true, type: String, enum: ['UTF-8', 'UTF-16LE', 'UTF-16BE', 'GB18030', 'Big5'], description: 'The encoding a CSV was read in (detected), null for XLSX' })
  encoding!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The ledger sheet read (XLSX)' }) sheet!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The steps sheet read (XLSX: 事项明细), null when none' }) stepsSheet!: string | null;
  @ApiProperty({ type: 'integer', description: 'The row holding the headers (title rows above it are skipped)' }) headerRow!: number;
  @ApiProperty({ type: [String], description: 'Headers that name no ledger column (not imported)' }) ignoredColumns!: string[];
  @ApiProperty({ type: [String], description: 'Problems of the file as a whole (a required column missing, step rows of unknown projects)' }) fileProblems!: string[];
  @ApiProperty({ type: ImportCountsDto }) counts!: ImportCountsDto;
  @ApiProperty({ type: [RowReportDto] }) rows!: RowReportDto[];
}
