import { describe, expect, it } from 'vitest';
import { buildGanttOption, ganttRows, shanghaiWallClock } from '../src/components/project/gantt-option';
import { LIGHT_COLORS } from '../src/components/tags';
import { NOW_MS, STANDARD_STEPS } from './fixtures/project-standard';

const labels = {
  stepName: (k: string) => k,
  planned: '计划',
  actual: '实际',
  stopped: (r: string) => `停止计时${r}`,
  statutoryDue: '法定时限截止',
  today: '今天',
  time: (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' '),
};

describe(ganttRows.name, () => {
  it('reads instants as Asia/Shanghai wall-clock time, whatever the zone they are written in', () => {
    expect(shanghaiWallClock('2022-03-08T01:30:00Z')).toBe(Date.parse('2022-03-08T09:30:00Z'));
    expect(shanghaiWallClock('2022-03-08T09:30:00+08:00')).toBe(Date.parse('2022-03-08T09:30:00Z'));
  });

  it('has a row per started step: planned to the published limit, actual to the decision or now, stops, statutory end', () => {
    const rows = ganttRows(STANDARD_STEPS, NOW_MS);
    expect(rows.map((r) => r.key)).toEqual(['project_filing', 'land_prereview', 'land_auction', 'land_contract', 'land_use_planning_permit', 'eia_approval', 'energy_review']);
    const permit = rows.find((r) => r.key === 'land_use_planning_permit')!;
    expect(permit.plannedEnd).toBe(Date.parse('2022-06-14T00:00:00Z'));
    expect(permit.actualEnd).toBe(Date.parse('2022-06-15T10:00:00Z'));
    expect(permit.decided).toBe(false);
    expect(permit.stops).toEqual([{ start: Date.parse('2022-05-20T10:00:00Z'), end: Date.parse('2022-05-26T09:00:00Z'), open: false, reason: 'supplement_requested' }]);
    expect(permit.color).toBe(LIGHT_COLORS.red);
    // The EIA waits for a supplement: no deadline while its clock is stopped, the stop runs to now.
    const eia = rows.find((r) => r.key === 'eia_approval')!;
    expect(eia.plannedEnd).toBeNull();
    expect(eia.statutoryDue).toBeNull();
    expect(eia.stops[0]).toMatchObject({ open: true, end: Date.parse('2022-06-15T10:00:00Z') });
    const filing = rows.find((r) => r.key === 'project_filing')!;
    expect(filing).toMatchObject({ decided: true, actualEnd: Date.parse('2022-03-25T16:00:00Z'), statutoryDue: Date.parse('2022-04-07T00:00:00Z') });
  });

  it('builds the option in UTC over wall-clock values, with a today line only while a step is open', () => {
    const rows = ganttRows(STANDARD_STEPS, NOW_MS);
    const option = buildGanttOption(rows, labels, NOW_MS);
    expect(option.useUTC).toBe(true);
    const series = (id: string) => option.series.find((s) => s.id === id)!;
    expect(series('planned').data).toHaveLength(6);
    expect(series('actual').data).toHaveLength(7);
    expect(series('stopped').data).toHaveLength(2);
    expect(series('statutory').data).toHaveLength(6);
    expect(series('today').data).toHaveLength(1);
    const done = buildGanttOption(rows.filter((r) => r.decided), labels, NOW_MS);
    expect(done.series.find((s) => s.id === 'today')!.data).toHaveLength(0);
  });
});
