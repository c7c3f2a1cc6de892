import { CalendarYearEntity } from './calendar-year.entity.js';
import { IdempotencyRecordEntity } from './idempotency-record.entity.js';
import { ProjectStepEntity } from './project-step.entity.js';
import { ProjectEntity } from './project.entity.js';
import { TimelineEntryEntity } from './timeline-entry.entity.js';

export { CalendarYearEntity, IdempotencyRecordEntity, ProjectEntity, ProjectStepEntity, TimelineEntryEntity };

/** Every entity, for the data source. */
export const ENTITIES = [ProjectEntity, ProjectStepEntity, TimelineEntryEntity, IdempotencyRecordEntity, CalendarYearEntity];
