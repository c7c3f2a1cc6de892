import { DomainError, DomainErrorCode } from '../errors.js';
import { definitionId, validateTrackDefinition, type TrackDefinition, type TrackKey } from '../track-definition.js';
import { BONDED_ZONE_TRACK_V1 } from './bonded-zone.track.js';
import { STANDARD_TRACK_V2 } from './standard-v2.track.js';
import { STANDARD_TRACK_V3 } from './standard-v3.track.js';
import { STANDARD_TRACK_V1 } from './standard.track.js';

/*
 * Every released definition stays here for as long as a project may pin it: a running project keeps the
 * version it started with, new projects get the latest. Validated once, when this module loads.
 */
const REGISTRY: ReadonlyMap<string, TrackDefinition> = new Map(
  [STANDARD_TRACK_V1, STANDARD_TRACK_V2, STANDARD_TRACK_V3, BONDED_ZONE_TRACK_V1].map((d) => {
    const valid = validateTrackDefinition(d);
    return [definitionId(valid), valid] as const;
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
