import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** Query of `POST /imports`: a dry run (the default) reports without registering. */
export class ImportQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'true',
    description:
      'true (the default): report per row what the import would do, registering nothing (200). false: commit — a job (202) that registers every valid row ' +
      'at its current position; poll GET /imports/{id}/progress, then read GET /imports/{id}. The same file sent again answers the job it already has (200)',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true (report only, the default) or false (commit)' })
  dryRun?: 'true' | 'false';
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
  @ApiProperty({
    example: 'investmentYuan',
    description: "A registration field, or `steps.<key>` for a step the steps sheet puts elsewhere (each side then reads `<state> <accepted day>→<decided day>`)",
  })
  field!: string;
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
  @ApiProperty({
    type: [String],
    description: "Headers the import does not read: those naming no ledger column, the ledger's computed columns (当前阶段, 项目状态, 亮灯, 当前办理事项, …: the registration and the steps sheet determine them), and a repeated header",
  })
  ignoredColumns!: string[];
  @ApiProperty({ type: [String], description: 'Problems of the file as a whole (a required column missing, step rows of unknown projects)' }) fileProblems!: string[];
  @ApiProperty({ type: ImportCountsDto }) counts!: ImportCountsDto;
  @ApiProperty({ type: [RowReportDto] }) rows!: RowReportDto[];
}

/** What committing a row did. */
export class RowResultDto {
  @ApiProperty({ type: 'integer' }) row!: number;
  @ApiProperty({ nullable: true, type: String }) code!: string | null;
  @ApiProperty({
    enum: ['registered', 'already_registered', 'invalid', 'failed'],
    description: 'registered (at its position); already_registered (the code was registered otherwise: left alone); invalid (problem gives the reasons from the report); failed (problem says which write was refused)',
  })
  result!: string;
  @ApiProperty({ type: 'integer', description: 'Step actions applied to bring the project to its position' }) actions!: number;
  @ApiProperty({ nullable: true, type: String }) problem!: string | null;
}

/** How far a job is. */
export class ImportProgressDto {
  @ApiProperty({ type: 'integer' }) rowsTotal!: number;
  @ApiProperty({ type: 'integer' }) rowsDone!: number;
}

/** A ledger import job's status and progress, without its report and results (GET /imports/{id}/progress). */
export class ImportJobProgressDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status!: string;
  @ApiProperty({ type: ImportProgressDto }) progress!: ImportProgressDto;
  @ApiProperty({ nullable: true, type: String, description: 'Why a failed job stopped' }) error!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the job last stored progress' }) updatedAt!: string;
}

/** A ledger import job (dryRun=false). */
export class ImportJobDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty({ description: 'SHA-256 of the file (hex): the same content is imported once' }) fileSha256!: string;
  @ApiProperty({ description: 'The caller who sent it' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: ImportProgressDto }) progress!: ImportProgressDto;
  @ApiProperty({ type: [RowResultDto], description: 'One per row tried so far, in row order' }) results!: RowResultDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Why a failed job stopped' }) error!: string | null;
  @ApiProperty({ type: ImportReportDto, description: 'The dry run the job works from' }) report!: ImportReportDto;
}
