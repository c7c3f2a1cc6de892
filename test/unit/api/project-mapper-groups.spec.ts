import { beforeAll, describe, expect, it } from '@jest/globals';
import { projectFromView } from '../../../apps/api/src/projects/project.mapper.js';
import { addPublishedTrackDefinition, ProjectState, toProjectView, type Actor, type ProjectView } from '../../../libs/domain/index.js';
import { projectRowOf, projectViewOfRow, stepRowOf } from '../../../libs/persistence/project-read-model.rows.js';
import { STEP_GROUPS_TRACK, stepGroupsTrackDocument } from '../../support/step-groups-track.js';

/*
 * A project whose track has sub-step groups, as the API answers it: a blocked step is held back by the groups not yet
 * satisfied (not by a group already satisfied), and the steps an any-group no longer needs say `notRequired` and are
 * held back by nothing — alike from the live view and from the read model's rows.
 */

/** The test track's project with the soil cleared by the risk assessment and the fire sign-off given. */
function assessedView(): ProjectView {
  let hour = 0;
  const ctx = (actor: Actor) => ({ at: new Date(Date.UTC(2022, 2, 15, 1) + hour++ * 3_600_000).toISOString(), actor });
  const office: Actor = { id: 'office-wang', department: 'project_office' };
  const { state } = ProjectState.register(
    STEP_GROUPS_TRACK,
    { code: '2022-330602-26-03-000902', name: '退出地块', track: STEP_GROUPS_TRACK.track, district: '越城区', investor: null, investmentYuan: null, signedAt: '2022-03-15' },
    ctx(office),
  );
  for (const key of ['investigation', 'risk_assessment', 'fire_check']) {
    const actor: Actor = { id: `officer-${key}`, department: STEP_GROUPS_TRACK.steps.find((s) => s.key === key)!.department };
    state.applyStepAction(key, { action: 'accept' }, ctx(actor));
    state.applyStepAction(key, { action: 'approve' }, ctx(actor));
  }
  return toProjectView(state);
}

describe('project mapper with sub-step groups', () => {
  beforeAll(() => {
    addPublishedTrackDefinition(stepGroupsTrackDocument());
  });

  it('names the groups that hold a step back and marks the steps no longer required', () => {
    const dto = projectFromView(assessedView());
    const step = (key: string) => dto.steps.find((s) => s.key === key)!;

    expect(step('release')).toMatchObject({ state: 'blocked', blockedBy: ['sign_offs'] });
    expect(step('release').notRequired).toBeUndefined();
    expect(step('remediation')).toMatchObject({ state: 'blocked', blockedBy: [], notRequired: true, availableActions: [] });
    expect(step('effect_evaluation')).toMatchObject({ state: 'blocked', blockedBy: [], notRequired: true });
    expect(dto.steps.filter((s) => s.notRequired).map((s) => s.key)).toEqual(['remediation', 'effect_evaluation']);
    expect(dto.stepGroups?.map((g) => [g.key, g.nameZh, g.mode, g.steps])).toEqual([
      ['soil_cleared', '土壤风险管控完成', 'any', ['risk_assessment', 'effect_evaluation']],
      ['sign_offs', '安全验收', 'all', ['fire_check', 'defence_check']],
    ]);
  });

  it('answers the same from the read model rows as from the live view', () => {
    const view = assessedView();
    const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
    const r = projectRowOf(view);
    const rows = {
      ...json(r),
      registeredAt: r.registeredAt,
      lastProgressAt: r.lastProgressAt,
      suspendedAt: r.suspendedAt,
      closedAt: r.closedAt,
      nextDeadline: r.nextDeadline,
      steps: view.steps.map((s, i) => {
        const row = stepRowOf(view, s, i);
        return { ...json(row), readyAt: row.readyAt, acceptedAt: row.acceptedAt, decidedAt: row.decidedAt, dueAt: row.dueAt, receivedAt: row.receivedAt, statutoryDueAt: row.statutoryDueAt, deliveredAt: row.deliveredAt, updatedAt: row.updatedAt };
      }),
    };

    expect(projectFromView(projectViewOfRow(rows))).toEqual(projectFromView(view));
  });
});
