import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import type {
  ApprovalRoute,
  Confidence,
  DepartmentKey,
  FactKind,
  Light,
  LimitUnit,
  ProjectStatus,
  StepActionKind,
  StepState,
  StepView,
  TrackKey,
} from '../../../../../libs/domain/index.js';
import { TRACK_KEY_PROPERTY } from '../../tracks/track-key.js';

/*
 * Response shapes of the projects API (DESIGN.md §5). Instants are ISO 8601 with +08:00, dates YYYY-MM-DD. Fields
 * with a closed set of values are typed with the domain's unions; each decorator states its enum explicitly, so the
 * published schema does not depend on the TypeScript type.
 */

export class TimeLimitDto {
  @ApiProperty({ type: 'integer', example: 20 }) value!: number;
  @ApiProperty({ enum: ['working_days', 'calendar_days'] }) unit!: LimitUnit;
}

export class ClockStopDto {
  @ApiProperty() stoppedAt!: string;
  @ApiProperty({ nullable: true, type: String }) resumedAt!: string | null;
  @ApiProperty({
    enum: ['supplement_requested', 'project_suspended', 'excluded_period'],
    description: 'supplement_requested: 补正; project_suspended: 特别程序; excluded_period: a period not counted (行政许可法 Art. 45)',
  })
  reason!: StepView['clockStops'][number]['reason'];
  @ApiPropertyOptional({ type: String, example: 'auction', description: 'Excluded period only: its kind (Art. 45 kinds, or a local kind such as public_notice 公示)' })
  kind?: string;
  @ApiPropertyOptional({ type: String, example: '2026-05-06', description: 'Excluded period only: date of the written notice to the applicant (Asia/Shanghai)' }) noticeOn?: string;
}

export class LedgerDto {
  @ApiProperty({ description: 'Day (Asia/Shanghai) the numbers are for: today, or the decision day' }) asOf!: string;
  @ApiProperty({ type: 'integer', description: 'Days used, in the limit unit' }) usedDays!: number;
  @ApiProperty({ type: 'integer' }) usedWorkingDays!: number;
  @ApiProperty({ nullable: true, type: 'integer', description: 'Working days left up to the deadline (null while a calendar-day clock is stopped)' })
  remainingWorkingDays!: number | null;
  @ApiProperty({ type: 'integer', description: 'Days excluded by supplement requests and suspensions' }) clockStoppedDays!: number;
  @ApiProperty({ type: 'integer' }) overdueWorkingDays!: number;
}

export class StatutoryLimitDto {
  @ApiProperty({ type: 'integer', example: 20 }) value!: number;
  @ApiProperty({ enum: ['working_days', 'calendar_days'] }) unit!: LimitUnit;
  @ApiProperty({ description: 'Law and article the statutory limit (法定时限) follows' }) source!: string;
  @ApiProperty({ enum: ['high', 'medium', 'low'] }) confidence!: Confidence;
  @ApiProperty({ nullable: true, type: String, example: '日', description: 'The unit as the statute writes it when it leaves it open (e.g. 日): `unit` is then the district setting' })
  unitAsWritten!: string | null;
}

export class ExtensionCapDto {
  @ApiProperty({ type: 'integer', example: 10, description: 'Working days an extension (延期) may add at most' }) value!: number;
  @ApiProperty({ example: '行政许可法 Art. 42 ¶1', description: 'The rule of the cap' }) source!: string;
}

export class StepExtensionDto {
  @ApiProperty({ type: 'integer', example: 10, description: 'Working days added (延期)' }) workingDays!: number;
  @ApiProperty({ type: 'integer', description: 'The cap that applied, working days' }) cap!: number;
  @ApiProperty() capSource!: string;
  @ApiProperty({ description: 'When the extension was granted' }) at!: string;
  @ApiProperty({ description: 'The department head (or, for a joint group, the officer recording the district government approval)' }) by!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ example: '2026-05-06', description: 'Date of the written notice to the applicant (告知申请人), Asia/Shanghai' }) applicantNotifiedOn!: string;
  @ApiProperty({ nullable: true, type: String, description: "A joint group's extension: the district government's approval (document reference)" }) approvalRef!: string | null;
}

export class CertificateDto {
  @ApiProperty() name!: string;
  @ApiProperty({ example: '建筑工程施工许可证' }) nameZh!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Last day to deliver it (送达): 10 working days after the decision (行政许可法 Art. 44), Asia/Shanghai' })
  dueOn!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When it was handed over; the step is then `delivered`' }) deliveredAt!: string | null;
  @ApiProperty({ nullable: true, enum: ['delivered_on_time', 'delivered_late'] }) outcome!: string | null;
  @ApiProperty({ nullable: true, enum: ['green', 'yellow', 'red'], description: 'Light of the delivery clock while it runs' }) light!: Light | null;
}

