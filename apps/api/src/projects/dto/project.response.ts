import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/* Response shapes of the projects API (DESIGN.md §5). Instants are ISO 8601 with +08:00, dates YYYY-MM-DD. */

export class TimeLimitDto {
  @ApiProperty({ example: 20 }) value!: number;
  @ApiProperty({ enum: ['working_days', 'calendar_days'] }) unit!: string;
}

export class ClockStopDto {
  @ApiProperty() stoppedAt!: string;
  @ApiProperty({ nullable: true, type: String }) resumedAt!: string | null;
  @ApiProperty({ enum: ['supplement_requested', 'project_suspended'] }) reason!: string;
}

export class LedgerDto {
  @ApiProperty({ description: 'Day (Asia/Shanghai) the numbers are for: today, or the decision day' }) asOf!: string;
  @ApiProperty({ description: 'Days used, in the limit unit' }) usedDays!: number;
  @ApiProperty() usedWorkingDays!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Working days left up to the deadline (null while a calendar-day clock is stopped)' })
  remainingWorkingDays!: number | null;
  @ApiProperty({ description: 'Days excluded by supplement requests and suspensions' }) clockStoppedDays!: number;
  @ApiProperty() overdueWorkingDays!: number;
}

export class StepDto {
  @ApiProperty({ example: 'land_title' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() nameZh!: string;
  @ApiProperty() stage!: string;
  @ApiProperty({ example: 'natural_resources' }) department!: string;
  @ApiProperty({ enum: ['blocked', 'ready', 'in_review', 'supplement_requested', 'approved', 'waived', 'rejected'] }) state!: string;
  @ApiProperty({ type: [String] }) dependsOn!: string[];
  @ApiProperty({ type: TimeLimitDto }) limit!: TimeLimitDto;
  @ApiProperty({ description: 'Law and article (or published list) the limit follows' }) limitSource!: string;
  @ApiProperty({ enum: ['high', 'medium', 'low'] }) limitConfidence!: string;
  @ApiProperty({ nullable: true, type: String }) assignee!: string | null;
  @ApiProperty({ nullable: true, type: String }) readyAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Acceptance (受理) instant' }) acceptedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Last day of the time limit (Asia/Shanghai)' }) dueOn!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Deadline: end of dueOn, 24:00 Asia/Shanghai' }) dueAt!: string | null;
  @ApiProperty({ description: 'True when the deadline falls in a year without a published holiday notice' }) provisional!: boolean;
  @ApiProperty({ nullable: true, enum: ['green', 'yellow', 'red'], description: 'Light of an open clock' }) light!: string | null;
  @ApiProperty({ nullable: true, type: LedgerDto }) ledger!: LedgerDto | null;
  @ApiProperty({ nullable: true, type: String }) actor!: string | null;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ nullable: true, type: String }) waiverDueOn!: string | null;
  @ApiProperty({ type: [ClockStopDto] }) clockStops!: ClockStopDto[];
  @ApiProperty({ type: [String], description: 'Actions the step allows now' }) availableActions!: string[];
  @ApiProperty() updatedAt!: string;
}

export class ProjectDeadlineDto {
  @ApiProperty({ example: 'groundbreaking_promise' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() nameZh!: string;
  @ApiProperty({ nullable: true, type: TimeLimitDto }) limit!: TimeLimitDto | null;
  @ApiProperty({ nullable: true, type: String }) startedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) dueOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) dueAt!: string | null;
  @ApiProperty() provisional!: boolean;
  @ApiProperty({ nullable: true, enum: ['green', 'yellow', 'red'] }) light!: string | null;
  @ApiProperty({ nullable: true, type: String }) endedOn!: string | null;
  @ApiProperty({ nullable: true, type: Number }) calendarDays!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'excellent (≤ 30 days), good (≤ 60), on_time (≤ 90), overdue' }) grade!: string | null;
}

