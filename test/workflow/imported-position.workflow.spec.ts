import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { builtInCalendarSource } from '../../libs/calendar/index.js';
import type { ProjectSnapshot, TimelineEntry } from '../../libs/domain/index.js';
import {
  awaitSyncedUpdate,
  importedPositionQuery,
  projectWorkflowId,
  stepActionUpdate,
  TASK_QUEUE,
  type StepActionRequest,
} from '../../libs/temporal/project.contract.js';
import { newProjectInput, startDevServer, startRecordingWorker, type RecordingWorker } from '../support/temporal.js';

/*
 * A registration that carries its position (a ledger import): the workflow applies the back-dated actions in its first
 * task through the same pipeline as officers' Updates, so the project ends exactly where the same actions sent one by
 * one as Updates leave it (states, days, deadlines, timeline), with one read-model write; a refused action ends the
 * list and is reported by the importedPosition query; each action's idempotency key is remembered like an Update's.
 */
const DRC = { id: 'po-import', department: 'development_reform' as const, roles: ['officer'] };
const NR = { id: 'po-import', department: 'natural_resources' as const, roles: ['officer'] };

/** The position of the e2e ledger: filing accepted and approved, land pre-review accepted (2022, long overdue). */
const ACTIONS: Omit<StepActionRequest, 'requestId'>[] = [
  { step: 'project_filing', action: 'accept', occurredAt: '2022-03-07T09:00:00+08:00', actor: DRC },
  { step: 'project_filing', action: 'approve', occurredAt: '2022-03-10T09:00:00+08:00', actor: DRC },
  { step: 'land_prereview', action: 'accept', occurredAt: '2022-03-11T09:00:00+08:00', actor: NR },
  { step: 'land_prereview', action: 'return', occurredAt: '2022-03-11T09:01:00+08:00', comment: '补正（台账导入）', actor: NR },
];

