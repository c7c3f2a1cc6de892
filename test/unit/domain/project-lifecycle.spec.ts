import { describe, it, expect } from '@jest/globals';
import { DomainErrorCode, PROJECT_ACTIONS, ProjectState, STEP_ACTIONS, latestTrackDefinition, shanghaiTime, type DomainError, type ProjectActionInput, type ProjectActionKind } from '../../../libs/domain/index.js';
import { inputFor, PROBE_STEP, REGISTRAR, REGISTRATION, STANDARD, StandardProject, refusal } from './standard-project.fixture.js';

const SUSPEND: ProjectActionInput = { action: 'suspend', comment: 'expert review of the fire-safety scheme (专家评审)' };
const CANCEL: ProjectActionInput = { action: 'cancel', comment: 'investor withdrew from the agreement' };

function projectInputFor(action: ProjectActionKind): ProjectActionInput {
  return action === 'suspend' ? SUSPEND : action === 'cancel' ? CANCEL : { action };
}

describe(ProjectState.name, () => {
  describe('dependencies', () => {
    it('makes a blocked step ready once its only dependency is approved, and says so on the timeline', () => {
      const p = new StandardProject();
      p.act('land_prereview', 'accept');
      const at = p.peekAt();

      const entries = p.act('land_prereview', 'approve');

      expect(p.stateOf('land_auction')).toBe('ready');
      expect(p.state.step('land_auction')).toMatchObject({ readyAt: at, updatedAt: at });
      expect(entries.map((e) => [e.type, e.step])).toEqual([
        ['step.approved', 'land_prereview'],
        ['step.ready', 'land_auction'],
      ]);
      expect(entries[1]).toMatchObject({ actor: 'system', actorDepartment: null, at, data: { after: ['land_prereview'] } });
    });

    it('makes a blocked step ready once its only dependency is waived', () => {
      const p = new StandardProject();

      const entries = p.act('land_prereview', 'waive');

      expect(p.stateOf('land_auction')).toBe('ready');
      expect(entries.map((e) => e.type)).toContain('step.ready');
    });

    it('keeps a step with two dependencies blocked until both are done, approved or waived', () => {
      const p = new StandardProject();
      p.approve('project_filing');

      expect(p.stateOf('land_use_planning_permit')).toBe('blocked');

      p.approve('land_prereview');
      p.approve('land_auction');
      p.act('land_contract', 'waive');

      expect(p.stateOf('land_use_planning_permit')).toBe('ready');
      expect(p.timeline.filter((e) => e.type === 'step.ready' && e.step === 'land_use_planning_permit')).toHaveLength(1);
    });

    it('unblocks every dependent of a step at once', () => {
      const p = new StandardProject();
      p.act('project_filing', 'accept');

      const entries = p.act('project_filing', 'approve');

      expect(entries.filter((e) => e.type === 'step.ready').map((e) => e.step)).toEqual(['eia_approval', 'energy_review']);
      expect(p.stateOf('land_use_planning_permit')).toBe('blocked');
    });

    it('leaves the final step blocked until every step leading to it is done', () => {
      const p = new StandardProject();
      for (const def of STANDARD.steps.slice(0, -2)) p.approve(def.key);

      expect(p.stateOf('construction_permit')).toBe('ready');
      expect(p.stateOf('groundbreaking')).toBe('blocked');

      p.approve('construction_permit');

      expect(p.stateOf('groundbreaking')).toBe('ready');
    });
  });

  describe('stages', () => {
    it('moves to the next stage when the last open step of the current one is done, and records the change', () => {
      const p = new StandardProject();
      p.approve('project_filing');
      expect(p.state.snapshot().stage).toBe('initiation');

      p.act('land_prereview', 'accept');
      const entries = p.act('land_prereview', 'approve');

      expect(p.state.snapshot().stage).toBe('land_supply');
      expect(entries.at(-1)).toMatchObject({ type: 'project.stage_changed', step: null, actor: 'system', data: { from: 'initiation', to: 'land_supply' } });
    });

    it('stays in a stage while one of its steps is rejected', () => {
      const p = new StandardProject();
      p.approve('project_filing');
      p.bringTo('land_prereview', 'rejected');

      expect(p.state.snapshot().stage).toBe('initiation');
      expect(p.timeline.filter((e) => e.type === 'project.stage_changed')).toEqual([]);
    });
  });

  describe('completion', () => {
    it('walks the whole standard track to completion with a gapless timeline', () => {
      const p = new StandardProject();

      for (const def of STANDARD.steps) {
        expect(p.stateOf(def.key)).toBe('ready');
        p.approve(def.key);
      }

      const snap = p.state.snapshot();
      expect(snap.status).toBe('completed');
      expect(p.state.isClosed).toBe(true);
      expect(snap.stage).toBe('groundbreaking');
      expect(snap.steps.every((s) => s.state === 'approved')).toBe(true);
      expect(snap.version).toBe(1 + 2 * STANDARD.steps.length);

      const seqs = p.timeline.map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(snap.timelineSeq).toBe(seqs.length);

      expect(p.timeline.filter((e) => e.type === 'project.stage_changed').map((e) => e.data)).toEqual([
        { from: 'initiation', to: 'land_supply' },
        { from: 'land_supply', to: 'permits' },
        { from: 'permits', to: 'groundbreaking' },
      ]);
      expect(p.timeline.filter((e) => e.type === 'step.ready').map((e) => e.step).sort()).toEqual(STANDARD.steps.map((s) => s.key).sort());
      expect(p.timeline.at(-1)).toMatchObject({ type: 'project.completed', actor: 'system', data: { stage: 'groundbreaking' } });
      expect(p.timeline.filter((e) => e.type === 'project.completed')).toHaveLength(1);
    });

    it('completes the project when groundbreaking is approved, at that instant', () => {
      const p = new StandardProject().bringTo('groundbreaking', 'in_review');
      const at = p.peekAt();

      const entries = p.act('groundbreaking', 'approve');

      // the land contract started the 90-day groundbreaking promise; approving groundbreaking grades it
      expect(entries.map((e) => e.type)).toEqual(['step.approved', 'project_deadline.met', 'project.completed']);
      expect(p.state.snapshot()).toMatchObject({ status: 'completed', closedAt: at, stage: 'groundbreaking' });
    });

    it('completes a project whose earlier steps were partly waived', () => {
      const p = new StandardProject();
      for (const def of STANDARD.steps) {
        if (def.key === 'groundbreaking') p.approve(def.key);
        else p.act(def.key, 'waive');
      }

      expect(p.state.status).toBe('completed');
    });

    it('does not complete the project when groundbreaking is rejected', () => {
      const p = new StandardProject().bringTo('groundbreaking', 'rejected');

      expect(p.state.status).toBe('active');
      expect(p.state.snapshot().closedAt).toBeNull();
      expect(p.state.availableActions('groundbreaking')).toEqual(['receive', 'accept', 'reassign']);
    });

    it.each(STEP_ACTIONS.map((a) => [a] as const))('refuses %s on every step of a completed project', (action) => {
      const p = new StandardProject();
      p.walkToCompletion();
      const before = p.state.snapshot();

      for (const def of STANDARD.steps) {
        const err = refusal(() => p.state.applyStepAction(def.key, inputFor(action), p.next()));
        expect(err.code).toBe(DomainErrorCode.ProjectClosed);
        expect(err.message).toContain(`project ${REGISTRATION.code} is completed (since ${shanghaiTime(before.closedAt)}); no further actions are possible`);
        expect(p.state.availableActions(def.key)).toEqual([]);
      }
      expect(p.state.snapshot()).toEqual(before);
    });

    it.each(PROJECT_ACTIONS.map((a) => [a] as const))('refuses %s on a completed project', (action) => {
      const p = new StandardProject();
      p.walkToCompletion();
      const before = p.state.snapshot();

      const err = refusal(() => p.state.applyProjectAction(projectInputFor(action), p.next(REGISTRAR)));

      expect(err.code).toBe(DomainErrorCode.ProjectClosed);
      expect(p.state.snapshot()).toEqual(before);
    });
  });

  describe('suspension (special procedure)', () => {
    it('stops the clock of every step in review, and only those', () => {
      const p = new StandardProject();
      p.act('land_prereview', 'accept');
      p.act('project_filing', 'accept');
      p.act('project_filing', 'return');
      const at = p.peekAt();

      const [entry] = p.project(SUSPEND);

      expect(p.state.snapshot()).toMatchObject({ status: 'suspended', suspendedAt: at, lastProgressAt: at });
      expect(p.state.step('land_prereview')!.clockStops).toEqual([{ stoppedAt: at, resumedAt: null, reason: 'project_suspended' }]);
      expect(p.state.step('project_filing')!.clockStops).toEqual([expect.objectContaining({ reason: 'supplement_requested', resumedAt: null })]);
      expect(entry).toMatchObject({
        type: 'project.suspended',
        step: null,
        actor: REGISTRAR.id,
        comment: SUSPEND.comment,
        data: { from: 'active', to: 'suspended', clocksStopped: ['land_prereview'] },
      });
    });

    it.each([[undefined], [null], [''], ['  ']])('refuses to suspend without naming the special procedure (comment %p)', (comment) => {
      const p = new StandardProject();
      const before = p.state.snapshot();

      const err = refusal(() => p.state.applyProjectAction({ action: 'suspend', comment }, p.next(REGISTRAR)));

      expect(err.code).toBe(DomainErrorCode.ActionInvalid);
      expect(err.message).toMatch(/^suspend needs a comment: name the special procedure/);
      expect(p.state.snapshot()).toEqual(before);
    });

    it.each(STEP_ACTIONS.map((a) => [a] as const))('refuses %s on a step while the project is suspended', (action) => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'in_review');
      p.project(SUSPEND);
      const before = p.state.snapshot();

      const err = refusal(() => p.state.applyStepAction(PROBE_STEP, inputFor(action), p.next()));

      expect(err.code).toBe(DomainErrorCode.ProjectSuspended);
      expect(err.message).toContain(`project ${REGISTRATION.code} is suspended (special procedure since ${shanghaiTime(before.suspendedAt)}); resume it before acting on its steps`);
      expect(p.state.availableActions(PROBE_STEP)).toEqual([]);
      expect(p.state.snapshot()).toEqual(before);
    });

    it('refuses to suspend a project that is already suspended', () => {
      const p = new StandardProject();
      p.project(SUSPEND);
      const before = p.state.snapshot();

      const err = refusal(() => p.state.applyProjectAction(SUSPEND, p.next(REGISTRAR)));

      expect(err.code).toBe(DomainErrorCode.ProjectInvalidState);
      expect(err.message).toContain(`is already suspended (since ${shanghaiTime(before.suspendedAt)})`);
      expect(p.state.snapshot()).toEqual(before);
    });

    it('restarts the stopped clocks on resume', () => {
      const p = new StandardProject();
      p.act('land_prereview', 'accept');
      const suspendedAt = p.peekAt();
      p.project(SUSPEND);
      const resumedAt = p.peekAt();

      const [entry] = p.project({ action: 'resume' });

      expect(p.state.snapshot()).toMatchObject({ status: 'active', suspendedAt: null });
      expect(p.state.step('land_prereview')!.clockStops).toEqual([{ stoppedAt: suspendedAt, resumedAt, reason: 'project_suspended' }]);
      expect(entry).toMatchObject({ type: 'project.resumed', data: { from: 'suspended', to: 'active', clocksResumed: ['land_prereview'], suspendedAt } });
      expect(p.state.availableActions('land_prereview')).toEqual(['return', 'approve', 'waive', 'reject', 'reassign', 'extend', 'exclude']);
    });

    it('leaves a supplement clock stop open across a suspension', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'supplement_requested');
      p.project(SUSPEND);
      p.project({ action: 'resume' });

      expect(p.state.step(PROBE_STEP)!.clockStops).toEqual([expect.objectContaining({ reason: 'supplement_requested', resumedAt: null })]);
    });

    it('lets steps be acted on again after resume', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'in_review');
      p.project(SUSPEND);
      p.project({ action: 'resume' });

      p.act(PROBE_STEP, 'approve');

      expect(p.stateOf(PROBE_STEP)).toBe('approved');
    });

    it('refuses to resume a project that is not suspended', () => {
      const p = new StandardProject();
      const before = p.state.snapshot();

      const err = refusal(() => p.state.applyProjectAction({ action: 'resume' }, p.next(REGISTRAR)));

      expect(err.code).toBe(DomainErrorCode.ProjectInvalidState);
      expect(err.message).toContain('is not suspended; only a suspended project can be resumed');
      expect(p.state.snapshot()).toEqual(before);
    });

    it('refuses an unknown project action', () => {
      const p = new StandardProject();

      const err = refusal(() => p.state.checkProjectAction({ action: 'archive' as ProjectActionKind }, p.peekAt()));

      expect(err.code).toBe(DomainErrorCode.ActionInvalid);
      expect(err.message).toContain("unknown project action 'archive'; use one of: suspend, resume, cancel, escalate");
    });
  });

  describe('cancellation', () => {
    it.each([[undefined], [''], ['   ']])('refuses to cancel without saying why (comment %p)', (comment) => {
      const p = new StandardProject();
      const before = p.state.snapshot();

      const err = refusal(() => p.state.applyProjectAction({ action: 'cancel', comment }, p.next(REGISTRAR)));

      expect(err.code).toBe(DomainErrorCode.ActionInvalid);
      expect(err.message).toMatch(/^cancel needs a comment: /);
      expect(p.state.snapshot()).toEqual(before);
    });

    it('closes the project on cancel', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'in_review');
      const at = p.peekAt();

      const [entry] = p.project(CANCEL);

      expect(p.state.snapshot()).toMatchObject({ status: 'cancelled', closedAt: at });
      expect(p.state.isClosed).toBe(true);
      expect(entry).toMatchObject({ comment: CANCEL.comment, data: { from: 'active', to: 'cancelled' } });
    });

    it('records the cancellation on the timeline as project.cancelled, spelled like the status', () => {
      const p = new StandardProject();

      const [entry] = p.project(CANCEL);

      expect(entry!.type).toBe(`project.${p.state.status}`);
      expect(entry!.type).toBe('project.cancelled');
    });

    it('cancels a suspended project', () => {
      const p = new StandardProject();
      p.project(SUSPEND);

      const [entry] = p.project(CANCEL);

      expect(p.state.status).toBe('cancelled');
      expect(entry!.data).toMatchObject({ from: 'suspended', to: 'cancelled' });
    });

    it('refuses every step action and every project action after cancel', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'in_review');
      p.project(CANCEL);
      const before = p.state.snapshot();

      for (const def of STANDARD.steps) {
        for (const action of STEP_ACTIONS) {
          const err = refusal(() => p.state.applyStepAction(def.key, inputFor(action), p.next()));
          expect(err.code).toBe(DomainErrorCode.ProjectClosed);
          expect(err.message).toContain(`is cancelled (since ${shanghaiTime(before.closedAt)}); no further actions are possible`);
        }
      }
      for (const action of PROJECT_ACTIONS) {
        expect(refusal(() => p.state.applyProjectAction(projectInputFor(action), p.next(REGISTRAR))).code).toBe(DomainErrorCode.ProjectClosed);
      }
      expect(p.state.snapshot()).toEqual(before);
    });
  });

  describe('version', () => {
    it('increases by exactly one per applied action, whatever the action sets off', () => {
      const p = new StandardProject();
      const versions = [p.state.version];
      const record = () => versions.push(p.state.version);

      p.act('project_filing', { action: 'reassign', assignee: 'officer-zhao' });
      record();
      p.act('project_filing', 'accept');
      record();
      p.act('project_filing', 'return');
      record();
      p.act('project_filing', 'resubmit');
      record();
      p.act('project_filing', 'approve'); // also unblocks two steps
      record();
      p.act('land_prereview', 'waive'); // also unblocks a step and changes the stage
      record();
      p.project(SUSPEND);
      record();
      p.project({ action: 'resume' });
      record();
      p.act('land_auction', 'accept');
      record();
      p.act('land_auction', 'reject');
      record();
      p.project(CANCEL);
      record();

      expect(versions[0]).toBe(1);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
      expect(p.state.snapshot().version).toBe(versions.at(-1));
    });

    it.each([
      ['an action the step state refuses', (p: StandardProject) => p.state.applyStepAction('land_auction', { action: 'accept' }, p.next())],
      ['a return without a comment', (p: StandardProject) => p.state.applyStepAction('project_filing', { action: 'return' }, p.next())],
      ['an unknown step', (p: StandardProject) => p.state.applyStepAction('nowhere', { action: 'accept' }, p.next())],
      ['a reassign without an assignee', (p: StandardProject) => p.state.applyStepAction('project_filing', { action: 'reassign' }, p.next())],
      ['a resume of an active project', (p: StandardProject) => p.state.applyProjectAction({ action: 'resume' }, p.next())],
      ['a cancel without a comment', (p: StandardProject) => p.state.applyProjectAction({ action: 'cancel' }, p.next())],
    ])('changes nothing when it refuses %s', (_name, act) => {
      const p = new StandardProject();
      p.act('project_filing', 'accept');
      const before = p.state.snapshot();

      expect(() => act(p)).toThrow(expect.objectContaining({ name: 'DomainError' }));

      expect(p.state.snapshot()).toEqual(before);
    });

    it('does not advance the timeline numbering on a refusal', () => {
      const p = new StandardProject();
      const seq = p.state.snapshot().timelineSeq;
      refusal(() => p.state.applyStepAction('project_filing', { action: 'approve' }, p.next()));

      const [entry] = p.act('project_filing', 'accept');

      expect(entry!.seq).toBe(seq + 1);
    });
  });
});

