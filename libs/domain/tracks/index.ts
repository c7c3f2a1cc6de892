import { DomainError, DomainErrorCode } from '../errors.js';
import { definitionId, type TrackDefinition, type TrackKey } from '../track-definition.js';
import { checkTrackDefinition, formatProblem } from '../track-loader.js';
import bondedZoneV1 from './bonded_zone.v1.track.json' with { type: 'json' };
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
];

const REGISTRY: ReadonlyMap<string, TrackDefinition> = new Map(
  SHIPPED.map(([file, document]) => {
    const result = checkTrackDefinition(document);
    if (!result.ok) throw new Error(`shipped track definition ${file} is invalid:\n${result.problems.map(formatProblem).join('\n')}`);
    return [definitionId(result.definition), result.definition] as const;
  }),
);

/** Tracks a new project can be registered on now. */
export const AVAILABLE_TRACKS: readonly TrackKey[] = [...new Set([...REGISTRY.values()].map((d) => d.track))];

/**
 * The definition a project pinned.
 * @throws DomainError `DEFINITION.NOT_FOUND` when no such track and version was ever released
 */
export function getTrackDefinition(track: TrackKey, version: number): TrackDefinition {
  const def = REGISTRY.get(`${track}@${version}`);
  if (!def) throw new DomainError(DomainErrorCode.DefinitionNotFound, `no definition ${track}@${version}`);
  return def;
}

/**
 * The newest definition of a track, the one a new project pins.
 * @throws DomainError `DEFINITION.NOT_FOUND` when the track has no released definition
 */
export function latestTrackDefinition(track: TrackKey): TrackDefinition {
  let latest: TrackDefinition | undefined;
  for (const d of REGISTRY.values()) if (d.track === track && (!latest || d.version > latest.version)) latest = d;
  if (!latest) {
    throw new DomainError(DomainErrorCode.DefinitionNotFound, `track '${track}' has no released definition; available: ${AVAILABLE_TRACKS.join(', ')}`);
  }
  return latest;
}

/** Every released definition (all versions of all tracks). */
export function allTrackDefinitions(): TrackDefinition[] {
  return [...REGISTRY.values()];
}
