import { InitialSchema1764400000000 } from './1764400000000-initial-schema.js';
import { Notifications1764500000000 } from './1764500000000-notifications.js';
import { CalendarYears1764600000000 } from './1764600000000-calendar-years.js';
import { StepClocks1764700000000 } from './1764700000000-step-clocks.js';
import { Supervision1764800000000 } from './1764800000000-supervision.js';
import { StatutoryFidelity1764900000000 } from './1764900000000-statutory-fidelity.js';
import { SeedRuns1765050000000 } from './1765050000000-seed-runs.js';
import { StuckKeys1765130000000 } from './1765130000000-stuck-keys.js';
import { SupervisionCounts1765140000000 } from './1765140000000-supervision-counts.js';
import { DeskOrder1765150000000 } from './1765150000000-desk-order.js';
import { DueRangeIndex1765160000000 } from './1765160000000-due-range-index.js';
import { NotificationChannelKinds1765171000000 } from './1765171000000-notification-channel-kinds.js';
import { InboundEvents1765190000000 } from './1765190000000-inbound-events.js';
import { Imports1765200000000 } from './1765200000000-imports.js';
import { PublishedTracks1765210000000 } from './1765210000000-published-tracks.js';
import { OneImportInFlightPerFile1765220000000 } from './1765220000000-one-import-in-flight-per-file.js';
import { IdempotentReplayAsSent1765230000000 } from './1765230000000-idempotent-replay-as-sent.js';
import { OpenDueDays1765240000000 } from './1765240000000-open-due-days.js';
import { DeskCounts1765250000000 } from './1765250000000-desk-counts.js';
import { DueDeskIndex1765260000000 } from './1765260000000-due-desk-index.js';
import { ProjectsRegisteredOrder1765270000000 } from './1765270000000-projects-registered-order.js';
import { IdleCountIndex1765280000000 } from './1765280000000-idle-count-index.js';
import { SupervisionDays1765290000000 } from './1765290000000-supervision-days.js';
import { DatedStuckIndex1765300000000 } from './1765300000000-dated-stuck-index.js';

/** Every migration, oldest first. Add new ones at the end; never edit a released one. */
export const MIGRATIONS = [InitialSchema1764400000000, Notifications1764500000000, CalendarYears1764600000000, StepClocks1764700000000, Supervision1764800000000, StatutoryFidelity1764900000000, SeedRuns1765050000000, StuckKeys1765130000000, SupervisionCounts1765140000000, DeskOrder1765150000000, DueRangeIndex1765160000000, NotificationChannelKinds1765171000000, InboundEvents1765190000000, Imports1765200000000, PublishedTracks1765210000000, OneImportInFlightPerFile1765220000000, IdempotentReplayAsSent1765230000000, OpenDueDays1765240000000, DeskCounts1765250000000, DueDeskIndex1765260000000, ProjectsRegisteredOrder1765270000000, IdleCountIndex1765280000000, SupervisionDays1765290000000, DatedStuckIndex1765300000000];