export class ForecastDeadlineDto {
  @ApiProperty({ example: 'year_end' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Hard deadline' }) dueOn!: string;
  @ApiProperty({ description: 'Earliest day the work it waits for can be done, at the limits' }) forecastOn!: string;
  @ApiProperty({ description: 'Working days to spare; negative when late' }) slackWorkingDays!: number;
  @ApiProperty() atRisk!: boolean;
}

export class ForecastDto {
  @ApiProperty({ nullable: true, type: String, description: 'Earliest finish of the remaining work (critical path at the limits)' }) finishOn!: string | null;
  @ApiProperty() atRisk!: boolean;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: Number }) slackWorkingDays!: number | null;
  @ApiProperty({ type: [ForecastDeadlineDto] }) deadlines!: ForecastDeadlineDto[];
  @ApiProperty() computedAt!: string;
}

export class SupervisionDto {
  @ApiProperty({ nullable: true, type: String }) step!: string | null;
  @ApiProperty({ nullable: true, type: String }) department!: string | null;
  @ApiProperty() since!: string;
  @ApiProperty() by!: string;
  @ApiProperty() comment!: string;
}

export class ProjectDto {
  @ApiProperty({ example: '2022-330602-39-03-000101' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['standard', 'bonded_zone'] }) track!: string;
  @ApiProperty({ example: 'standard@1', description: 'Pinned track definition' }) definition!: string;
  @ApiProperty() district!: string;
  @ApiProperty({ nullable: true, type: String }) investor!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Yuan, decimal string' }) investmentYuan!: string | null;
  @ApiProperty({ example: '2022-03-05' }) signedAt!: string;
  @ApiProperty() registeredAt!: string;
  @ApiProperty() registeredBy!: string;
  @ApiProperty() stage!: string;
  @ApiProperty() stageName!: string;
  @ApiProperty() stageNameZh!: string;
  @ApiProperty({ enum: ['active', 'suspended', 'completed', 'cancelled'] }) status!: string;
  @ApiProperty({ enum: ['green', 'yellow', 'red'], description: 'Worst light of the open clocks' }) light!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Earliest deadline among the open clocks' }) nextDeadline!: string | null;
  @ApiProperty({ type: [ProjectDeadlineDto] }) projectDeadlines!: ProjectDeadlineDto[];
  @ApiProperty({ description: 'The forecast does not fit a hard deadline' }) atRisk!: boolean;
  @ApiProperty({ nullable: true, type: ForecastDto }) forecast!: ForecastDto | null;
  @ApiProperty({ description: 'Escalated (督办) and the escalated step has not moved since' }) underSupervision!: boolean;
  @ApiProperty({ nullable: true, type: SupervisionDto }) supervision!: SupervisionDto | null;
  @ApiProperty({ description: 'Steps whose light is red' }) overdueSteps!: number;
  @ApiProperty({ description: 'Increases with every change' }) version!: number;
  @ApiProperty() lastProgressAt!: string;
  @ApiProperty({ nullable: true, type: String }) suspendedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ type: [StepDto] }) steps!: StepDto[];
}

export class ProjectListDto {
  @ApiProperty({ type: [ProjectDto] }) items!: ProjectDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class TimelineEntryDto {
  @ApiProperty() seq!: number;
  @ApiProperty() at!: string;
  @ApiProperty({ example: 'step.approved' }) type!: string;
  @ApiProperty({ nullable: true, type: String }) step!: string | null;
  @ApiProperty({ nullable: true, type: String }) actor!: string | null;
  @ApiProperty({ nullable: true, type: String }) actorDepartment!: string | null;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ type: Object }) data!: Record<string, unknown>;
}

export class TimelineListDto {
  @ApiProperty({ type: [TimelineEntryDto] }) items!: TimelineEntryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ActionResultDto {
  @ApiProperty({ type: ProjectDto }) project!: ProjectDto;
  @ApiPropertyOptional({ type: StepDto, description: 'The step acted on (step actions only)' }) step?: StepDto;
  @ApiProperty({ type: [TimelineEntryDto], description: 'Timeline entries the action produced' }) entries!: TimelineEntryDto[];
}

export class TaskDto {
  @ApiProperty() projectCode!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty() projectStage!: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) projectStatus!: string;
  @ApiProperty({ enum: ['department', 'applicant_submission', 'applicant_supplement'], description: 'Whose move it is' }) waitingOn!: string;
  @ApiProperty({ type: StepDto }) step!: StepDto;
}

export class TaskListDto {
  @ApiProperty({ type: [TaskDto] }) items!: TaskDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
