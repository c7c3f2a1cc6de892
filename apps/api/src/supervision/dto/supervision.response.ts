import { ApiProperty } from '@nestjs/swagger';

export class StuckReasonDto {
  @ApiProperty({ enum: ['overdue', 'idle', 'at_risk'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The red step (overdue); null for idle and at_risk' }) step!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The red step's department (overdue)" }) department!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'overdue: working days after the last day of the limit; idle: working days since the last progress; at_risk: working days the forecast runs past the hard deadline',
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

export class StuckProjectDto {
  @ApiProperty({ example: '2022-330602-39-03-000101' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['standard', 'bonded_zone'] }) track!: string;
  @ApiProperty() district!: string;
  @ApiProperty() stage!: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: string;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) light!: string;
  @ApiProperty() lastProgressAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Earliest finish of the remaining work' }) forecastFinishOn!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Working days to the tightest hard deadline (negative: late)' }) slackWorkingDays!: number | null;
  @ApiProperty({ description: 'Escalated (督办) and the escalated step has not moved since' }) underSupervision!: boolean;
  @ApiProperty({ nullable: true, type: SupervisionInfoDto }) supervision!: SupervisionInfoDto | null;
  @ApiProperty({ type: [StuckReasonDto], description: 'overdue (one per red step, earliest first), then at_risk, then idle' }) reasons!: StuckReasonDto[];
}

export class StuckListDto {
  @ApiProperty({ type: [StuckProjectDto] }) items!: StuckProjectDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Day the working days were counted to' }) asOf!: string;
  @ApiProperty({ description: 'Idle threshold used, working days' }) idleWorkingDays!: number;
}

export class LightStageCountDto {
  @ApiProperty() stage!: string;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) light!: string;
  @ApiProperty() projects!: number;
}

export class DepartmentCountDto {
  @ApiProperty() department!: string;
  @ApiProperty({ description: 'Open steps (ready, in review, supplement requested) of this department' }) openSteps!: number;
  @ApiProperty({ description: 'Projects with at least one of them' }) projects!: number;
  @ApiProperty({ description: 'Open steps whose clock is green' }) green!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() red!: number;
  @ApiProperty({ description: 'Open steps whose clock has not started (ready: waiting for the submission)' }) noClock!: number;
}

export class DistrictCountDto {
  @ApiProperty() district!: string;
  @ApiProperty() projects!: number;
  @ApiProperty() green!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() red!: number;
  @ApiProperty({ description: 'Projects of the district that are stuck' }) stuck!: number;
}

export class StuckTotalsDto {
  @ApiProperty({ description: 'Stuck projects (each once)' }) total!: number;
  @ApiProperty({ description: 'With a red step' }) overdue!: number;
  @ApiProperty() idle!: number;
  @ApiProperty() atRisk!: number;
}

export class SupervisionSummaryDto {
  @ApiProperty({ description: 'Running projects matching the filters' }) projects!: number;
  @ApiProperty({ type: [LightStageCountDto], description: 'Projects by stage × light (only the combinations that occur)' }) byLightStage!: LightStageCountDto[];
  @ApiProperty({ type: [DepartmentCountDto], description: 'Open steps per department by the light of their clock' }) byDepartment!: DepartmentCountDto[];
  @ApiProperty({ type: [DistrictCountDto] }) byDistrict!: DistrictCountDto[];
  @ApiProperty({ type: StuckTotalsDto }) stuck!: StuckTotalsDto;
  @ApiProperty() asOf!: string;
  @ApiProperty() idleWorkingDays!: number;
}
