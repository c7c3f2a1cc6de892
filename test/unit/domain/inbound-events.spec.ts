import { describe, expect, it } from '@jest/globals';
import {
  applyInboundEvent,
  eventEffect,
  INBOUND_EVENT_TYPES,
  planInboundEvent,
  type InboundEvent,
  type InboundEventType,
} from '../../../libs/domain/inbound-events.js';
import { latestTrackDefinition, ProjectState, type ActionContext, type Actor, type TrackDefinition, type TrackKey } from '../../../libs/domain/index.js';

/*
 * Inbound events applied to a project through the officer's step actions, per type and per track, as
 * tracks/event-mappings.json says. Instants: the project is registered on 2022-03-16; each officer action takes one day
 * (back-dated), events happen on later days and are recorded "now" (2022-12-01).
 */
const NOW = '2022-12-01T02:00:00.000Z';
const OFFICER: Actor = { id: 'officer-li', department: null, roles: ['officer'] };
const SYSTEM: Actor = { id: 'land-supply', department: null, roles: ['system'] };
const day = (n: number) => new Date(Date.UTC(2022, 2, 16, 2) + n * 86_400_000).toISOString();

/** A registered project on the latest definition of `track`, with an officer's clock of one day per action. */
function project(track: TrackKey) {
  const def = latestTrackDefinition(track);
  const { state } = ProjectState.register(
    def,
    { code: '2022-330602-39-03-000101', name: '智能装备产业园一期', track, district: '滨海新区', investor: null, investmentYuan: null, signedAt: '2022-03-15' },
    { at: day(0), actor: OFFICER },
  );
  let n = 0;
  const ctx = (): ActionContext => ({ at: NOW, actor: OFFICER });
  return {
    state,
    /** Accepts and approves `steps` in order, each on its own day. */
    approve(...steps: string[]) {
      for (const step of steps) {
        state.applyStepAction(step, { action: 'accept', occurredAt: day(++n) }, ctx());
        state.applyStepAction(step, { action: 'approve', occurredAt: day(++n) }, ctx());
      }
    },
    /** An event of `type` that happened the day after the last action. */
    event(type: InboundEventType, data: Record<string, unknown> = {}, id = `${type}-1`): InboundEvent {
      return { id, source: 'land-supply', type, projectCode: state.code, occurredAt: day(++n), data };
    },
  };
}

const apply = (state: ProjectState, event: InboundEvent) => applyInboundEvent(state, event, { at: NOW, actor: SYSTEM }, null);

