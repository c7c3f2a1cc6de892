import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { toShanghaiDate, type CalendarSource } from '../../../../libs/calendar/index.js';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import {
  addPublishedTrackDefinition,
  allTrackDefinitions,
  canonicalTrackJson,
  isShippedTrackDefinition,
  statutoryLimitOf,
  type TrackDefinition,
} from '../../../../libs/domain/index.js';
import { checkTrackDefinition, loadTrackDefinition, type TrackLoadResult } from '../../../../libs/domain/track-loader.js';
import { TrackRegistry, type PublishedTrackRecord } from '../../../../libs/persistence/index.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { toShanghaiIso } from '../common/time.js';
import { CALENDAR_SOURCE } from '../database/calendar-source.provider.js';
import type { TrackDryRunDto, TrackDryRunResultDto, TrackListDto, TrackPublishDto, TrackPublishedDto } from './dto/tracks.dto.js';
import { planDryRun } from './track-dry-run.js';

/**
 * The tracks API: the released definitions (shipped as data files, libs/domain/tracks, and published at run time,
 * through the TrackRegistry of libs/persistence), publishing a new version (admins), and the dry run of a definition
 * someone wrote, on the official calendar. Without a registry (tests without a database) it knows the shipped ones only.
 */
@Injectable()
export class TracksService {
  private readonly logger = new Logger('Tracks');

  constructor(
    @Inject(CALENDAR_SOURCE) private readonly calendar: CalendarSource,
    @Optional() private readonly registry?: TrackRegistry,
  ) {}

  /** Every definition, shipped then published (the published ones reloaded first). */
  private async definitions(): Promise<TrackDefinition[]> {
    return this.registry ? this.registry.all() : allTrackDefinitions();
  }

  /** The stored records of the published versions, by `track@version`. */
  private async records(): Promise<Map<string, PublishedTrackRecord>> {
    const rows = this.registry ? await this.registry.published.all() : [];
    return new Map(rows.map((r) => [`${r.track}@${r.version}`, r]));
  }

