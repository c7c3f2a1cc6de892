import { describe, expect, it } from '@jest/globals';
import { positionProblem } from '../../../apps/api/src/imports/position-check.js';
import type { RowReport } from '../../../apps/api/src/imports/import-report.js';
import { latestTrackDefinition } from '../../../libs/domain/index.js';

/*
 * The dry run checks a new row's position against the domain's rules, so that a position the workflow would refuse is
 * reported before the commit (and the row not registered short of it).
 */
const project = {
  code: '2023-330602-39-03-009205',
  name: '容缺测试项目',
  track: 'standard',
  district: '越城区',
  investor: '某公司',
  investmentYuan: '10000000',
  signedAt: '2023-03-01',
  approvalRoute: 'filing',
};
const rowOf = (position: RowReport['position']): RowReport => ({ row: 7, outcome: 'create', code: project.code, project, position, differences: [], problems: [] });
const NOW = '2026-12-07T03:00:00.000Z';

describe('the dry run’s check of a position', () => {
  it('passes a position the rules allow: filing approved, then the EIA accepted and approved', async () => {
    const row = rowOf([
      { row: 3, step: 'project_filing', state: 'approved', acceptedOn: '2023-03-02', decidedOn: '2023-03-03' },
      { row: 4, step: 'eia_approval', state: 'approved', acceptedOn: '2023-03-06', decidedOn: '2023-03-10' },
    ]);
    await expect(positionProblem(row, latestTrackDefinition('standard'), '事项明细', NOW)).resolves.toBeNull();
  });

  it('reports a step decided while the step it depends on is not, at its row of the steps sheet', async () => {
    const row = rowOf([{ row: 4, step: 'eia_approval', state: 'approved', acceptedOn: '2023-03-06', decidedOn: '2023-03-10' }]);
    const problem = await positionProblem(row, latestTrackDefinition('standard'), '事项明细', NOW);
    expect(problem).toMatchObject({ sheet: '事项明细', row: 4, column: '办理状态', value: '已办结' });
    expect(problem!.problem).toMatch(/^eia_approval cannot be brought to this state: its accept on 2023-03-06 would be refused \(.*blocked until project_filing/);
  });
});
