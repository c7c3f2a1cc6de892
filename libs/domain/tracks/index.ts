import { DomainError, DomainErrorCode } from '../errors.js';
import { definitionId, type TrackDefinition, type TrackKey } from '../track-definition.js';
import { checkTrackGraph, formatProblem } from '../track-graph.js';
import bondedZoneV1 from './bonded_zone.v1.track.json' with { type: 'json' };
import relocationV1 from './relocation.v1.track.json' with { type: 'json' };
import standardV1 from './standard.v1.track.json' with { type: 'json' };
import standardV2 from './standard.v2.track.json' with { type: 'json' };
import standardV3 from './standard.v3.track.json' with { type: 'json' };

/*
 * The track registry: every definition a project may pin, shipped or published. Shipped definitions stay here for as
 * long as a project may pin them: a running project keeps the version it started with, new projects get the latest.
 * They are data files (`<track>.v<n>.track.json`, in the format of track-definition.schema.ts), checked by the track
 * loader once, when this module loads, and bundled with the code (imported, not read from disk), so the domain stays
 * free of I/O. Definitions published at run time (`POST /api/v1/tracks`, stored by libs/persistence) join them in
 * this process through addPublishedTrackDefinition, which the persistence's TrackRegistry calls when it loads them.
 * Workflow code never sees published ones here (its sandbox has its own copy of this module): a workflow runs the
 * definition its input carries, or the shipped one of its version.
 */
const SHIPPED: ReadonlyArray<readonly [file: string, document: unknown]> = [
  ['standard.v1.track.json', standardV1],
  ['standard.v2.track.json', standardV2],
  ['standard.v3.track.json', standardV3],
  ['bonded_zone.v1.track.json', bondedZoneV1],
  ['relocation.v1.track.json', relocationV1],
];

/** The shipped documents by `track@version`, as written (each checked on its first use: see {@link shippedDefinition}). */
const SHIPPED_DOCUMENTS: ReadonlyMap<string, readonly [file: string, document: unknown]> = new Map(
  SHIPPED.map(([file, document]) => [definitionId(document as Pick<TrackDefinition, 'track' | 'version'>), [file, document]] as const),
);
const SHIPPED_CHECKED = new Map<string, TrackDefinition>();

/**
 * The shipped definition `track@version`, checked by the track loader the first time it is asked for, or undefined.
 * Checking on use, not at module load, matters in the workflow sandbox: every workflow loads this module afresh and
 * needs only the definition it runs.
 * @throws Error when the shipped file is invalid (a defect of the release, caught by its unit test)
 */
function shippedDefinition(id: string): TrackDefinition | undefined {
  const checked = SHIPPED_CHECKED.get(id);
  if (checked) return checked;
  const shipped = SHIPPED_DOCUMENTS.get(id);
  if (!shipped) return undefined;
  const [file, document] = shipped;
  // The files' format is checked by their unit test (shipped-track-files.spec): here only the graph and the domain's check.
  const result = checkTrackGraph(document as TrackDefinition);
  if (!result.ok) throw new Error(`shipped track definition ${file} is invalid:\n${result.problems.map(formatProblem).join('\n')}`);
  SHIPPED_CHECKED.set(id, result.definition);
  return result.definition;
}

/** Every shipped definition, checked. */
function shippedDefinitions(): TrackDefinition[] {
  return [...SHIPPED_DOCUMENTS.keys()].map((id) => shippedDefinition(id)!);
}

/**
 * The keys of the tracks shipped with the code. Not the list of tracks a project may be registered on: tracks
 * published at run time join them (the API's track registry knows both).
 */
export const SHIPPED_TRACK_KEYS: readonly TrackKey[] = [...new Set(SHIPPED.map(([, document]) => (document as Pick<TrackDefinition, 'track'>).track))];

/** Definitions published at run time and loaded into this process, by `track@version`. */
const PUBLISHED = new Map<string, TrackDefinition>();
let generation = 0;