  /**
   * Every track with its released versions (oldest first), sorted by track key; the newest version marked latest,
   * each with its source (shipped or published) and, for a published one, who published it, when, and its SHA-256.
   */
  async list(): Promise<TrackListDto> {
    const byTrack = new Map<string, TrackDefinition[]>();
    for (const def of await this.definitions()) byTrack.set(def.track, [...(byTrack.get(def.track) ?? []), def]);
    const records = await this.records();
    const items = [...byTrack.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, defs]) => {
        const sorted = defs.sort((a, b) => a.version - b.version);
        const newest = sorted[sorted.length - 1]!.version;
        return {
          key,
          versions: sorted.map((d) => {
            const record = isShippedTrackDefinition(d.track, d.version) ? undefined : records.get(`${d.track}@${d.version}`);
            return {
              version: d.version,
              name: d.name,
              nameZh: d.nameZh,
              stepCount: d.steps.length,
              stages: d.stages.map((s) => s.key),
              stageNames: d.stages.map((s) => ({ key: s.key, name: s.name, nameZh: s.nameZh })),
              stepNames: d.steps.map((s) => ({ key: s.key, name: s.name, nameZh: s.nameZh })),
              latest: d.version === newest,
              source: isShippedTrackDefinition(d.track, d.version) ? ('shipped' as const) : ('published' as const),
              publishedAt: record ? toShanghaiIso(record.publishedAt) : null,
              publishedBy: record?.publishedBy.id ?? null,
              sha256: record?.sha256 ?? null,
            };
          }),
        };
      });
    return { items, total: items.length };
  }

  /**
   * One released definition as stored, shipped or published, with where it comes from.
   * @throws ApiProblem TRACK.NOT_FOUND (404) naming the tracks, or the track's versions, that exist
   */
  async version(key: string, version: number): Promise<{ definition: TrackDefinition; source: 'shipped' | 'published' }> {
    const all = await this.definitions();
    const defs = all.filter((d) => d.track === key);
    if (defs.length === 0) {
      const tracks = [...new Set(all.map((d) => d.track))].sort().join(', ');
      throw new ApiProblem(ApiErrorCode.TrackNotFound, `no track "${key}"; tracks: ${tracks}`);
    }
    const def = defs.find((d) => d.version === version);
    if (!def) {
      const versions = defs.map((d) => d.version).sort((a, b) => a - b).join(', ');
      throw new ApiProblem(ApiErrorCode.TrackNotFound, `track "${key}" has no version ${version}; versions: ${versions}`);
    }
    return { definition: def, source: isShippedTrackDefinition(def.track, def.version) ? 'shipped' : 'published' };
  }

  /**
   * Publishes a new version of a track (a new key is a new track, at version 1): the definition is checked by the track
   * loader and its graph checks, must be the next version of its key, and is stored with its publisher, the time and the
   * SHA-256 of its canonical JSON (the row is the audit record; the publication is also logged). It is then in the
   * registry: `GET /tracks`, and `POST /projects` with this track (the latest version by default, or `trackVersion`).
   * A version never changes: sending the same definition again for the version it was published as answers the stored
   * record (`created: false`); another definition under a released version is a conflict.
   * @throws ApiProblem REQUEST.UNPROCESSABLE (422) with every problem (`field` the path inside the document), or when
   *   neither or both of definition and text are given
   * @throws ApiProblem TRACK.VERSION_CONFLICT (409) when the version is not the next one of its track, naming the next
   * @throws ApiProblem SERVICE.UNAVAILABLE (503) when this process has no track store
   */
  async publish(dto: TrackPublishDto, user: AuthenticatedUser): Promise<TrackPublishedDto> {
    const def = this.checked(dto);
    if (!this.registry) throw new ApiProblem(ApiErrorCode.ServiceUnavailable, 'publishing needs the track store (PostgreSQL), which this process does not have');
    const sha256 = createHash('sha256').update(canonicalTrackJson(def), 'utf8').digest('hex');
    const versions = (await this.registry.all()).filter((d) => d.track === def.track).map((d) => d.version);
    const taken = versions.includes(def.version);
    if (taken) {
      const record = (await this.records()).get(`${def.track}@${def.version}`);
      if (record && record.sha256 === sha256) return this.publishedDto(def, record, false);
    }
    const next = versions.length === 0 ? 1 : Math.max(...versions) + 1;
    if (def.version !== next) throw this.versionConflict(def, next, taken);
    const publishedBy = { id: user.id, department: user.department };
    const outcome = await this.registry.published.insert({ track: def.track, version: def.version, definition: def, sha256, publishedBy });
    if (!outcome.stored) throw this.versionConflict(def, next + 1, true);
    addPublishedTrackDefinition(outcome.record.definition);
    this.logger.log(
      `track published: ${def.track}@${def.version} (${def.nameZh}, ${def.steps.length} steps) sha256 ${sha256} by ${publishedBy.id} (${publishedBy.department}) at ${outcome.record.publishedAt.toISOString()}`,
    );
    return this.publishedDto(def, outcome.record, true);
  }

  private versionConflict(def: TrackDefinition, next: number, taken: boolean): ApiProblem {
    const why = taken ? `${def.track}@${def.version} is already released with another definition (a released version never changes)` : `${def.track}@${def.version} is not the next version`;
    const message = `${why}; the next version of track "${def.track}" is ${next}`;
    return new ApiProblem(ApiErrorCode.TrackVersionConflict, message, [{ field: 'version', message }]);
  }

  private publishedDto(def: TrackDefinition, record: PublishedTrackRecord, created: boolean): TrackPublishedDto {
    return {
      track: def.track,
      version: def.version,
      name: def.name,
      nameZh: def.nameZh,
      stepCount: def.steps.length,
      source: 'published',
      sha256: record.sha256,
      publishedAt: toShanghaiIso(record.publishedAt)!,
      publishedBy: { id: record.publishedBy.id, department: record.publishedBy.department },
      created,
    };
  }

  /**
   * The definition of a publish or dry-run body, checked by the track loader (schema, then graph checks).
   * @throws ApiProblem REQUEST.UNPROCESSABLE (422) with every problem, or when neither or both of definition and text are given
   */
  private checked(dto: { definition?: Record<string, unknown>; text?: string }): TrackDefinition {
    if ((dto.definition === undefined) === (dto.text === undefined)) {
      const message = 'give exactly one of definition (an object) and text (JSON or YAML)';
      throw new ApiProblem(ApiErrorCode.RequestUnprocessable, message, [{ field: dto.definition === undefined ? 'definition' : 'text', message }]);
    }
    const result: TrackLoadResult = dto.text !== undefined ? loadTrackDefinition(dto.text) : checkTrackDefinition(dto.definition);
    if (!result.ok) {
      const n = result.problems.length;
      throw new ApiProblem(
        ApiErrorCode.RequestUnprocessable,
        `the track definition has ${n} problem${n === 1 ? '' : 's'}: ${result.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join('; ')}${n > 3 ? '; …' : ''}`,
        result.problems.map((p) => ({ field: p.path, message: p.message })),
      );
    }
    return result.definition;
  }

  /**
   * The dry run: the definition checked by the track loader, then scheduled from `startOn` (default today in
   * Asia/Shanghai) on the official calendar, every step at its published limit.
   * @throws ApiProblem REQUEST.UNPROCESSABLE (422) when neither or both of definition and text are given, or with every
   *   problem of the definition in `errors` (`field` its path inside the document, e.g. `steps[4].dependsOn[0]`)
   * @throws CalendarError (422) for a startOn that is no real day, or a count that runs into a year the calendar lacks
   */
  async dryRun(dto: TrackDryRunDto): Promise<TrackDryRunResultDto> {
    const def = this.checked(dto);
    const startOn = dto.startOn ?? toShanghaiDate(Date.now());
    const plan = planDryRun(def, startOn, await this.calendar.current());
    const planned = new Map(plan.steps.map((s) => [s.key, s]));
    return {
      track: def.track,
      version: def.version,
      name: def.name,
      nameZh: def.nameZh,
      finalStep: def.finalStep,
      startOn,
      earliestFinishOn: plan.earliestFinishOn,
      provisional: plan.provisional,
      criticalPath: {
        steps: plan.criticalPath,
        workingDays: plan.workingDays,
        calendarDays: plan.calendarDays,
        limitWorkingDays: plan.limitWorkingDays,
        limitCalendarDays: plan.limitCalendarDays,
      },
      steps: def.steps.map((s) => {
        const p = planned.get(s.key)!;
        const statutory = statutoryLimitOf(s);
        return {
          key: s.key,
          name: s.name,
          nameZh: s.nameZh,
          stage: s.stage,
          department: s.department,
          dependsOn: [...s.dependsOn],
          limit: { value: s.limit.value, unit: s.limit.unit },
          statutoryLimit: { value: statutory.value, unit: statutory.unit },
          earliestStartOn: p.earliestStartOn,
          earliestFinishOn: p.earliestFinishOn,
          critical: p.critical,
        };
      }),
    };
  }
}