describe('back-dated actions (occurredAt)', () => {
  const at = '2026-11-29T10:00:00.000Z';
  const reg = { code: '2022-330602-39-03-000901', name: '补录项目', track: 'standard' as const, district: '越城区', investor: null, investmentYuan: null, signedAt: '2022-03-05' };
  const officer = { id: 'drc-wang', department: 'development_reform' as const };
  const register = () => ProjectState.register(latestTrackDefinition('standard'), reg, { at: '2022-03-07T01:00:00.000Z', actor: officer }).state;

  it('records the action at the instant it really happened, and the recording time beside it', () => {
    const state = register();
    const [entry] = state.applyStepAction('project_filing', { action: 'accept', occurredAt: '2022-03-08T10:00:00+08:00' }, { at, actor: officer });
    expect(state.step('project_filing')!.acceptedAt).toBe('2022-03-08T02:00:00.000Z');
    expect(entry).toMatchObject({ at: '2022-03-08T02:00:00.000Z', data: { recordedAt: at } });
  });

  it('refuses an instant before the step last changed, or in the future, or without an offset', () => {
    const state = register();
    state.applyStepAction('project_filing', { action: 'accept', occurredAt: '2022-03-08T10:00:00+08:00' }, { at, actor: officer });
    const refusedWith = (occurredAt: string) => {
      try {
        state.checkStepAction('project_filing', { action: 'approve', occurredAt }, at);
        return null;
      } catch (e) {
        return e as DomainError;
      }
    };
    expect(refusedWith('2022-03-08T09:00:00+08:00')).toMatchObject({ code: 'ACTION.INVALID', message: expect.stringContaining("before the step's last change") });
    expect(refusedWith('2027-01-01T00:00:00+08:00')).toMatchObject({ code: 'ACTION.INVALID', message: expect.stringContaining('in the future') });
    expect(refusedWith('2022-03-09T10:00:00')).toMatchObject({ code: 'ACTION.INVALID', message: expect.stringContaining('with offset') });
    expect(refusedWith('2022-03-09T10:00:00+08:00')).toBeNull();
  });
});

