import dayjs from 'dayjs';
import { ZONE } from '../format';

/**
 * The day a deadline instant falls on for people: the API gives a deadline as the end of its last day (24:00
 * Asia/Shanghai, i.e. 00:00 of the next day, DESIGN.md §5), so the day shown is the one the instant closes.
 * @param iso an instant with offset, e.g. `2025-10-14T00:00:00+08:00`
 * @returns `YYYY-MM-DD` in Asia/Shanghai (here `2025-10-13`), or '—' when absent
 */
export function deadlineDay(iso: string | null | undefined): string {
  return iso ? dayjs(iso).subtract(1, 'millisecond').tz(ZONE).format('YYYY-MM-DD') : '—';
}

/** Today in Asia/Shanghai as `YYYY-MM-DD`, whatever the browser's zone. */
export function todayInShanghai(now: Date = new Date()): string {
  return dayjs(now).tz(ZONE).format('YYYY-MM-DD');
}
