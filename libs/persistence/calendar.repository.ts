import type { DataSource } from 'typeorm';
import { CalendarError, CalendarErrorCode, validateYearCalendar, WorkingDayCalendar, type YearCalendar } from '../calendar/index.js';
import type { Actor } from '../domain/index.js';

/** A year loaded by an administrator: the notice's data plus who loaded it and when. Never provisional. */
export interface StoredYearCalendar extends YearCalendar {
  readonly provisional: false;
  /** The loading actor's id (the bearer token's sub). */
  readonly loadedBy: string;
  readonly loadedAt: Date;
}

interface CalendarYearRow {
  year: number;
  holidays: string[];
  make_up_workdays: string[];
  source: string;
  loaded_by: string;
  loaded_at: Date;
}

// Dates leave PostgreSQL as YYYY-MM-DD text whatever the session's DateStyle, in ascending order.
const SELECT_YEARS = `
  SELECT year,
         ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(holidays) AS d ORDER BY d) AS holidays,
         ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(make_up_workdays) AS d ORDER BY d) AS make_up_workdays,
         source, loaded_by, loaded_at
    FROM calendar_years`;

function fromRow(row: CalendarYearRow): StoredYearCalendar {
  return Object.freeze({
    year: row.year,
    provisional: false,
    holidays: Object.freeze([...row.holidays]),
    makeUpWorkdays: Object.freeze([...row.make_up_workdays]),
    source: row.source,
    loadedBy: row.loaded_by,
    loadedAt: row.loaded_at,
  });
}

/**
 * Per-year calendar overrides in PostgreSQL (`calendar_years`): the State Council holiday notices an
 * administrator loaded with `PUT /calendar/{year}`. A stored year replaces the built-in notice of that year
 * (libs/calendar `OFFICIAL_YEARS`, 2022–2026) or the provisional year computed from the national holiday rules
 * (全国年节及纪念日放假办法, 2024 revision). Dates are Asia/Shanghai civil dates `YYYY-MM-DD`.
 */
export class CalendarRepository {
  constructor(private readonly ds: DataSource) {}

  /** Every stored year, ascending, dates sorted. */
  async overrides(): Promise<StoredYearCalendar[]> {
    const rows: CalendarYearRow[] = await this.ds.query(`${SELECT_YEARS} ORDER BY year`);
    return rows.map(fromRow);
  }

  /** The stored year `year`, or null when none was loaded. */
  async find(year: number): Promise<StoredYearCalendar | null> {
    const rows: CalendarYearRow[] = await this.ds.query(`${SELECT_YEARS} WHERE year = $1`, [year]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * Stores a year's notice, replacing any earlier load of that year (upsert; `loaded_at` = now).
   * The input is validated again (libs/calendar `validateYearCalendar`: year in 1949–2199, dates inside the
   * year, no date both holiday and make-up day, make-up days on weekends, non-empty source), so nothing
   * invalid is ever stored; build it with `fromNotice`.
   * @param yearCalendar the notice's data; must not be provisional (a provisional year is computed, not stored)
   * @param actor who loads it; its `id` is recorded as `loaded_by`
   * @returns the stored year
   * @throws CalendarError `CALENDAR.INVALID_NOTICE` naming the offending field; nothing is stored then
   */
  async save(yearCalendar: YearCalendar, actor: Pick<Actor, 'id'>): Promise<StoredYearCalendar> {
    if (yearCalendar.provisional) {
      throw new CalendarError(CalendarErrorCode.InvalidNotice, 'provisional', 'provisional: a stored year is a loaded notice, never provisional');
    }
    const year = validateYearCalendar(yearCalendar);
    await this.ds.query(
      `INSERT INTO calendar_years AS t (year, holidays, make_up_workdays, source, loaded_by, loaded_at)
       VALUES ($1, $2::date[], $3::date[], $4, $5, now())
       ON CONFLICT (year) DO UPDATE SET
         holidays = EXCLUDED.holidays, make_up_workdays = EXCLUDED.make_up_workdays, source = EXCLUDED.source,
         loaded_by = EXCLUDED.loaded_by, loaded_at = EXCLUDED.loaded_at`,
      [year.year, [...year.holidays], [...year.makeUpWorkdays], year.source, actor.id],
    );
    const stored = await this.find(year.year);
    if (!stored) throw new Error(`calendar year ${year.year} vanished right after it was stored`);
    return stored;
  }
}

/** The calendar {@link loadCalendar} built last, with the stored overrides (as JSON) it was built from. */
let lastBuilt: { key: string; calendar: WorkingDayCalendar } | undefined;

/**
 * The working-day calendar in force: the built-in State Council notices 2022–2026 (libs/calendar
 * `OFFICIAL_YEARS`), each year replaced or added by a stored override (`calendar_years`); every other year is
 * provisional (weekends plus the statutory holidays and days in lieu of 全国年节及纪念日放假办法 as revised in
 * 2024, no make-up working days), as `WorkingDayCalendar` computes it.
 *
 * Reads the overrides on every call, so every API replica and worker sees a load at once; the calendar built from
 * them is reused while they are the same (it is immutable, and its per-year indexes are what makes deadline arithmetic
 * cheap, so building one per activity cost more than the arithmetic). Used by the API (`GET /calendar/*`) and by the
 * workflow's activities that compute deadlines — never by workflow code, which gets deadlines through an activity so
 * replay does not depend on a later calendar.
 * @param repo where the overrides come from (a `CalendarRepository`, or a fake in tests)
 * @returns an immutable calendar of Asia/Shanghai civil dates
 * @throws CalendarError `CALENDAR.INVALID_NOTICE` if a stored year is invalid (cannot happen through `save`);
 *   the driver's error when PostgreSQL cannot be reached
 */
export async function loadCalendar(repo: Pick<CalendarRepository, 'overrides'>): Promise<WorkingDayCalendar> {
  const overrides = await repo.overrides();
  const key = JSON.stringify(overrides);
  if (lastBuilt?.key !== key) lastBuilt = { key, calendar: WorkingDayCalendar.official(overrides) };
  return lastBuilt.calendar;
}
