import type { DataSource } from 'typeorm';
import {
  addPublishedTrackDefinition,
  allTrackDefinitions,
  findTrackDefinition,
  getTrackDefinition,
  isShippedTrackDefinition,
  latestTrackDefinition,
  type TrackDefinition,
  type TrackKey,
} from '../domain/index.js';
import { checkTrackDefinition, formatProblem } from '../domain/track-loader.js';
import { PublishedTracksRepository } from './published-tracks.repository.js';

/**
 * The track registry of a process (API or worker): the shipped definitions plus those published at run time, read
 * from `published_tracks` into the domain's registry (libs/domain/tracks: getTrackDefinition, allTrackDefinitions),
 * which keeps them cached. Every module that needs a project's definition asks here (or, in synchronous code after a
 * load, the domain's getTrackDefinition), never the bundled files alone.
 */
export class TrackRegistry {
  private readonly repo: PublishedTracksRepository;

  constructor(
    dataSource: DataSource,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.repo = new PublishedTracksRepository(dataSource);
  }

  /**
   * Loads every published version into this process's registry (those already held are kept as they are).
   * A stored definition the loader now refuses is skipped with a warning, so one bad row does not stop a start.
   * @returns how many published versions the registry holds after the load
   */
  async refresh(): Promise<number> {
    let n = 0;
    for (const r of await this.repo.all()) {
      if (!isShippedTrackDefinition(r.track, r.version) && findTrackDefinition(r.track, r.version)) {
        n += 1; // loaded already (a released version never changes): not checked again at every refresh
        continue;
      }
      try {
        const checked = checkTrackDefinition(r.definition); // the format too, which the registry's add leaves to its callers
        if (!checked.ok) throw new Error(checked.problems.map(formatProblem).join('; '));
        addPublishedTrackDefinition(r.definition);
        n += 1;
      } catch (e) {
        this.warn(`published track ${r.track}@${r.version} not loaded: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return n;
  }

  /**
   * The definition `track@version` a project pinned: from the cache, or after reloading the published ones once
   * (another process may have published it).
   * @throws DomainError DEFINITION.NOT_FOUND when neither shipped nor published
   */
  async definition(track: TrackKey, version: number): Promise<TrackDefinition> {
    if (!findTrackDefinition(track, version)) await this.refresh();
    return getTrackDefinition(track, version);
  }

  /**
   * The newest version of a track, shipped or published (reloaded first, so a version another process published counts).
   * @throws DomainError DEFINITION.NOT_FOUND naming the known tracks when the track has none
   */
  async latest(track: TrackKey): Promise<TrackDefinition> {
    await this.refresh();
    return latestTrackDefinition(track);
  }

  /** Every definition, shipped then published (reloaded first). */
  async all(): Promise<TrackDefinition[]> {
    await this.refresh();
    return allTrackDefinitions();
  }

  /** The store of published versions (for publishing: PublishedTracksRepository.insert). */
  get published(): PublishedTracksRepository {
    return this.repo;
  }
}
