import { describe, it, expect } from '@jest/globals';
import {
  DomainErrorCode,
  ProjectState,
  STEP_ACTIONS,
  STEP_STATES,
  type StepActionKind,
  type StepState,
} from '../../../libs/domain/index.js';
import { HEAD, inputFor, OFFICER, PROBE_STEP, REGISTRAR, REGISTRATION, STANDARD, StandardProject, refusal } from './standard-project.fixture.js';

/*
 * The step state machine of DESIGN.md §4, written out by hand (not read from STEP_ACTION_RULES) so that a
 * change to the table in the code shows up here. An allowed action names the state it leads to; a refused
 * one names what the officer's message must say.
 */
type Outcome = { to: StepState } | { refused: RegExp };

const closedMessage = (state: string) => new RegExp(`is already ${state} \\(.+\\) and closed`);
const blocked: Outcome = { refused: /is blocked until land_prereview \(用地预审与选址\) is approved or waived/ };
const firstAccept: Outcome = { refused: /receive or accept it first/ };
const waitsAcceptance: Outcome = { refused: /was received \(.+\) and waits for acceptance or a one-time supplement notice/ };
const inReview: Outcome = { refused: /is already in review \(accepted .+\); allowed now: return, approve, waive, reject, reassign, extend, exclude/ };
const resubmitFirst: Outcome = { refused: /resubmit it first; allowed now: resubmit, waive, reject, reassign, extend/ };
const reopen: Outcome = { refused: /accept a new application to reopen it; allowed now: receive, accept, reassign/ };
const closed = (state: string): Outcome => ({ refused: closedMessage(state) });

/**
 * The probe step (挂牌出让, standard@1) issues no certificate and starts no validity, so `delivered` is out of its
 * reach and `deliver`/`renew` are refused for that reason; the certificate step's own table is below.
 */
const PROBE_STATES = STEP_STATES.filter((s): s is Exclude<StepState, 'delivered'> => s !== 'delivered');
const OUTCOMES: Record<Exclude<StepState, 'delivered'>, Record<StepActionKind, Outcome>> = {
  blocked: {
    receive: blocked,
    accept: blocked,
    return: blocked,
    resubmit: blocked,
    approve: blocked,
    deliver: blocked,
    waive: blocked,
    reject: blocked,
    reassign: { to: 'blocked' },
    extend: blocked,
    exclude: blocked,
    end_exclusion: blocked,
    renew: blocked,
  },
  ready: {
    receive: { to: 'received' },
    accept: { to: 'in_review' },
    return: firstAccept,
    resubmit: firstAccept,
    approve: firstAccept,
    deliver: firstAccept,
    waive: { to: 'waived' },
    reject: firstAccept,
    reassign: { to: 'ready' },
    extend: firstAccept,
    exclude: firstAccept,
    end_exclusion: firstAccept,
    renew: firstAccept,
  },
  received: {
    receive: waitsAcceptance,
    accept: { to: 'in_review' },
    return: { to: 'supplement_requested' },
    resubmit: waitsAcceptance,
    approve: waitsAcceptance,
    deliver: waitsAcceptance,
    waive: { to: 'waived' },
    reject: { to: 'rejected' },
    reassign: { to: 'received' },
    extend: waitsAcceptance,
    exclude: waitsAcceptance,
    end_exclusion: waitsAcceptance,
    renew: waitsAcceptance,
  },
  in_review: {
    receive: inReview,
    accept: inReview,
    return: { to: 'supplement_requested' },
    resubmit: inReview,
    approve: { to: 'approved' },
    deliver: inReview,
    waive: { to: 'waived' },
    reject: { to: 'rejected' },
    reassign: { to: 'in_review' },
    extend: { to: 'in_review' },
    exclude: { to: 'in_review' },
    end_exclusion: { refused: /it is not in an excluded period/ },
    renew: inReview,
  },
  supplement_requested: {
    receive: resubmitFirst,
    accept: resubmitFirst,
    return: resubmitFirst,
    resubmit: { to: 'in_review' },
    approve: resubmitFirst,
    deliver: resubmitFirst,
    waive: { to: 'waived' },
    reject: { to: 'rejected' },
    reassign: { to: 'supplement_requested' },
    extend: { to: 'supplement_requested' },
    exclude: resubmitFirst,
    end_exclusion: resubmitFirst,
    renew: resubmitFirst,
  },
  approved: {
    receive: closed('approved'),
    accept: closed('approved'),
    return: closed('approved'),
    resubmit: closed('approved'),
    approve: closed('approved'),
    deliver: { refused: /it issues no certificate to deliver \(行政许可法 Art. 44\)/ },
    waive: closed('approved'),
    reject: closed('approved'),
    reassign: closed('approved'),
    extend: closed('approved'),
    exclude: closed('approved'),
    end_exclusion: closed('approved'),
    renew: { refused: /it has no running validity to renew/ },
  },
  waived: Object.fromEntries(STEP_ACTIONS.map((a) => [a, closed('waived')])) as Record<StepActionKind, Outcome>,
  rejected: {
    receive: { to: 'received' },
    accept: { to: 'in_review' },
    return: reopen,
    resubmit: reopen,
    approve: reopen,
    deliver: reopen,
    waive: reopen,
    reject: reopen,
    reassign: { to: 'rejected' },
    extend: reopen,
    exclude: reopen,
    end_exclusion: reopen,
    renew: reopen,
  },
};