export class AwaitedFactDto {
  @ApiProperty({ enum: ['land_price_paid'], description: 'land_price_paid: 土地出让价款缴清 (reported through POST /events)' }) kind!: FactKind;
  @ApiProperty({ example: 'land price paid in full' }) name!: string;
  @ApiProperty({ example: '土地出让价款缴清' }) nameZh!: string;
  @ApiProperty({ description: 'The project has the fact recorded' }) satisfied!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the fact happened (its occurredAt, +08:00); null while awaited' })
  at!: string | null;
}

export class StepDto {
  @ApiProperty({ example: 'land_title' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() nameZh!: string;
  @ApiProperty() stage!: string;
  @ApiProperty({ type: String, example: 'natural_resources' }) department!: DepartmentKey;
  @ApiProperty({ enum: ['blocked', 'ready', 'received', 'in_review', 'supplement_requested', 'approved', 'delivered', 'waived', 'rejected'] }) state!: StepState;
  @ApiProperty({ type: [String] }) dependsOn!: string[];
  @ApiProperty({
    type: [String],
    description:
      'While the step is blocked: the keys of its dependencies not yet satisfied — steps not yet approved, delivered or waived, sub-step groups not yet satisfied (empty otherwise, and for a step no longer required)',
  })
  blockedBy!: string[];
  @ApiPropertyOptional({
    enum: [true],
    description:
      'Present (true) when the step is no longer required (不再需要): another member of its sub-step group of mode any is done. It stays blocked, has no clock or light, and takes no action',
  })
  notRequired?: true;
  @ApiProperty({
    type: [AwaitedFactDto],
    description: 'Facts from outside the steps the step waits for by its pinned definition (e.g. the land title waits for the land price paid), recorded or not; empty for most steps',
  })
  waitsFor!: AwaitedFactDto[];
  @ApiProperty({ type: TimeLimitDto, description: "The district's published limit (承诺时限) the lights and reminders run on; the statutory one where nothing shorter is published" })
  limit!: TimeLimitDto;
  @ApiProperty({ description: 'Law and article (or published list) the limit follows' }) limitSource!: string;
  @ApiProperty({ enum: ['high', 'medium', 'low'] }) limitConfidence!: Confidence;
  @ApiProperty({ nullable: true, type: String, example: '日', description: 'The unit as the source writes it when it leaves it open: `limit.unit` is then the district setting' })
  limitUnitAsWritten!: string | null;
  @ApiProperty({ type: StatutoryLimitDto, description: 'Statutory limit (法定时限); for a jointly handled step, the joint limit of its group (Art. 42 ¶2)' })
  statutoryLimit!: StatutoryLimitDto;
  @ApiProperty({ nullable: true, type: String, description: 'Last day of the statutory limit (Asia/Shanghai); null before acceptance and while the clock is stopped' })
  statutoryDueOn!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'End of statutoryDueOn, 24:00 Asia/Shanghai' }) statutoryDueAt!: string | null;
  @ApiProperty({ description: 'The statutory limit passed while the clock was open (超法定时限): graver than a red light' }) statutoryOverdue!: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'joint_acceptance', description: 'Joint group (联合办理) whose shared limit the step counts against' }) jointGroup!: string | null;
  @ApiProperty({ type: ExtensionCapDto, description: 'The most an extension (延期) may add, working days, and its rule' }) extensionCap!: ExtensionCapDto;
  @ApiProperty({ nullable: true, type: StepExtensionDto, description: "The extension granted (for a joint group's step, the group's)" }) extension!: StepExtensionDto | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the application was received (收件)' }) receivedAt!: string | null;
  @ApiProperty({ description: 'Acceptance deemed on the day of receipt (行政许可法 Art. 32: no notice within 5 working days)' }) deemedAccepted!: boolean;
  @ApiProperty({ nullable: true, type: CertificateDto, description: 'The certificate the step issues (Art. 44), null if none' }) certificate!: CertificateDto | null;
  @ApiProperty({ nullable: true, type: 'integer', description: 'Working days the agency held the file (政府审批用时): acceptance to decision, stopped days excluded' })
  governmentWorkingDays!: number | null;
  @ApiProperty({ nullable: true, type: String }) assignee!: string | null;
  @ApiProperty({ nullable: true, type: String }) readyAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Acceptance (受理) instant' }) acceptedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Last day of the time limit (Asia/Shanghai)' }) dueOn!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Deadline: end of dueOn, 24:00 Asia/Shanghai' }) dueAt!: string | null;
  @ApiProperty({ description: 'True when the deadline falls in a year without a published holiday notice' }) provisional!: boolean;
  @ApiProperty({ nullable: true, enum: ['green', 'yellow', 'red'], description: 'Light of an open clock' }) light!: Light | null;
  @ApiProperty({ nullable: true, type: LedgerDto }) ledger!: LedgerDto | null;
  @ApiProperty({ nullable: true, type: String }) actor!: string | null;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ nullable: true, type: String }) waiverDueOn!: string | null;
  @ApiProperty({ type: [ClockStopDto] }) clockStops!: ClockStopDto[];
  @ApiProperty({ type: [String], description: 'Actions the step allows now' }) availableActions!: StepActionKind[];
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
  @ApiProperty({ nullable: true, enum: ['green', 'yellow', 'red'] }) light!: Light | null;
  @ApiProperty({ nullable: true, type: String }) endedOn!: string | null;
  @ApiProperty({ nullable: true, type: 'integer' }) calendarDays!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Once met: the 90-day promise grades excellent (≤ 30 calendar days), good (≤ 60), on_time (≤ 90) or overdue; a year-plan target on_time when met by its date, else late (year_end: missed); null while running' }) grade!: string | null;
}

