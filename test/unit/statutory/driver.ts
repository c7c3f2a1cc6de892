import { planRequest } from '../../../activities/clock.activities.js';
import { WorkingDayCalendar, endOfShanghaiDay } from '../../../libs/calendar/index.js';
import {
  computeGovernmentTime,
  getTrackDefinition,
  isStepDone,
  ProjectState,
  SYSTEM_ACTOR,
  type Actor,
  type DueAlert,
  type ProjectActionInput,
  type ProjectRegistration,
  type StepActionInput,
  type TimelineEntry,
  type TrackDefinition,
} from '../../../libs/domain/index.js';

/** standard@3, the definition issue 7's rules ship in. */
export const STANDARD_V3: TrackDefinition = getTrackDefinition('standard', 3);

export const OFFICER: Actor = { id: 'officer-li', department: 'natural_resources', roles: ['officer'] };
export const HEAD: Actor = { id: 'head-zhou', department: 'natural_resources', roles: ['department_head'] };
export const SYSTEM: Actor = { id: 'land-finance-feed', department: null, roles: ['system'] };

export const REGISTRATION: ProjectRegistration = {
  code: '2025-330602-39-03-000701',
  name: 'Precision bearings plant',
  track: 'standard',
  district: 'Binhai New Area',
  investor: 'Shaoxing Example Bearings Co., Ltd.',
  investmentYuan: '800000000',
  signedAt: '2025-02-10',
};

/** An instant at `hh:mm` Asia/Shanghai on `date`. */
export function at(date: string, time = '10:00'): string {
  return new Date(`${date}T${time}:00+08:00`).toISOString();
}

/**
 * A standard@3 project driven like the workflow drives it, without Temporal: every action is followed by the
 * loop's clock work at the same instant (plan on the official calendar, alerts, lights, deemed acceptance), and
 * {@link StatutoryProject.advanceTo} runs that work at a later instant. Alerts collected in `alerts`.
 */
export class StatutoryProject {
  readonly calendar = WorkingDayCalendar.official();
  readonly state: ProjectState;
  readonly timeline: TimelineEntry[] = [];
  readonly alerts: DueAlert[] = [];

  constructor(options: { registration?: Partial<ProjectRegistration>; registeredAt?: string; localKinds?: Record<string, string> } = {}) {
    const { state, entries } = ProjectState.register(
      STANDARD_V3,
      { ...REGISTRATION, ...options.registration },
      { at: options.registeredAt ?? at('2025-02-10', '09:00'), actor: { id: 'office-wang', department: 'project_office' } },
      { localExcludedPeriodKinds: options.localKinds ?? {} },
    );
    this.state = state;
    this.timeline.push(...entries);
  }

  act(step: string, input: StepActionInput, instant: string, actor: Actor = OFFICER): TimelineEntry[] {
    const entries = this.state.applyStepAction(step, input, { at: instant, actor });
    this.timeline.push(...entries);
    this.advanceTo(instant);
    return entries;
  }

  project(input: ProjectActionInput, instant: string): TimelineEntry[] {
    const entries = this.state.applyProjectAction(input, { at: instant, actor: { id: 'supervisor-chen', department: null, roles: ['supervisor'] } });
    this.timeline.push(...entries);
    this.advanceTo(instant);
    return entries;
  }

  landPricePaid(instant: string): void {
    this.timeline.push(...this.state.applyFact({ kind: 'land_price_paid', occurredAt: instant, reference: 'SX-2025-0307', amountYuan: '36000000' }, { at: instant, actor: SYSTEM }));
    this.advanceTo(instant);
  }

  /** Accepts and approves `step` on `date` (accepted 09:00, approved 16:00), after its dependencies. */
  approve(step: string, acceptOn: string, approveOn = acceptOn): void {
    this.act(step, { action: 'accept' }, at(acceptOn, '09:00'));
    this.act(step, { action: 'approve' }, at(approveOn, '16:00'));
  }

  /** Approves every dependency of `step` (recursively) on `date`, recording the land price paid when the title needs it. */
  completeDependencies(step: string, date: string): void {
    for (const dep of STANDARD_V3.steps.find((s) => s.key === step)!.dependsOn) {
      if (isStepDone(this.state.step(dep)!.state)) continue;
      this.completeDependencies(dep, date);
      if (dep === 'land_title' && this.state.snapshot().facts.length === 0) this.landPricePaid(at(date, '08:00'));
      this.approve(dep, date);
    }
  }

  /** The loop's clock work at `instant`, repeated until nothing changes. */
  advanceTo(instant: string): void {
    const ms = Date.parse(instant);
    const ctx = { at: new Date(ms).toISOString(), actor: SYSTEM_ACTOR };
    for (let round = 0; round < 10; round++) {
      const requests = this.state.clockRequests(false, [], ctx.at);
      if (requests.length > 0) this.timeline.push(...this.state.applyClockPlans(requests.map((request) => ({ request, plan: planRequest(request, this.calendar) })), ctx));
      for (const alert of this.state.dueAlerts(ms)) {
        this.alerts.push(alert);
        this.timeline.push(...this.state.markAlertFired(alert, [], ctx));
      }
      this.timeline.push(...this.state.refreshLights(ms, ctx));
      const deemed = this.state.applyDeemedAcceptances(ms, ctx);
      this.timeline.push(...deemed);
      if (deemed.length === 0 && this.state.clockRequests().length === 0) return;
    }
    throw new Error('driver: clocks did not settle');
  }

  /** The start (00:00 Asia/Shanghai) of the day after `date`, the moment a deadline on `date` has passed. */
  static dayAfter(date: string): string {
    return endOfShanghaiDay(date);
  }

  governmentTime(today: string) {
    return computeGovernmentTime(STANDARD_V3, this.state.snapshot(), this.calendar, today);
  }

  entries(type: string, step?: string): TimelineEntry[] {
    return this.timeline.filter((e) => e.type === type && (step === undefined || e.step === step));
  }
}