const TIMELINE_TYPE: Record<StepActionKind, string> = {
  receive: 'step.received',
  accept: 'step.accepted',
  return: 'step.returned',
  resubmit: 'step.resubmitted',
  approve: 'step.approved',
  deliver: 'step.delivered',
  waive: 'step.waived',
  reject: 'step.rejected',
  reassign: 'step.reassigned',
  extend: 'step.extended',
  exclude: 'step.excluded',
  end_exclusion: 'step.exclusion_ended',
  renew: 'step.renewed',
};

const rows = PROBE_STATES.flatMap((from) => STEP_ACTIONS.map((action) => ({ from, action, outcome: OUTCOMES[from as Exclude<StepState, 'delivered'>][action] })));
const allowedRows = rows.filter((r): r is { from: Exclude<StepState, 'delivered'>; action: StepActionKind; outcome: { to: StepState } } => 'to' in r.outcome);
const refusedRows = rows.filter((r): r is { from: Exclude<StepState, 'delivered'>; action: StepActionKind; outcome: { refused: RegExp } } => 'refused' in r.outcome);

describe(ProjectState.name, () => {
  describe('registration', () => {
    it('opens the project in its first stage with the steps without dependencies ready and the rest blocked', () => {
      const p = new StandardProject();
      const snap = p.state.snapshot();

      expect(snap).toMatchObject({
        ...REGISTRATION,
        investmentYuan: '1250000000', // canonical form: no trailing zeros in the fraction
        status: 'active',
        stage: 'initiation',
        version: 1,
        definitionVersion: 1,
        registeredBy: REGISTRAR.id,
      });
      expect(snap.suspendedAt).toBeNull();
      expect(snap.closedAt).toBeNull();
      const ready = snap.steps.filter((s) => s.state === 'ready').map((s) => s.key);
      expect(ready).toEqual(['project_filing', 'land_prereview']);
      expect(snap.steps.filter((s) => s.state === 'blocked')).toHaveLength(STANDARD.steps.length - 2);
      for (const s of snap.steps) expect(s.readyAt).toBe(s.state === 'ready' ? snap.registeredAt : null);
    });

    it('records the registration and each ready step on the timeline, numbered from 1', () => {
      const p = new StandardProject();

      expect(p.timeline.map((e) => [e.seq, e.type, e.step])).toEqual([
        [1, 'project.registered', null],
        [2, 'step.ready', 'project_filing'],
        [3, 'step.ready', 'land_prereview'],
      ]);
      expect(p.timeline[0]).toMatchObject({ actor: REGISTRAR.id, actorDepartment: 'project_office', data: { track: 'standard', definition: 'standard@1', signedAt: '2022-03-15' } });
      expect(p.timeline[1]).toMatchObject({ actor: 'system', actorDepartment: null });
      expect(p.state.snapshot().timelineSeq).toBe(3);
    });
  });

  describe('every step action from every step state', () => {
    it('covers all 13 actions × the 8 states the probe step can reach', () => {
      expect(rows).toHaveLength(104);
      expect(allowedRows.length + refusedRows.length).toBe(104);
    });

    it.each(allowedRows.map((r) => [r.action, r.from, r.outcome.to] as const))('lets an officer %s a step that is %s, leaving it %s', (action, from, to) => {
      const p = new StandardProject().bringTo(PROBE_STEP, from);
      const before = p.state.version;

      const entries = p.act(PROBE_STEP, action);

      expect(p.stateOf(PROBE_STEP)).toBe(to);
      expect(p.state.version).toBe(before + 1);
      const actor = action === 'extend' ? HEAD : OFFICER;
      expect(entries[0]).toMatchObject({ type: TIMELINE_TYPE[action], step: PROBE_STEP, actor: actor.id, actorDepartment: actor.department, data: { from, to } });
    });

    it.each(refusedRows.map((r) => [r.action, r.from, r.outcome.refused] as const))(
      'refuses %s when the step is %s and tells the officer what to do',
      (action, from, message) => {
        const p = new StandardProject().bringTo(PROBE_STEP, from);
        const before = p.state.snapshot();

        const err = refusal(() => p.state.applyStepAction(PROBE_STEP, inputFor(action), p.next()));

        expect(err.code).toBe(DomainErrorCode.StepInvalidState);
        expect(err.message).toContain(`cannot ${action} step '${PROBE_STEP}' (挂牌出让)`);
        expect(err.message).toMatch(message);
        expect(p.state.snapshot()).toEqual(before);
      },
    );

    it.each(PROBE_STATES.map((s) => [s] as const))('offers exactly the allowed actions when the step is %s', (from) => {
      const p = new StandardProject().bringTo(PROBE_STEP, from);
      const expected = STEP_ACTIONS.filter((a) => 'to' in OUTCOMES[from as Exclude<StepState, 'delivered'>][a]);

      expect(p.state.availableActions(PROBE_STEP)).toEqual(expected);
      for (const action of STEP_ACTIONS) {
        const check = () => p.state.checkStepAction(PROBE_STEP, inputFor(action), p.peekAt());
        if (expected.includes(action)) expect(check).not.toThrow();
        else expect(check).toThrow(expect.objectContaining({ code: DomainErrorCode.StepInvalidState }));
      }
    });

    it('refuses approve when the step is still waiting for the applicant', () => {
      const p = new StandardProject();

      const err = refusal(() => p.state.applyStepAction('project_filing', { action: 'approve' }, p.next()));

      expect(err.code).toBe(DomainErrorCode.StepInvalidState);
      expect(err.message).toContain("is waiting for the applicant's submission; receive or accept it first");
      expect(err.message).toContain('allowed now: receive, accept, waive, reassign');
    });

    it('names every step still holding a blocked step back', () => {
      const p = new StandardProject();

      const err = refusal(() => p.state.applyStepAction('land_use_planning_permit', { action: 'accept' }, p.next()));

      expect(err.code).toBe(DomainErrorCode.StepInvalidState);
      expect(err.message).toContain('is blocked until project_filing (项目备案/核准), land_contract (国有建设用地使用权出让合同) are approved or waived');
      expect(err.message).toContain('allowed now: reassign');
    });

    it('names only the dependency still open once the others are done', () => {
      const p = new StandardProject();
      p.approve('project_filing');

      const err = refusal(() => p.state.checkStepAction('land_use_planning_permit', { action: 'accept' }, p.peekAt()));

      expect(err.message).toContain('is blocked until land_contract (国有建设用地使用权出让合同) is approved or waived');
      expect(err.message).not.toContain('project_filing');
    });
  });

  describe('what each action needs', () => {
    it.each([['return'], ['waive'], ['reject']] as const)('refuses %s without a comment, saying what the comment must give', (action) => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'in_review');
      const before = p.state.snapshot();

      for (const comment of [undefined, null, '', '   ']) {
        const err = refusal(() => p.state.applyStepAction(PROBE_STEP, { action, comment }, p.next()));
        expect(err.code).toBe(DomainErrorCode.ActionInvalid);
        expect(err.message).toMatch(new RegExp(`^${action} needs a comment: .+`));
      }
      expect(p.state.snapshot()).toEqual(before);
    });

    it.each([['accept'], ['approve'], ['resubmit']] as const)('lets %s go through without a comment', (action) => {
      const from: StepState = action === 'accept' ? 'ready' : action === 'approve' ? 'in_review' : 'supplement_requested';
      const p = new StandardProject().bringTo(PROBE_STEP, from);

      const [entry] = p.act(PROBE_STEP, { action });

      expect(entry!.comment).toBeNull();
      expect(p.state.step(PROBE_STEP)!.comment).toBeNull();
    });

    it('keeps the comment on the step and on the timeline entry', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'in_review');

      const [entry] = p.act(PROBE_STEP, { action: 'return', comment: 'missing: site survey, land price receipt' });

      expect(entry!.comment).toBe('missing: site survey, land price receipt');
      expect(p.state.step(PROBE_STEP)).toMatchObject({ comment: 'missing: site survey, land price receipt', actor: OFFICER.id });
    });

    it.each([[undefined], [null], [''], ['  ']])('refuses reassign without an assignee (%p)', (assignee) => {
      const p = new StandardProject();

      const err = refusal(() => p.state.applyStepAction('project_filing', { action: 'reassign', assignee }, p.next()));

      expect(err.code).toBe(DomainErrorCode.ActionInvalid);
      expect(err.message).toContain('reassign needs an assignee');
    });

    it('reassigns a step to another officer without counting it as progress', () => {
      const p = new StandardProject();
      const progressBefore = p.state.snapshot().lastProgressAt;

      const [entry] = p.act('project_filing', { action: 'reassign', assignee: 'officer-zhao' });
      const [second] = p.act('project_filing', { action: 'reassign', assignee: 'officer-qian' });

      expect(p.state.step('project_filing')!.assignee).toBe('officer-qian');
      expect(entry!.data).toMatchObject({ previousAssignee: null, assignee: 'officer-zhao' });
      expect(second!.data).toMatchObject({ previousAssignee: 'officer-zhao', assignee: 'officer-qian' });
      expect(p.state.snapshot().lastProgressAt).toBe(progressBefore);
    });

    it('refuses to reassign a step to the officer who already has it', () => {
      const p = new StandardProject();
      p.act('project_filing', { action: 'reassign', assignee: 'officer-zhao' });

      const err = refusal(() => p.state.applyStepAction('project_filing', { action: 'reassign', assignee: 'officer-zhao' }, p.next()));

      expect(err.code).toBe(DomainErrorCode.ActionInvalid);
      expect(err.message).toContain('already assigned to officer-zhao');
    });

    it('refuses to waive groundbreaking once it is ready', () => {
      const p = new StandardProject().bringTo('groundbreaking', 'ready');

      const err = refusal(() => p.state.applyStepAction('groundbreaking', inputFor('waive'), p.next()));

      expect(err.code).toBe(DomainErrorCode.StepNotWaivable);
      expect(err.message).toContain("step 'groundbreaking' (开工) cannot be waived (容缺); approve it once done");
      expect(p.state.availableActions('groundbreaking')).toEqual(['receive', 'accept', 'reassign']);
    });

    it('refuses to waive groundbreaking while it is in review', () => {
      const p = new StandardProject().bringTo('groundbreaking', 'in_review');

      const err = refusal(() => p.state.checkStepAction('groundbreaking', inputFor('waive'), p.peekAt()));

      expect(err.code).toBe(DomainErrorCode.StepNotWaivable);
      expect(p.state.availableActions('groundbreaking')).toEqual(['return', 'approve', 'reject', 'reassign', 'extend', 'exclude']);
    });

    it('refuses an unknown step, listing the steps of the track', () => {
      const p = new StandardProject();

      const err = refusal(() => p.state.applyStepAction('fire_inspection', { action: 'accept' }, p.next()));

      expect(err.code).toBe(DomainErrorCode.StepNotFound);
      expect(err.message).toContain(`project ${REGISTRATION.code} has no step 'fire_inspection'`);
      expect(err.message).toContain(`its steps are: ${STANDARD.steps.map((s) => s.key).join(', ')}`);
      expect(p.state.availableActions('fire_inspection')).toEqual([]);
    });

    it.each([['escalate'], ['bogus'], ['constructor'], ['toString'], ['__proto__']])('refuses the unknown step action %s as invalid', (action) => {
      const p = new StandardProject();

      const err = refusal(() => p.state.checkStepAction('project_filing', { action: action as StepActionKind }, p.peekAt()));

      expect(err.code).toBe(DomainErrorCode.ActionInvalid);
      expect(err.message).toContain(`unknown step action '${action}'; use one of: ${STEP_ACTIONS.join(', ')}`);
    });
  });

  describe('what each action records on the step', () => {
    it('starts the clock on accept', () => {
      const p = new StandardProject();
      const at = p.peekAt();

      p.act('project_filing', 'accept');

      expect(p.state.step('project_filing')).toMatchObject({ state: 'in_review', acceptedAt: at, decidedAt: null, updatedAt: at, clockStops: [] });
    });

    it('stops the clock on return and restarts it on resubmit', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'in_review');
      const returnedAt = p.peekAt();
      p.act(PROBE_STEP, 'return');

      expect(p.state.step(PROBE_STEP)!.clockStops).toEqual([{ stoppedAt: returnedAt, resumedAt: null, reason: 'supplement_requested' }]);

      const resubmittedAt = p.peekAt();
      p.act(PROBE_STEP, 'resubmit');

      expect(p.state.step(PROBE_STEP)!.clockStops).toEqual([{ stoppedAt: returnedAt, resumedAt: resubmittedAt, reason: 'supplement_requested' }]);
    });

    it('keeps one clock stop per supplement round', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'in_review');
      p.act(PROBE_STEP, 'return');
      p.act(PROBE_STEP, 'resubmit');
      p.act(PROBE_STEP, 'return');
      p.act(PROBE_STEP, 'resubmit');

      const stops = p.state.step(PROBE_STEP)!.clockStops;
      expect(stops).toHaveLength(2);
      for (const stop of stops) expect(stop.resumedAt! > stop.stoppedAt).toBe(true);
      expect(stops[1]!.stoppedAt > stops[0]!.resumedAt!).toBe(true);
    });

    it('records the decision instant on approve', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'in_review');
      const at = p.peekAt();

      p.act(PROBE_STEP, 'approve');

      expect(p.state.step(PROBE_STEP)).toMatchObject({ state: 'approved', decidedAt: at });
    });

    it('records the due date of the missing material on waive', () => {
      const p = new StandardProject();
      const at = p.peekAt();

      const [entry] = p.act('project_filing', { action: 'waive', comment: 'energy report to follow', waiverDueOn: '2022-05-31' });

      expect(p.state.step('project_filing')).toMatchObject({ state: 'waived', decidedAt: at, waiverDueOn: '2022-05-31', comment: 'energy report to follow' });
      expect(entry!.data).toMatchObject({ waiverDueOn: '2022-05-31' });
    });

    it('waives without a due date when none is given', () => {
      const p = new StandardProject();

      const [entry] = p.act('project_filing', { action: 'waive', comment: 'commitment system (承诺制)' });

      expect(p.state.step('project_filing')!.waiverDueOn).toBeNull();
      expect(entry!.data).not.toHaveProperty('waiverDueOn');
    });

    it('closes the supplement clock stop when a step waiting for supplement is waived', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'supplement_requested');
      const at = p.peekAt();

      p.act(PROBE_STEP, 'waive');

      expect(p.state.step(PROBE_STEP)!.clockStops).toEqual([expect.objectContaining({ resumedAt: at, reason: 'supplement_requested' })]);
    });

    it('closes the supplement clock stop when a step waiting for supplement is rejected', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'supplement_requested');
      const at = p.peekAt();

      p.act(PROBE_STEP, 'reject');

      const rec = p.state.step(PROBE_STEP)!;
      expect(rec).toMatchObject({ state: 'rejected', decidedAt: at });
      // A decided step has no running clock: the stop ends at the decision, as it does for waive.
      expect(rec.clockStops).toEqual([expect.objectContaining({ resumedAt: at, reason: 'supplement_requested' })]);
    });

    it('treats accept after a rejection as a new application with a fresh clock', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'in_review');
      p.act(PROBE_STEP, 'return');
      p.act(PROBE_STEP, 'resubmit');
      p.act(PROBE_STEP, 'reject');
      const at = p.peekAt();

      p.act(PROBE_STEP, 'accept');

      expect(p.state.step(PROBE_STEP)).toMatchObject({ state: 'in_review', acceptedAt: at, decidedAt: null, clockStops: [] });
    });

    it('does not unblock dependents when a step is rejected', () => {
      const p = new StandardProject().bringTo('land_prereview', 'rejected');

      expect(p.stateOf('land_auction')).toBe('blocked');
      expect(p.timeline.filter((e) => e.type === 'step.ready' && e.step === 'land_auction')).toEqual([]);
    });
  });

  describe('a project that is restored or copied', () => {
    it('round-trips through snapshot and restore', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'supplement_requested');
      const snap = p.state.snapshot();

      const restored = ProjectState.restore(STANDARD, snap);

      expect(restored.snapshot()).toEqual(snap);
      expect(restored.version).toBe(p.state.version);
      expect(restored.status).toBe('active');
      expect(restored.code).toBe(REGISTRATION.code);
      expect(restored.availableActions(PROBE_STEP)).toEqual(p.state.availableActions(PROBE_STEP));
    });

    it('continues the timeline numbering and version after a restore', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'in_review');
      const snap = p.state.snapshot();
      const restored = ProjectState.restore(STANDARD, snap);

      const entries = restored.applyStepAction(PROBE_STEP, { action: 'approve' }, p.next());

      expect(entries[0]!.seq).toBe(snap.timelineSeq + 1);
      expect(restored.version).toBe(snap.version + 1);
    });

    it('hands out a snapshot whose changes do not reach the project', () => {
      const p = new StandardProject().bringTo(PROBE_STEP, 'supplement_requested');
      const before = p.state.snapshot();

      const copy = p.state.snapshot();
      copy.status = 'cancelled';
      copy.version = 99;
      copy.steps[0]!.state = 'rejected';
      copy.steps.find((s) => s.key === PROBE_STEP)!.clockStops[0]!.resumedAt = '2030-01-01T00:00:00.000Z';
      copy.steps.pop();

      expect(p.state.snapshot()).toEqual(before);
      expect(p.state.status).toBe('active');
    });

    it('does not share the snapshot it was restored from', () => {
      const p = new StandardProject();
      const snap = p.state.snapshot();
      const restored = ProjectState.restore(STANDARD, snap);

      snap.steps[0]!.state = 'approved';
      snap.stage = 'permits';

      expect(restored.step(snap.steps[0]!.key)!.state).toBe('ready');
      expect(restored.snapshot().stage).toBe('initiation');
    });

    it('keeps step records live behind step() but hands out copies through snapshot()', () => {
      const p = new StandardProject();
      const snap = p.state.snapshot();

      expect(p.state.step('project_filing')).toEqual(snap.steps[0]);
      expect(p.state.step('project_filing')).not.toBe(snap.steps[0]);
      expect(p.state.step('nonexistent')).toBeUndefined();
      expect(p.state.stepDefinition('groundbreaking')).toMatchObject({ waivable: false, department: 'project_office' });
    });
  });
});