describe('inbound events on the standard track', () => {
  it('project_filed approves the project filing (项目备案), which the EIA and energy review wait for', () => {
    const p = project('standard');
    const event = p.event('project_filed');
    expect(apply(p.state, event).status).toBe('applied');
    expect(p.state.step('project_filing')).toMatchObject({ state: 'approved', decidedAt: event.occurredAt });
    expect(p.state.step('eia_approval')!.state).toBe('ready');
  });

  it('land_contract_signed approves the land contract on its day, with the contract terms', () => {
    const p = project('standard');
    p.approve('land_prereview', 'land_auction');
    const event = p.event('land_contract_signed', { contractTerms: { preparationMonths: 6, buildMonths: 24 } });
    const outcome = apply(p.state, event);
    expect(outcome.status).toBe('applied');
    if (outcome.status !== 'applied') return;
    expect(outcome.entries.filter((e) => e.step === 'land_contract').map((e) => e.type)).toEqual(['step.accepted', 'step.approved', 'expiry.started', 'expiry.started']);
    expect(p.state.step('land_contract')).toMatchObject({ state: 'approved', decidedAt: event.occurredAt });
    expect(outcome.entries.find((e) => e.type === 'step.approved')!.actor).toBe('land-supply');
  });

  it('land_price_paid records the fact and makes the land title ready', () => {
    const p = project('standard');
    p.approve('land_prereview', 'land_auction', 'land_contract');
    const outcome = apply(p.state, p.event('land_price_paid', { reference: '缴款书 330600-2022-001234', amountYuan: '36500000.00' }));
    expect(outcome.status).toBe('applied');
    expect(p.state.snapshot().facts).toEqual([expect.objectContaining({ kind: 'land_price_paid', reference: '缴款书 330600-2022-001234' })]);
    expect(p.state.step('land_title')!.state).toBe('ready');
  });

  it('land_title_registered accepts, approves and delivers the title certificate', () => {
    const p = project('standard');
    p.approve('land_prereview', 'land_auction', 'land_contract');
    expect(apply(p.state, p.event('land_price_paid')).status).toBe('applied');
    const event = p.event('land_title_registered');
    const outcome = apply(p.state, event);
    expect(outcome.status === 'applied' && outcome.entries.filter((e) => e.step === 'land_title').map((e) => e.type)).toEqual(['step.accepted', 'step.approved', 'step.delivered']);
    expect(p.state.step('land_title')).toMatchObject({ state: 'delivered', decidedAt: event.occurredAt, deliveredAt: event.occurredAt });
  });

  it('planning_permit_issued delivers the land-use planning permit', () => {
    const p = project('standard');
    p.approve('project_filing', 'land_prereview', 'land_auction', 'land_contract');
    expect(apply(p.state, p.event('planning_permit_issued')).status).toBe('applied');
    expect(p.state.step('land_use_planning_permit')!.state).toBe('delivered');
    expect(p.state.step('construction_planning_permit')!.state).toBe('ready');
  });

  it('eia_approved delivers the EIA approval, also from a step already in review', () => {
    const p = project('standard');
    p.approve('project_filing');
    p.state.applyStepAction('eia_approval', { action: 'accept', occurredAt: day(2) }, { at: NOW, actor: OFFICER });
    const outcome = apply(p.state, p.event('eia_approved'));
    expect(outcome.status === 'applied' && outcome.entries.filter((e) => e.step === 'eia_approval').map((e) => e.type)).toEqual(['step.approved', 'step.delivered']);
  });

  it('construction_permit_issued delivers the construction permit once its dependencies are done', () => {
    const p = project('standard');
    p.approve('project_filing', 'land_prereview', 'land_auction', 'land_contract', 'land_use_planning_permit', 'construction_planning_permit', 'drawing_review');
    expect(apply(p.state, p.event('land_price_paid')).status).toBe('applied');
    p.approve('land_title');
    expect(apply(p.state, p.event('construction_permit_issued')).status).toBe('applied');
    expect(p.state.step('construction_permit')!.state).toBe('delivered');
  });

  it('customs_acceptance_passed affects no step of the standard track: needs attention, nothing changed', () => {
    const p = project('standard');
    const before = p.state.snapshot();
    expect(apply(p.state, p.event('customs_acceptance_passed'))).toEqual({
      status: 'needs_attention',
      reason: "'customs_acceptance_passed' (海关牵头联合验收通过) affects no step of the standard track",
      retryable: false,
    });
    expect(p.state.snapshot()).toEqual(before);
  });
});

describe('inbound events on the bonded-zone track', () => {
  it('customs_acceptance_passed approves the customs-led joint acceptance', () => {
    const p = project('bonded_zone');
    p.approve('groundbreaking', 'topping_out', 'completion', 'provincial_pre_acceptance');
    const event = p.event('customs_acceptance_passed');
    expect(apply(p.state, event).status).toBe('applied');
    expect(p.state.step('customs_joint_acceptance')).toMatchObject({ state: 'approved', decidedAt: event.occurredAt });
    expect(p.state.step('sealed_operation')!.state).toBe('ready');
  });

  it.each(INBOUND_EVENT_TYPES.filter((t) => t !== 'customs_acceptance_passed'))('%s affects no step: needs attention', (type) => {
    const p = project('bonded_zone');
    const outcome = apply(p.state, p.event(type));
    expect(outcome).toMatchObject({ status: 'needs_attention', reason: expect.stringMatching(/affects no step of the bonded_zone track/), retryable: false });
  });
});

