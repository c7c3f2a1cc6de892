import { ApiProperty } from '@nestjs/swagger';
import { RUNNING_STATUSES, STATUTORY_OPEN_STATES, STUCK_KINDS } from '../../../../../libs/domain/index.js';
import { TRACK_KEY_PROPERTY } from '../../tracks/track-key.js';

export class StuckReasonDto {
  @ApiProperty({
    enum: [...STUCK_KINDS],
    description: 'statutory_overdue: past the statutory limit (超法定时限), graver than overdue (past the published limit 承诺时限, red)',
  })
  kind!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The step past its limit (statutory_overdue, overdue); null for idle and at_risk' }) step!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The step's department (statutory_overdue, overdue)" }) department!: string | null;
  @ApiProperty({
    nullable: true,
    type: 'integer',
    description:
      'statutory_overdue: working days after the last day of the statutory limit; overdue: working days after the last day of the published limit; ' +
      'idle: working days since the last progress; at_risk: working days the forecast runs past the hard deadline',
  })
  workingDays!: number | null;
  @ApiProperty() detail!: string;
}

export class SupervisionInfoDto {
  @ApiProperty({ nullable: true, type: String, description: 'The escalated step' }) step!: string | null;
  @ApiProperty({ nullable: true, type: String }) department!: string | null;
  @ApiProperty({ description: 'When the supervisor escalated (督办)' }) since!: string;
  @ApiProperty() by!: string;
  @ApiProperty() comment!: string;
}

export class StatutoryOverdueStepDto {
  @ApiProperty({ example: 'eia_approval' }) step!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'ecology_environment' }) department!: string;
  @ApiProperty({ enum: [...STATUTORY_OPEN_STATES] }) state!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Last day of the statutory limit (法定时限), Asia/Shanghai; null while the clock is stopped' })
  statutoryDueOn!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'End of statutoryDueOn, 24:00 Asia/Shanghai' }) statutoryDueAt!: string | null;
}

export class StuckProjectDto {
  @ApiProperty({ example: '2022-330602-39-03-000101' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty(TRACK_KEY_PROPERTY) track!: string;
  @ApiProperty() district!: string;
  @ApiProperty() stage!: string;
  @ApiProperty({ enum: [...RUNNING_STATUSES] }) status!: string;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) light!: string;
  @ApiProperty() lastProgressAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Earliest finish of the remaining work' }) forecastFinishOn!: string | null;
  @ApiProperty({ nullable: true, type: 'integer', description: 'Working days to the tightest hard deadline (negative: late)' }) slackWorkingDays!: number | null;
  @ApiProperty({ description: 'Escalated (督办) and the escalated step has not moved since' }) underSupervision!: boolean;
  @ApiProperty({ nullable: true, type: SupervisionInfoDto }) supervision!: SupervisionInfoDto | null;
  @ApiProperty({
    type: [StatutoryOverdueStepDto],
    description: 'Open steps past their statutory limit (超法定时限), earliest statutory deadline first; shown apart from the red steps',
  })
  statutoryOverdueSteps!: StatutoryOverdueStepDto[];
  @ApiProperty({
    type: [StuckReasonDto],
    description: 'statutory_overdue (one per step past its statutory limit), then overdue (one per red step, earliest first), then at_risk, then idle',
  })
  reasons!: StuckReasonDto[];
}

export class StuckListDto {
  @ApiProperty({ type: [StuckProjectDto] }) items!: StuckProjectDto[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) pageSize!: number;
  @ApiProperty({ description: 'Day the working days were counted to' }) asOf!: string;
  @ApiProperty({ type: 'integer', description: 'Idle threshold used, working days' }) idleWorkingDays!: number;
  @ApiProperty({ type: 'string', nullable: true, description: 'Cursor of the next page (query cursor), null on the last page' }) nextCursor!: string | null;
}

export class LightStageCountDto {
  @ApiProperty() stage!: string;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) light!: string;
  @ApiProperty({ type: 'integer' }) projects!: number;
}

export class DepartmentCountDto {
  @ApiProperty() department!: string;
  @ApiProperty({ type: 'integer', description: 'Open steps (ready, in review, supplement requested) of this department' }) openSteps!: number;
  @ApiProperty({ type: 'integer', description: 'Projects with at least one of them' }) projects!: number;
  @ApiProperty({ type: 'integer', description: 'Open steps whose clock is green' }) green!: number;
  @ApiProperty({ type: 'integer' }) yellow!: number;
  @ApiProperty({ type: 'integer' }) red!: number;
  @ApiProperty({ type: 'integer', description: 'Open steps whose clock has not started (ready: waiting for the submission)' }) noClock!: number;
}