/**
 * Adds a definition published at run time (`POST /api/v1/tracks`, stored by libs/persistence) to this process's
 * registry, checked as a graph and by the domain ({@link checkTrackGraph}). Its format is checked against the schema
 * where it enters the system (the track loader's checkTrackDefinition: at publishing, and again by the persistence's
 * registry when it loads the stored ones), not here: this module is part of the workflow sandbox. Adding the same definition again changes nothing; a version is immutable, so
 * another definition under an id the registry holds (shipped or published) is refused.
 * @param document the definition as stored (a JSON value)
 * @returns the definition as the registry holds it (checked, steps in dependency order, frozen)
 * @throws DomainError `DEFINITION.INVALID` naming every problem, or the id taken by another definition
 */
export function addPublishedTrackDefinition(document: unknown): TrackDefinition {
  const result = checkTrackGraph(document as TrackDefinition);
  if (!result.ok) {
    throw new DomainError(DomainErrorCode.DefinitionInvalid, `published track definition is invalid: ${result.problems.map(formatProblem).join('; ')}`);
  }
  const id = definitionId(result.definition);
  const held = shippedDefinition(id) ?? PUBLISHED.get(id);
  if (held) {
    if (canonicalTrackJson(held) === canonicalTrackJson(result.definition)) return held;
    throw new DomainError(DomainErrorCode.DefinitionInvalid, `${id} is already released with another definition; a released version never changes`);
  }
  PUBLISHED.set(id, result.definition);
  generation += 1;
  return result.definition;
}

/** Counts the definitions added at run time: a value a cache built over {@link allTrackDefinitions} compares. */
export function trackRegistryGeneration(): number {
  return generation;
}

/**
 * A value built over every definition in the registry, rebuilt when a published one joins (e.g. names of stages by
 * key). Call the returned function where the value is needed, never at module load.
 * @param build computes the value from every definition, shipped then published
 */
export function memoOverTracks<T>(build: (definitions: readonly TrackDefinition[]) => T): () => T {
  let builtAt = -1;
  let value: T;
  return () => {
    if (builtAt !== generation) {
      value = build(allTrackDefinitions());
      builtAt = generation;
    }
    return value;
  };
}

/**
 * The canonical JSON text of a definition: keys sorted at every level, no white space, arrays in their order. Its
 * SHA-256 identifies a published version (the audit record), whatever the order of the keys it was written in.
 */
export function canonicalTrackJson(definition: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(canonical(definition));
}


/**
 * The definition `track@version` from the registry: shipped, or published and loaded into this process (see
 * {@link addPublishedTrackDefinition}; an API or worker loads them through libs/persistence's TrackRegistry, whose
 * `definition()` also reloads on a miss).
 * @throws DomainError `DEFINITION.NOT_FOUND` when the registry has no such track and version
 */
export function getTrackDefinition(track: TrackKey, version: number): TrackDefinition {
  const def = findTrackDefinition(track, version);
  if (!def) throw new DomainError(DomainErrorCode.DefinitionNotFound, `no definition ${track}@${version}`);
  return def;
}

/** The definition `track@version` from the registry (shipped or published), or undefined. */
export function findTrackDefinition(track: TrackKey, version: number): TrackDefinition | undefined {
  const id = `${track}@${version}`;
  return shippedDefinition(id) ?? PUBLISHED.get(id);
}

/** Whether `track@version` is one of the definitions shipped with the code (as opposed to one published at run time). */
export function isShippedTrackDefinition(track: TrackKey, version: number): boolean {
  return SHIPPED_DOCUMENTS.has(`${track}@${version}`);
}

/**
 * The newest definition of a track in the registry (shipped or published), the one a new project pins by default.
 * @throws DomainError `DEFINITION.NOT_FOUND` when the track has no released definition, naming the known tracks
 */
export function latestTrackDefinition(track: TrackKey): TrackDefinition {
  let latest: TrackDefinition | undefined;
  for (const d of allTrackDefinitions()) if (d.track === track && (!latest || d.version > latest.version)) latest = d;
  if (!latest) {
    throw new DomainError(DomainErrorCode.DefinitionNotFound, `track '${track}' has no released definition; tracks: ${knownTrackKeys().join(', ')}`);
  }
  return latest;
}

/** Every definition in the registry: all versions of all tracks, shipped then published. */
export function allTrackDefinitions(): TrackDefinition[] {
  return [...shippedDefinitions(), ...PUBLISHED.values()];
}

/** Every track key in the registry (shipped or published), sorted. */
export function knownTrackKeys(): TrackKey[] {
  return [...new Set(allTrackDefinitions().map((d) => d.track))].sort();
}