describe('a registration with its position (activity fakes)', () => {
  let env: TestWorkflowEnvironment;
  let recorder: RecordingWorker;

  beforeAll(async () => {
    env = await startDevServer();
    recorder = await startRecordingWorker(env, builtInCalendarSource());
  }, 120_000);

  afterAll(async () => {
    await recorder?.shutdown();
    await env?.teardown();
  });

  const start = (serial: string, position?: StepActionRequest[]) => {
    const code = `2022-330602-39-03-${serial}`;
    const input = newProjectInput(code, { definitionVersion: 3, occurredAt: '2022-03-05T09:00:00+08:00', ...(position ? { position } : {}) });
    return env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [input] });
  };
  const keyed = (serial: string) => ACTIONS.map((a, i) => ({ ...a, requestId: `idem:${serial}${String(i).padStart(26, '0')}` }));
  /**
   * What must be the same either way: each step's state, days, deadline and light; the timeline's kinds and instants.
   * Not the statutory-overdue flag: Updates sent one by one each judge the clocks at the time they arrive (a step
   * accepted in 2022 and not yet decided is past its limit when the acceptance is recorded today), while a position
   * judges them at the instant of its next back-dated action, so a step decided in time is never flagged.
   */
  const shape = (s: ProjectSnapshot) => ({
    stage: s.stage,
    light: s.light,
    steps: s.steps.map((x) => ({ key: x.key, state: x.state, acceptedAt: x.acceptedAt, light: x.light, dueOn: x.deadline?.dueOn ?? null, statutoryDueOn: x.deadline?.statutoryDueOn ?? null })),
  });
  /** The steps flagged past their statutory limit (法定时限). */
  const flagged = (s: ProjectSnapshot) => s.steps.filter((x) => x.statutoryOverdue).map((x) => x.key);
  /**
   * The timeline's alarms: statutory overdue flags (by step) and lights turned red (by clock: a step's, or the validity
   * of its certificate, `certificate:<step>`, which lapses years after its approval whatever the import does).
   */
  const alarms = (code: string) =>
    recorder.entries
      .filter((e) => e.project === code && (e.type === 'step.statutory_overdue' || (e.type === 'light.changed' && e.data['to'] === 'red')))
      .map((e) => `${e.type} ${String(e.data['clock'] ?? e.step)}`);
  const timelineOf = (code: string) => recorder.entries.filter((e) => e.project === code).map((e: TimelineEntry) => [e.type, e.step, e.at]);

  it('ends where the same actions sent as Updates end, with one read-model write and the actions counted', async () => {
    const byUpdates = await start('000801');
    await byUpdates.executeUpdate(awaitSyncedUpdate);
    for (const req of keyed('a')) await byUpdates.executeUpdate(stepActionUpdate, { args: [req] });
    const viaUpdates = await byUpdates.executeUpdate(awaitSyncedUpdate);

    const withPosition = await start('000802', keyed('b'));
    const viaStart = await withPosition.executeUpdate(awaitSyncedUpdate);
    expect(await withPosition.query(importedPositionQuery)).toEqual({ applied: 4, refused: null });

    expect(shape(viaStart)).toEqual(shape(viaUpdates));
    expect(viaStart.steps.find((s) => s.key === 'land_prereview')).toMatchObject({ state: 'supplement_requested' });
    // The same step entries either way (automatic ones stamped with the workflow's own instant, and a plan's made before
    // the next decision rather than after the acceptance); the officers' actions in order at their historical instants.
    const stepEntries = (code: string) => timelineOf(code).filter(([type]) => String(type).startsWith('step.') || String(type).startsWith('deadline.'));
    const kinds = (code: string) => stepEntries(code).map(([type, step]) => `${String(type)} ${String(step)}`).sort();
    expect(kinds(viaStart.code)).toEqual(kinds(viaUpdates.code).filter((k) => !k.startsWith('step.statutory_overdue')));
    // Filing decided in time (accepted 03-07, approved 03-10, due 04-02) and pre-review stopped by its 补正 a minute
    // after acceptance: no alarm of theirs on the timeline, no flag; only the filing certificate's lapse.
    expect(alarms(viaStart.code)).toEqual(['light.changed certificate:project_filing']);
    expect(flagged(viaStart)).toEqual([]);
    const officers = recorder.entries.filter((e) => e.project === viaStart.code && e.actor === 'po-import').map((e) => [e.type, e.step, e.at]);
    expect(officers).toEqual([
      ['step.accepted', 'project_filing', '2022-03-07T01:00:00.000Z'],
      ['step.approved', 'project_filing', '2022-03-10T01:00:00.000Z'],
      ['step.accepted', 'land_prereview', '2022-03-11T01:00:00.000Z'],
      ['step.returned', 'land_prereview', '2022-03-11T01:01:00.000Z'],
    ]);
    // One write of the read model holds the registration and the whole position.
    expect(recorder.synced.filter((s) => s.code === viaStart.code)[0]!.steps.find((s) => s.key === 'land_prereview')!.state).toBe('supplement_requested');
  }, 60_000);

  it('plans the whole position with one local activity, and plans as the Updates would', async () => {
    // A longer position: two decisions, so planning by Updates would plan before each (and once for the open clocks).
    const position = [
      ...keyed('f').slice(0, 3),
      { step: 'land_prereview', action: 'approve' as const, occurredAt: '2022-03-25T09:00:00+08:00', actor: NR, requestId: `idem:f${'9'.repeat(31)}` },
    ];
    const handle = await start('000806', position);
    const snapshot = await handle.executeUpdate(awaitSyncedUpdate);
    expect(await handle.query(importedPositionQuery)).toEqual({ applied: 4, refused: null });
    const history = await handle.fetchHistory();
    const localActivities = (history.events ?? [])
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .map((e) => {
        const data = e.markerRecordedEventAttributes!.details!['data']!.payloads![0]!.data!;
        return (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type: string }).activity_type;
      });
    expect(localActivities.filter((t) => t === 'planPosition')).toHaveLength(1);
    expect(localActivities.filter((t) => t === 'planClocks')).toHaveLength(0);
    // The deadlines are the ones the same actions sent as Updates plan.
    const byUpdates = await start('000807');
    await byUpdates.executeUpdate(awaitSyncedUpdate);
    for (const req of position) await byUpdates.executeUpdate(stepActionUpdate, { args: [{ ...req, requestId: req.requestId.replace('idem:', 'idem:0') .slice(0, 37) }] });
    expect(shape(snapshot)).toEqual(shape(await byUpdates.executeUpdate(awaitSyncedUpdate)));
    // Both steps decided within their limits: no red light, no statutory-overdue flag (the filing's certificate,
    // valid two years, has lapsed since).
    expect(alarms(snapshot.code)).toEqual(['light.changed certificate:project_filing']);
    expect(flagged(snapshot)).toEqual([]);
  }, 60_000);

  it('flags a step the ledger shows decided after its statutory limit, and a step still open past it', async () => {
    // Filing accepted 03-07 and approved 05-30 (due 04-02): past its limit when decided. Pre-review accepted 03-11
    // and still open today: past its limit now.
    const position = [
      { ...keyed('g')[0]! },
      { step: 'project_filing', action: 'approve' as const, occurredAt: '2022-05-30T09:00:00+08:00', actor: DRC, requestId: `idem:g${'1'.repeat(31)}` },
      { step: 'land_prereview', action: 'accept' as const, occurredAt: '2022-05-31T09:00:00+08:00', actor: NR, requestId: `idem:g${'2'.repeat(31)}` },
    ];
    const handle = await start('000808', position);
    const snapshot = await handle.executeUpdate(awaitSyncedUpdate);
    expect(await handle.query(importedPositionQuery)).toEqual({ applied: 3, refused: null });
    expect(alarms(snapshot.code).sort()).toEqual([
      'light.changed certificate:project_filing',
      'light.changed land_prereview',
      'light.changed project_filing',
      'step.statutory_overdue land_prereview',
      'step.statutory_overdue project_filing',
    ]);
    expect(flagged(snapshot)).toEqual(['project_filing', 'land_prereview']);
  }, 60_000);

  it('stops at a refused action and says which and why; the actions before it stay applied', async () => {
    const position = keyed('c');
    position.splice(2, 0, { step: 'land_title', action: 'accept', occurredAt: '2022-03-10T10:00:00+08:00', actor: NR, requestId: `idem:d${'0'.repeat(31)}` });
    const handle = await start('000803', position);
    const snapshot = await handle.executeUpdate(awaitSyncedUpdate);
    const imported = await handle.query(importedPositionQuery);
    expect(imported).toMatchObject({ applied: 2, refused: { index: 2, step: 'land_title', action: 'accept', code: 'STEP.INVALID_STATE' } });
    expect(imported!.refused!.message).toMatch(/cannot accept step 'land_title'/);
    expect(snapshot.steps.find((s) => s.key === 'project_filing')!.state).toBe('approved');
    expect(snapshot.steps.find((s) => s.key === 'land_prereview')!.state).toBe('ready');
  }, 60_000);

  it('remembers each action’s idempotency key: the same action sent again as an Update changes nothing', async () => {
    const position = keyed('e');
    const handle = await start('000804', position);
    const before = await handle.executeUpdate(awaitSyncedUpdate);
    const again = await handle.executeUpdate(stepActionUpdate, { args: [position[0]!] });
    expect(again.project.version).toBe(before.version);
    expect(again.entries.map((e) => e.type)).toEqual(['step.accepted']);
    // A run started without a position answers null.
    const plain = await start('000805');
    await plain.executeUpdate(awaitSyncedUpdate);
    expect(await plain.query(importedPositionQuery)).toBeNull();
  }, 60_000);
});
