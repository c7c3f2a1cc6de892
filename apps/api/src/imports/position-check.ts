/*
 * The dry run's check of a new row's position against the domain's rules: the project registered on its signing day
 * and the back-dated actions the commit would send applied to it in order, through the same function the workflow
 * runs (libs/domain applyPosition). A position the rules refuse (a step accepted while a step it depends on is not
 * decided, a land title before the land price is paid) is then reported before the commit, and the row is not
 * registered at all, instead of being left registered short of its position.
 */
import { applyPosition, ProjectState, SYSTEM_ACTOR, type Actor, type TrackDefinition } from '../../../../libs/domain/index.js';
import { labelOf } from '../../../../libs/ledger/ledger-columns.js';
import type { RowProblem } from '../../../../libs/ledger/ledger-import-rows.js';
import { planPosition } from '../../../../libs/ledger/ledger-position-plan.js';
import { projectRegistration } from '../projects/project-registration.js';
import type { RowReport } from './import-report.js';

/** The officer of the step's department, acting for the import's author (`id`). */
export function importActor(id: string, definition: TrackDefinition, step: string): Actor {
  const department = definition.steps.find((s) => s.key === step)!.department;
  return { id, department, roles: ['officer'] };
}

/**
 * The problem of a row whose position the domain refuses, or null when every action of it would be applied.
 * Clocks are not planned: a plan sets deadlines and lights, which refuse no import action.
 * @param row a row of the report with a registration (`project`) and its steps' positions
 * @param definition the track definition the commit registers it on
 * @param stepsSheet the name of the steps sheet (事项明细), for the problem's place
 * @param nowIso the instant the actions are recorded at (ISO 8601)
 * @returns a problem naming the steps sheet's row, its 办理状态 (in Chinese, as the sheet words it) and the domain's reason
 */
export async function positionProblem(row: RowReport, definition: TrackDefinition, stepsSheet: string | null, nowIso: string): Promise<RowProblem | null> {
  const p = row.project;
  if (p === null || row.position.length === 0) return null;
  const plan = planPosition(p.signedAt, row.position, definition);
  const registration = projectRegistration(p, definition);
  const { state } = ProjectState.register(definition, registration, { at: new Date(Date.parse(plan.registeredAt)).toISOString(), actor: SYSTEM_ACTOR });
  // As a newly started workflow runs it.
  state.statutoryFidelity = true;
  state.keepsHoldOnUnchangedPlan = true;
  state.factsAtOnce = true;
  const actions = plan.actions.map((a, i) => ({ ...a, actor: importActor('ledger-import', definition, a.step), requestId: `check:${i}` }));
  const refused = await applyPosition(state, actions, { now: () => nowIso, notBefore: () => nowIso, plan: async () => [], onEntries: () => undefined, lightsAtAction: true });
  if (refused === null) return null;
  const where = row.position.find((s) => s.step === refused.step);
  return {
    sheet: stepsSheet,
    row: where?.row ?? row.row,
    column: '办理状态',
    value: where ? labelOf('state', where.state, 'zh') : null,
    problem: `${refused.step} cannot be brought to this state: its ${refused.action} on ${(refused.occurredAt ?? '').slice(0, 10)} would be refused (${refused.message})`,
  };
}