describe('a held clock keeps the light it had when it stopped', () => {
  it('shows green for a step suspended early in its limit, even when the record is entered years later', () => {
    const officer = { id: 'po-sun', department: 'project_office' as const };
    const reg = { code: '2022-330602-39-03-000902', name: '补录项目', track: 'standard' as const, district: '越城区', investor: null, investmentYuan: null, signedAt: '2022-05-20' };
    const state = ProjectState.register(latestTrackDefinition('standard'), reg, { at: '2022-05-22T01:00:00.000Z', actor: officer }).state;
    const now = '2026-11-29T10:00:00.000Z';
    state.applyStepAction('land_prereview', { action: 'accept', occurredAt: '2022-05-26T10:00:00+08:00' }, { at: now, actor: officer });
    const first = state.clockRequests()[0]!;
    const plan = { dueOn: '2022-06-24', dueAt: '2022-06-24T16:00:00.000Z', stopped: false, provisional: false, yellowAt: '2022-06-21T16:00:00.000Z', escalateAt: '2022-06-29T16:00:00.000Z', repeatAts: [] };
    state.applyClockPlans([{ request: first, plan }], { at: now, actor: officer });
    expect(state.step('land_prereview')!.light).toBe('red'); // a late record: as of today, years after its deadline, at once
    state.applyProjectAction({ action: 'suspend', comment: '专家评审', occurredAt: '2022-05-30T10:00:00+08:00' }, { at: now, actor: officer });
    const held = state.clockRequests()[0]!;
    state.applyClockPlans([{ request: held, plan: { ...plan, dueOn: null, dueAt: null, stopped: true, yellowAt: null, escalateAt: null } }], { at: now, actor: officer });
    expect(state.step('land_prereview')!.light).toBe('green'); // as it stood on 2022-05-30
    expect(state.snapshot().light).toBe('green');
  });
});
