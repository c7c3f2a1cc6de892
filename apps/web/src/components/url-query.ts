import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

/** Filter values as the URL holds them: one string per key, absent when unset. */
export type UrlFilters<K extends string> = Partial<Record<K, string>>;

/**
 * Reads the named filters from the page's URL query and writes them back, so a filtered list can be linked to
 * (the overview's click-through) and survives a reload or the back button.
 * @param keys the query parameters the page understands; others in the URL are left alone
 * @returns the current values (empty strings dropped) and `set`, which merges a change into the URL (undefined
 *   or '' removes a key) and, unless the change is only the page, goes back to page 1
 */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const serialized = params.toString();
  const values = useMemo(() => {
    const out: UrlFilters<K> = {};
    const current = new URLSearchParams(serialized);
    for (const k of keys) {
      const v = current.get(k);
      if (v) out[k] = v;
    }
    return out;
  }, [serialized, keys.join()]); // keys: a constant list per page
  const set = useCallback(
    (change: UrlFilters<K> & { page?: string; pageSize?: string }) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(change)) {
            if (v === undefined || v === '') next.delete(k);
            else next.set(k, v as string);
          }
          if (!('page' in change)) next.delete('page');
          return next;
        },
        { replace: false },
      );
    },
    [setParams],
  );
  return { values, set, params: new URLSearchParams(serialized) };
}

/**
 * A list's paging from the URL query (`page` from 1, `pageSize` up to 200, DESIGN.md §5).
 * @returns page and pageSize as integers, defaulting to 1 and `defaultSize`
 */
export function pagingOf(params: URLSearchParams, defaultSize = 20): { page: number; pageSize: number } {
  const int = (v: string | null, d: number, max: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : d;
  };
  return { page: int(params.get('page'), 1, 1_000_000), pageSize: int(params.get('pageSize'), defaultSize, 200) };
}

/** The query of a list request without its undefined fields, so equal filters give equal query keys. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}
