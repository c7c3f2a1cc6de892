import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { queryKeys } from '../../api/query-keys';

/** The largest page the timeline endpoint serves (apps/api/src/common/pagination.dto.ts). */
const TIMELINE_PAGE_SIZE = 200;
/** Pages read at most: 2,000 entries is years of a busy project; older ones are left out (and said so). */
export const TIMELINE_MAX_PAGES = 10;

/** A project's audit trail as the page shows it: the entries read (in `seq` order) and how many there are in all. */
export interface TimelineData {
  items: Schemas['TimelineEntryDto'][];
  total: number;
}

/** GET /api/v1/projects/{code}: the live project with its steps, under `['project', code]` (refreshed by the live stream). */
export function useProject(code: string) {
  return useQuery({
    queryKey: queryKeys.project(code),
    queryFn: () => unwrap(api.GET('/api/v1/projects/{code}', { params: { path: { code } } })),
  });
}

/**
 * GET /api/v1/projects/{code}/timeline, every page (the newest {@link TIMELINE_MAX_PAGES} pages of 200), under
 * `['timeline', code]` so the live stream's invalidation of the project refreshes it.
 */
export function useTimeline(code: string) {
  return useQuery({
    queryKey: queryKeys.timeline(code),
    queryFn: async (): Promise<TimelineData> => {
      const page = (n: number) =>
        unwrap(api.GET('/api/v1/projects/{code}/timeline', { params: { path: { code }, query: { page: n, pageSize: TIMELINE_PAGE_SIZE } } }));
      const first = await page(1);
      const last = Math.ceil(first.total / TIMELINE_PAGE_SIZE);
      const from = Math.max(1, last - TIMELINE_MAX_PAGES + 1);
      const wanted = Array.from({ length: Math.max(last - from + 1, 0) }, (_, i) => from + i);
      const pages = await Promise.all(wanted.map((n) => (n === 1 ? first : page(n))));
      return { items: (pages.length > 0 ? pages : [first]).flatMap((p) => p.items), total: first.total };
    },
  });
}
