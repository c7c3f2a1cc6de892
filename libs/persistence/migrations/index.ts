import { InitialSchema1764400000000 } from './1764400000000-initial-schema.js';
import { CalendarYears1764600000000 } from './1764600000000-calendar-years.js';

/** Every migration, oldest first. Add new ones at the end; never edit a released one. */
export const MIGRATIONS = [InitialSchema1764400000000, CalendarYears1764600000000];