export class DistrictCountDto {
  @ApiProperty() district!: string;
  @ApiProperty({ type: 'integer' }) projects!: number;
  @ApiProperty({ type: 'integer' }) green!: number;
  @ApiProperty({ type: 'integer' }) yellow!: number;
  @ApiProperty({ type: 'integer' }) red!: number;
  @ApiProperty({ type: 'integer', description: 'Projects of the district that are stuck' }) stuck!: number;
}

export class StuckTotalsDto {
  @ApiProperty({ type: 'integer', description: 'Stuck projects (each once)' }) total!: number;
  @ApiProperty({ type: 'integer', description: 'With an open step past its statutory limit (超法定时限)' }) statutoryOverdue!: number;
  @ApiProperty({ type: 'integer', description: 'With a red step' }) overdue!: number;
  @ApiProperty({ type: 'integer' }) idle!: number;
  @ApiProperty({ type: 'integer' }) atRisk!: number;
}

export class StatutoryOverdueDepartmentDto {
  @ApiProperty({ example: 'ecology_environment' }) department!: string;
  @ApiProperty({ type: 'integer', description: 'Open steps of the department past their statutory limit' }) steps!: number;
  @ApiProperty({ type: 'integer', description: 'Projects holding them' }) projects!: number;
}

export class StatutoryOverdueCountsDto {
  @ApiProperty({ type: 'integer', description: 'Projects with an open step past its statutory limit (超法定时限)' }) projects!: number;
  @ApiProperty({ type: 'integer', description: 'Open steps past their statutory limit' }) steps!: number;
  @ApiProperty({ type: [StatutoryOverdueDepartmentDto], description: 'Per department (only departments that have any)' }) byDepartment!: StatutoryOverdueDepartmentDto[];
}

export class GovernmentTimePromiseCountDto {
  @ApiProperty({ example: 'pre_groundbreaking' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '开工前审批最多100天' }) nameZh!: string;
  @ApiProperty({ type: 'integer', description: 'Projects the promise applies to (government time computed)' }) projects!: number;
  @ApiProperty({ type: 'integer', description: 'Of them, the projects whose government time exceeded it' }) exceeded!: number;
}

export class GovernmentTimeSummaryDto {
  @ApiProperty({ type: 'integer', description: 'Projects whose government time (政府审批用时) has been computed' }) projects!: number;
  @ApiProperty({ type: 'integer', description: 'Sum of their government working days (per project, a day counts once however many agencies held files)' })
  workingDaysTotal!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Average working days per project, rounded to one decimal; null without projects' })
  workingDaysAverage!: number | null;
  @ApiProperty({ type: [GovernmentTimePromiseCountDto], description: "Per promise of the district (e.g. 开工前最多100天): projects and how many exceeded it" })
  byPromise!: GovernmentTimePromiseCountDto[];
}

export class SupervisionSummaryDto {
  @ApiProperty({ type: 'integer', description: 'Running projects matching the filters' }) projects!: number;
  @ApiProperty({ type: [LightStageCountDto], description: 'Projects by stage × light (only the combinations that occur)' }) byLightStage!: LightStageCountDto[];
  @ApiProperty({ type: [DepartmentCountDto], description: 'Open steps per department by the light of their clock' }) byDepartment!: DepartmentCountDto[];
  @ApiProperty({ type: [DistrictCountDto] }) byDistrict!: DistrictCountDto[];
  @ApiProperty({ type: StuckTotalsDto }) stuck!: StuckTotalsDto;
  @ApiProperty({ type: StatutoryOverdueCountsDto, description: 'Steps past the statutory limit (法定时限), counted apart from the red ones' })
  statutoryOverdue!: StatutoryOverdueCountsDto;
  @ApiProperty({ type: GovernmentTimeSummaryDto, description: 'Government time (政府审批用时) of the running projects matching the filters' })
  governmentTime!: GovernmentTimeSummaryDto;
  @ApiProperty() asOf!: string;
  @ApiProperty({ type: 'integer' }) idleWorkingDays!: number;
}
