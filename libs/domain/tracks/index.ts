import { DomainError, DomainErrorCode } from '../errors.js';
import { definitionId, type TrackDefinition, type TrackKey } from '../track-definition.js';
import { checkTrackDefinition, formatProblem } from '../track-loader.js';
import bondedZoneV1 from './bonded_zone.v1.track.json' with { type: 'json' };
import relocationV1 from './relocation.v1.track.json' with { type: 'json' };
import standardV1 from './standard.v1.track.json' with { type: 'json' };
import standardV2 from './standard.v2.track.json' with { type: 'json' };
import standardV3 from './standard.v3.track.json' with { type: 'json' };

/*
 * Every released definition stays here for as long as a project may pin it: a running project keeps the
 * version it started with, new projects get the latest. The definitions are data files (`<track>.v<n>.track.json`,
 * in the format of track-definition.schema.ts), checked by the track loader once, when this module loads; the
 * files are bundled with the code (imported, not read from disk), so the domain stays free of I/O.
 */
const SHIPPED: ReadonlyArray<readonly [file: string, document: unknown]> = [
  ['standard.v1.track.json', standardV1],
  ['standard.v2.track.json', standardV2],
  ['standard.v3.track.json', standardV3],
  ['bonded_zone.v1.track.json', bondedZoneV1],
  ['relocation.v1.track.json', relocationV1],
];

const REGISTRY: ReadonlyMap<string, TrackDefinition> = new Map(
  SHIPPED.map(([file, document]) => {
    // The files' format is checked by their unit test: compiling the schema here would cost every workflow run.
    const result = checkTrackDefinition(document, { schema: false });
    if (!result.ok) throw new Error(`shipped track definition ${file} is invalid:\n${result.problems.map(formatProblem).join('\n')}`);
    return [definitionId(result.definition), result.definition] as const;
  }),
);

/**
 * The keys of the tracks shipped with the code. Not the list of tracks a project may be registered on: tracks
 * published at run time join them (the API's track registry knows both).
 */
export const SHIPPED_TRACK_KEYS: readonly TrackKey[] = [...new Set([...REGISTRY.values()].map((d) => d.track))];

/**
 * A shipped definition by track and version (bundled with the code; a version published at run time is not here).
 * @throws DomainError `DEFINITION.NOT_FOUND` when no such track and version was ever released
 */
export function getTrackDefinition(track: TrackKey, version: number): TrackDefinition {
  const def = REGISTRY.get(`${track}@${version}`);
  if (!def) throw new DomainError(DomainErrorCode.DefinitionNotFound, `no definition ${track}@${version}`);
  return def;
}

/**
 * The newest shipped definition of a track.
 * @throws DomainError `DEFINITION.NOT_FOUND` when the track has no released definition
 */
export function latestTrackDefinition(track: TrackKey): TrackDefinition {
  let latest: TrackDefinition | undefined;
  for (const d of REGISTRY.values()) if (d.track === track && (!latest || d.version > latest.version)) latest = d;
  if (!latest) {
    throw new DomainError(DomainErrorCode.DefinitionNotFound, `track '${track}' has no released definition; shipped: ${SHIPPED_TRACK_KEYS.join(', ')}`);
  }
  return latest;
}

/** Every shipped definition (all versions of all tracks bundled with the code; not those published at run time). */
export function allTrackDefinitions(): TrackDefinition[] {
  return [...REGISTRY.values()];
}
