import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from './client';

type TrackList = Schemas['TrackListDto'];

/** The query key of `GET /api/v1/tracks`: reference data, shared by every component that names a track. */
export const TRACKS_QUERY_KEY = ['tracks'] as const;

/**
 * The released tracks and their versions (`GET /api/v1/tracks`, shipped and published), cached for five minutes: the
 * workbench names tracks from it, so a track published at run time shows without a change to the web app.
 * @param enabled whether to ask (default true)
 */
export function useTracks(enabled = true) {
  return useQuery({ queryKey: TRACKS_QUERY_KEY, queryFn: () => unwrap(api.GET('/api/v1/tracks')), staleTime: 5 * 60_000, enabled });
}

/** The tracks of a list; none when the answer is not there or is not a list (an older API, a proxy's page). */
function itemsOf(list: TrackList | undefined): TrackList['items'] {
  return Array.isArray(list?.items) ? list.items : [];
}

/**
 * The name of track `key` in `lang` (Chinese for `zh…`, else English) from the track list: version `version`'s
 * name when given and listed, else the latest version's; the key itself while the list is not loaded or lacks it.
 */
export function trackName(list: TrackList | undefined, key: string, lang: string, version?: number): string {
  const versions = itemsOf(list).find((t) => t.key === key)?.versions ?? [];
  const v = versions.find((x) => x.version === version) ?? versions.find((x) => x.latest) ?? versions[versions.length - 1];
  if (!v) return key;
  return lang.startsWith('zh') ? v.nameZh : v.name;
}

/** A stage or step as a track version names it. */
type Named = { key: string; name: string; nameZh: string };

/** The name of `key` in `lang` among the names `namesOf` gives of each released version (the first that has it). */
function nameInVersions(list: TrackList | undefined, key: string, lang: string, namesOf: (v: TrackList['items'][number]['versions'][number]) => Named[] | undefined): string | undefined {
  for (const t of itemsOf(list)) {
    for (const v of t.versions) {
      const s = (namesOf(v) ?? []).find((x) => x.key === key);
      if (s) return lang.startsWith('zh') ? s.nameZh : s.name;
    }
  }
  return undefined;
}

/**
 * The name of stage `key` in `lang` as a released track version names it (the first that has the stage); undefined when
 * none does (or the list is not loaded).
 */
export function stageName(list: TrackList | undefined, key: string, lang: string): string | undefined {
  return nameInVersions(list, key, lang, (v) => v.stageNames);
}

/**
 * The name of step `key` in `lang` as a released track version names it (the first that has the step); undefined when
 * none does (or the list is not loaded, or comes from an API that does not list step names).
 */
export function stepName(list: TrackList | undefined, key: string, lang: string): string | undefined {
  return nameInVersions(list, key, lang, (v) => v.stepNames);
}

/**
 * A function naming tracks in the current language ({@link trackName} over {@link useTracks}), the keys of every
 * released track (for filters) in the list's order, every stage key of every version, a function naming a stage, and one naming a step.
 */
export function useTrackNames(): {
  nameOf: (key: string, version?: number) => string;
  keys: string[];
  stages: string[];
  stageNameOf: (key: string) => string | undefined;
  stepNameOf: (key: string) => string | undefined;
} {
  const { i18n } = useTranslation();
  const tracks = useTracks();
  return {
    nameOf: (key, version) => trackName(tracks.data, key, i18n.language, version),
    keys: itemsOf(tracks.data).map((t) => t.key),
    stages: [...new Set(itemsOf(tracks.data).flatMap((t) => t.versions.flatMap((v) => v.stages)))],
    stageNameOf: (key) => stageName(tracks.data, key, i18n.language),
    stepNameOf: (key) => stepName(tracks.data, key, i18n.language),
  };
}
