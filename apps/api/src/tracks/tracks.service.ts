import { Inject, Injectable } from '@nestjs/common';
import { toShanghaiDate, type CalendarSource } from '../../../../libs/calendar/index.js';
import { allTrackDefinitions, statutoryLimitOf, type TrackDefinition } from '../../../../libs/domain/index.js';
import { checkTrackDefinition, loadTrackDefinition, type TrackLoadResult } from '../../../../libs/domain/track-loader.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { CALENDAR_SOURCE } from '../database/calendar-source.provider.js';
import type { TrackDryRunDto, TrackDryRunResultDto, TrackListDto } from './dto/tracks.dto.js';
import { planDryRun } from './track-dry-run.js';

/**
 * The read side of the tracks API: the released definitions (the ones shipped as data files, libs/domain/tracks) and
 * the dry run of a definition someone wrote, on the official calendar. Changes nothing.
 */
@Injectable()
export class TracksService {
  constructor(@Inject(CALENDAR_SOURCE) private readonly calendar: CalendarSource) {}

  /** Every track with its released versions (oldest first), sorted by track key; the newest version marked latest. */
  list(): TrackListDto {
    const byTrack = new Map<string, TrackDefinition[]>();
    for (const def of allTrackDefinitions()) byTrack.set(def.track, [...(byTrack.get(def.track) ?? []), def]);
    const items = [...byTrack.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, defs]) => {
        const sorted = defs.sort((a, b) => a.version - b.version);
        const newest = sorted[sorted.length - 1]!.version;
        return {
          key,
          versions: sorted.map((d) => ({ version: d.version, name: d.name, nameZh: d.nameZh, stepCount: d.steps.length, stages: d.stages.map((s) => s.key), latest: d.version === newest })),
        };
      });
    return { items, total: items.length };
  }

  /**
   * One released definition as stored.
   * @throws ApiProblem TRACK.NOT_FOUND (404) naming the tracks, or the track's versions, that exist
   */
  version(key: string, version: number): TrackDefinition {
    const defs = allTrackDefinitions().filter((d) => d.track === key);
    if (defs.length === 0) {
      const tracks = [...new Set(allTrackDefinitions().map((d) => d.track))].sort().join(', ');
      throw new ApiProblem(ApiErrorCode.TrackNotFound, `no track "${key}"; tracks: ${tracks}`);
    }
    const def = defs.find((d) => d.version === version);
    if (!def) {
      const versions = defs.map((d) => d.version).sort((a, b) => a - b).join(', ');
      throw new ApiProblem(ApiErrorCode.TrackNotFound, `track "${key}" has no version ${version}; versions: ${versions}`);
    }
    return def;
  }

  /**
   * The dry run: the definition checked by the track loader, then scheduled from `startOn` (default today in
   * Asia/Shanghai) on the official calendar, every step at its published limit.
   * @throws ApiProblem REQUEST.UNPROCESSABLE (422) when neither or both of definition and text are given, or with every
   *   problem of the definition in `errors` (`field` its path inside the document, e.g. `steps[4].dependsOn[0]`)
   * @throws CalendarError (422) for a startOn that is no real day, or a count that runs into a year the calendar lacks
   */
  async dryRun(dto: TrackDryRunDto): Promise<TrackDryRunResultDto> {
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
    const def = result.definition;
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