export class ForecastDeadlineDto {
  @ApiProperty({ example: 'year_end' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Hard deadline' }) dueOn!: string;
  @ApiProperty({ description: 'Earliest day the work it waits for can be done, at the limits' }) forecastOn!: string;
  @ApiProperty({ type: 'integer', description: 'Working days to spare; negative when late' }) slackWorkingDays!: number;
  @ApiProperty() atRisk!: boolean;
}

export class ForecastDto {
  @ApiProperty({ nullable: true, type: String, description: 'Earliest finish of the remaining work (critical path at the limits)' }) finishOn!: string | null;
  @ApiProperty() atRisk!: boolean;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: 'integer' }) slackWorkingDays!: number | null;
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

export class ExpiryRenewalDto {
  @ApiProperty({ type: 'integer', description: 'Months added (延续)' }) months!: number;
  @ApiProperty() at!: string;
  @ApiProperty() by!: string;
  @ApiProperty() comment!: string;
}

export class ExpiryDto {
  @ApiProperty({ example: 'project_approval_validity' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '核准文件有效期（2年内开工）' }) nameZh!: string;
  @ApiProperty({ description: 'The step whose decision started it' }) step!: string;
  @ApiProperty({ description: 'Day it started (Asia/Shanghai)' }) startedOn!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Last day of validity (Asia/Shanghai), renewals included, moved off a holiday (民法典 Art. 203)' })
  dueOn!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'End of dueOn, 24:00 Asia/Shanghai' }) dueAt!: string | null;
  @ApiProperty({ nullable: true, enum: ['green', 'yellow', 'red'], description: 'Yellow from the renewal reminder on; null once ended' }) light!: Light | null;
  @ApiProperty({ description: 'Its last day passed unused (失效)' }) lapsed!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'When the validity was used (the step it waits for was approved)' }) endedAt!: string | null;
  @ApiProperty({ nullable: true, enum: ['used', 'used_after_lapse'] }) outcome!: string | null;
  @ApiProperty({ type: [ExpiryRenewalDto] }) renewals!: ExpiryRenewalDto[];
  @ApiProperty({ type: 'integer', description: 'How many renewals the rule allows' }) renewalsAllowed!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Law and article' }) source!: string | null;
}

export class ProjectFactDto {
  @ApiProperty({ enum: ['land_price_paid'], description: 'land_price_paid: 土地出让金缴清' }) kind!: FactKind;
  @ApiProperty() occurredAt!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty() by!: string;
  @ApiProperty({ nullable: true, type: String }) reference!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Yuan, decimal string' }) amountYuan!: string | null;
}

export class GovernmentTimePromiseDto {
  @ApiProperty({ example: 'pre_groundbreaking' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '开工前审批最多100天' }) nameZh!: string;
  @ApiProperty({ type: 'integer', example: 100 }) limit!: number;
  @ApiProperty({ enum: ['working_days', 'calendar_days'] }) unit!: LimitUnit;
  @ApiProperty({ nullable: true, type: String, example: '天', description: 'The unit as the promise writes it' }) unitAsWritten!: string | null;
  @ApiProperty() source!: string;
  @ApiProperty({ type: 'integer', description: 'Working days of government time over the steps the promise covers' }) usedWorkingDays!: number;
  @ApiProperty({ type: 'integer', description: 'limit − used (negative: exceeded)' }) remaining!: number;
  @ApiProperty() exceeded!: boolean;
}