describe('events that do not fit the step', () => {
  it('a step still blocked: needs attention, retryable, and it applies once the dependency is done', () => {
    const p = project('standard');
    const early = p.event('land_price_paid');
    expect(apply(p.state, early)).toEqual({
      status: 'needs_attention',
      reason: "'land_price_paid' follows land_contract (国有建设用地使用权出让合同), not done yet",
      retryable: true,
    });
    const contract = project('standard');
    contract.approve('land_prereview', 'land_auction');
    const blocked = apply(contract.state, contract.event('land_title_registered'));
    expect(blocked).toMatchObject({ status: 'needs_attention', retryable: true, reason: expect.stringMatching(/step 'land_title' \(不动产权证\) is blocked: it waits for land_contract .*, land_price_paid/) });
  });

  it('a step already approved: needs attention with when, nothing changed', () => {
    const p = project('standard');
    p.approve('project_filing', 'eia_approval');
    p.state.applyStepAction('eia_approval', { action: 'deliver', occurredAt: day(10) }, { at: NOW, actor: OFFICER });
    const before = p.state.snapshot();
    const outcome = apply(p.state, p.event('eia_approved'));
    expect(outcome).toMatchObject({ status: 'needs_attention', retryable: false, reason: expect.stringMatching(/^step 'eia_approval' \(环境影响评价审批\) is already delivered \(2022-03-20 /) });
    expect(p.state.snapshot()).toEqual(before);
  });

  it('an event dated before the step last changed is refused with the officer rule, all or nothing', () => {
    const p = project('standard');
    p.approve('project_filing');
    const event = { ...p.event('eia_approved'), occurredAt: day(0) };
    const before = p.state.snapshot();
    const outcome = apply(p.state, event);
    expect(outcome.status).toBe('needs_attention');
    expect(p.state.snapshot()).toEqual(before);
  });

  it("a source reporting for another department's step: needs attention", () => {
    const p = project('standard');
    p.approve('project_filing');
    const plan = planInboundEvent(p.state, p.event('eia_approved'), { sourceDepartment: 'natural_resources', now: NOW });
    expect(plan).toMatchObject({ ok: false, reason: "source 'land-supply' reports for natural_resources; step 'eia_approval' (环境影响评价审批) is ecology_environment's" });
  });

  it('every type names an effect on some track, each naming its source', () => {
    for (const type of INBOUND_EVENT_TYPES) {
      const effects = (['standard', 'bonded_zone'] as const).map((t) => eventEffect(t, type)).filter((e) => e !== null);
      expect({ type, effects: effects.length > 0 }).toEqual({ type, effects: true });
      for (const e of effects) expect(e.source.length).toBeGreaterThan(10);
    }
  });
});

describe('inbound events on a definition that carries its own event mappings', () => {
  /** A project on `def`, registered as {@link project} registers one. */
  function projectOn(def: TrackDefinition) {
    const { state } = ProjectState.register(
      def,
      { code: '2022-330602-39-03-000102', name: '某印染企业A搬迁', track: def.track, district: '越城区', investor: null, investmentYuan: null, signedAt: '2022-03-15' },
      { at: day(0), actor: OFFICER },
    );
    return state;
  }

  it('applies the mapping the definition gives, on a track the shipped mapping file does not list', () => {
    const relocation = latestTrackDefinition('relocation');
    expect(eventEffect('relocation', 'land_title_registered')).toBeNull();
    const def: TrackDefinition = {
      ...relocation,
      eventMappings: { land_title_registered: { effect: 'approve', step: 'land_reserve', data: ['reference'], source: 'district practice: the registry records the land in the reserve agency\'s name' } },
    };
    const state = projectOn(def);
    let n = 0;
    for (const step of ['relocation_agreement', 'production_stopped', 'production_stop_verified', 'equipment_removal', 'hazardous_waste_disposal', 'site_investigation', 'no_remediation_needed']) {
      state.applyStepAction(step, { action: 'accept', occurredAt: day(++n) }, { at: NOW, actor: OFFICER });
      state.applyStepAction(step, { action: 'approve', occurredAt: day(++n) }, { at: NOW, actor: OFFICER });
    }
    const event: InboundEvent = { id: 'reg-1', source: 'registry', type: 'land_title_registered', projectCode: state.code, occurredAt: day(n + 1), data: { reference: '浙(2022)绍兴市不动产权第0000001号' } };

    expect(apply(state, event).status).toBe('applied');
    expect(state.step('land_reserve')).toMatchObject({ state: 'approved', decidedAt: event.occurredAt });
    expect(state.step('acceptance')!.state).toBe('ready');
  });

  it('takes the definition\'s mapping as the whole mapping: a type it does not list affects nothing, even where the file maps it', () => {
    const standard = latestTrackDefinition('standard');
    expect(eventEffect('standard', 'project_filed')).not.toBeNull();
    const state = projectOn({ ...standard, eventMappings: {} });

    const plan = planInboundEvent(state, { id: 'f-1', source: 'platform', type: 'project_filed', projectCode: state.code, occurredAt: day(1), data: {} }, { sourceDepartment: null, now: NOW });

    expect(plan).toEqual({ ok: false, effect: null, reason: "'project_filed' (项目备案/核准完成) affects no step of the standard track", retryable: false });
    expect(state.step('project_filing')!.state).toBe('ready');
  });
});
