import { CalendarYearEntity } from './calendar-year.entity.js';
import { IdempotencyRecordEntity } from './idempotency-record.entity.js';
import { NotificationEntity } from './notification.entity.js';
import { ProjectStepEntity } from './project-step.entity.js';
import { ProjectEntity } from './project.entity.js';
import { PublishedTrackEntity } from './published-track.entity.js';
import { TimelineEntryEntity } from './timeline-entry.entity.js';

export type { NotificationChannel, NotificationState } from './notification.entity.js';
export { CalendarYearEntity, IdempotencyRecordEntity, NotificationEntity, ProjectEntity, ProjectStepEntity, PublishedTrackEntity, TimelineEntryEntity };

/** Every entity, for the data source. */
export const ENTITIES = [ProjectEntity, ProjectStepEntity, TimelineEntryEntity, IdempotencyRecordEntity, NotificationEntity, CalendarYearEntity, PublishedTrackEntity];