/** A sub-step group of the pinned definition (子事项组): steps a dependency names together, all or any of which must pass. */
export class StepGroupDto {
  @ApiProperty({ example: 'soil_cleared', description: "The group's key, as a step's dependsOn and blockedBy name it" }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() nameZh!: string;
  @ApiProperty({ enum: ['all', 'any'], description: 'all: every member must pass (全部通过); any: one member passing is enough (任一通过)' }) mode!: 'all' | 'any';
  @ApiProperty({ type: [String], description: 'Keys of the member steps' }) steps!: string[];
}

export class GovernmentTimeDto {
  @ApiProperty({ description: 'Day the figures are for (Asia/Shanghai): today, or the project close' }) asOf!: string;
  @ApiProperty({ type: 'integer', description: 'Working days on which at least one agency held a file of the project (政府审批用时)' }) workingDays!: number;
  @ApiProperty({ type: 'integer', description: 'Sum over the steps of each step\'s working days (parallel work counted per step)' }) stepWorkingDaysTotal!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Working days per step key' }) perStep!: Record<string, number>;
  @ApiProperty({ type: [GovernmentTimePromiseDto], description: "The district's promises (e.g. 浙江 开工前最多100天)" }) promises!: GovernmentTimePromiseDto[];
}

export class ProjectDto {
  @ApiProperty({ example: '2022-330602-39-03-000101' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty(TRACK_KEY_PROPERTY) track!: TrackKey;
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
  @ApiProperty({ enum: ['active', 'suspended', 'completed', 'cancelled'] }) status!: ProjectStatus;
  @ApiProperty({ enum: ['green', 'yellow', 'red'], description: 'Worst light of the open clocks' }) light!: Light;
  @ApiProperty({ nullable: true, type: String, description: 'Earliest deadline among the open clocks' }) nextDeadline!: string | null;
  @ApiProperty({ type: [ProjectDeadlineDto] }) projectDeadlines!: ProjectDeadlineDto[];
  @ApiProperty({ description: 'The forecast does not fit a hard deadline' }) atRisk!: boolean;
  @ApiProperty({ nullable: true, type: ForecastDto }) forecast!: ForecastDto | null;
  @ApiProperty({ description: 'Escalated (督办) and the escalated step has not moved since' }) underSupervision!: boolean;
  @ApiProperty({ nullable: true, type: SupervisionDto }) supervision!: SupervisionDto | null;
  @ApiProperty({ type: 'integer', description: 'Steps whose light is red' }) overdueSteps!: number;
  @ApiProperty({ type: 'integer', description: 'Open steps past their statutory limit (超法定时限), a graver state than red' }) statutoryOverdueSteps!: number;
  @ApiProperty({ enum: ['filing', 'approval'], description: '备案 (filing) or 核准 (approval): the extension caps and expiry clocks follow it' }) approvalRoute!: ApprovalRoute;
  @ApiProperty({ type: [ExpiryDto], description: 'Validities running after decisions (expiry clocks), with their renewals' }) expiries!: ExpiryDto[];
  @ApiProperty({ type: [ProjectFactDto], description: 'Facts recorded from outside (POST /events)' }) facts!: ProjectFactDto[];
  @ApiProperty({ nullable: true, type: GovernmentTimeDto, description: 'Government time (政府审批用时); null until first computed' }) governmentTime!: GovernmentTimeDto | null;
  @ApiProperty({ type: 'integer', description: 'Increases with every change' }) version!: number;
  @ApiProperty() lastProgressAt!: string;
  @ApiProperty({ nullable: true, type: String }) suspendedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ type: [StepDto] }) steps!: StepDto[];
  @ApiPropertyOptional({ type: [StepGroupDto], description: "The pinned definition's sub-step groups; absent when it has none" }) stepGroups?: StepGroupDto[];
}

/** A project in a list: as ProjectDto, but without its steps (and sub-step groups) when the list was asked for view=basic. */
export class ProjectListItemDto extends OmitType(ProjectDto, ['steps', 'stepGroups'] as const) {
  @ApiPropertyOptional({ type: [StepDto], description: 'The steps, as GET /projects/{code} shows them; absent with view=basic' }) steps?: StepDto[];
  @ApiPropertyOptional({ type: [StepGroupDto], description: "The pinned definition's sub-step groups; absent when it has none, and with view=basic" }) stepGroups?: StepGroupDto[];
}

export class ProjectListDto {
  @ApiProperty({ type: [ProjectListItemDto] }) items!: ProjectListItemDto[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) pageSize!: number;
}

export class TimelineEntryDto {
  @ApiProperty({ type: 'integer' }) seq!: number;
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
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) pageSize!: number;
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
  @ApiProperty({ enum: ['active', 'suspended'] }) projectStatus!: ProjectStatus;
  @ApiProperty({ enum: ['department', 'department_acceptance', 'applicant_submission', 'applicant_supplement'], description: 'Whose move it is (department_acceptance: received, to be accepted or returned within 5 working days)' })
  waitingOn!: string;
  @ApiProperty({ type: StepDto }) step!: StepDto;
}

export class TaskListDto {
  @ApiProperty({ type: [TaskDto] }) items!: TaskDto[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) pageSize!: number;
}
