/*
 * Records workflow histories for the replay tests (test/workflow/replay.spec.ts): drives project
 * workflows through typical paths on a dev server and writes each history to
 * test/fixtures/histories/<name>.json. Run after a deliberate, patched() change to the workflow, never to
 * make a failing replay pass: `npm run build && node dist/scripts/record-histories.js <name>…` records the
 * named histories only (a new one for the new code); histories recorded by older releases stay as they were,
 * so the replay test keeps proving that running projects of those releases still replay.
 * Names: standard-to-groundbreaking, supplement-waiver-suspension-cancel, statutory-v3, standard-v3-back-dated,
 * bonded-zone-back-dated, standard-v3-facts-at-once, standard-v3-imported-position, standard-v3-position-lights-at-action,
 * standard-v3-patches-of-2026-12.
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createClockActivities } from '../activities/clock.activities.js';
import { builtInCalendarSource } from '../libs/calendar/index.js';
import { createProjectActivities } from '../activities/project.activities.js';
import { WORKFLOWS_PATH, webpackConfigHook } from '../apps/worker/worker.js';
import type { Actor } from '../libs/domain/index.js';
import { projectRoot, temporalCliPath } from '../libs/temporal/binaries.js';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  calendarChangedSignal,
  projectActionUpdate,
  projectFactUpdate,
  projectWorkflowId,
  SEARCH_ATTRIBUTES,
  stepActionUpdate,
  TASK_QUEUE,
  type ProjectWorkflowInput,
} from '../libs/temporal/project.contract.js';

const actor = (id: string, department: Actor['department'], roles?: string[]): Actor => ({ id, department, ...(roles ? { roles } : {}) });

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCliPath() }, searchAttributes: Object.values(SEARCH_ATTRIBUTES) },
  });
  const activities = {
    ...createProjectActivities({ readModel: { applyProject: async () => ({ applied: true, timelineInserted: 0 }) } }),
    ...createClockActivities({ calendar: builtInCalendarSource() }),
    enqueueNotification: async () => ({ enqueued: true }),
  };
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowsPath: WORKFLOWS_PATH, bundlerOptions: { webpackConfigHook }, activities });
  const out = path.join(projectRoot(), 'test', 'fixtures', 'histories');
  mkdirSync(out, { recursive: true });

  const wanted = process.argv.slice(2);
  const want = (name: string) => wanted.length === 0 || wanted.includes(name);
  await worker.runUntil(async () => {
    const start = async (code: string, definitionVersion = 1, approvalRoute: 'filing' | 'approval' = 'filing', track: 'standard' | 'bonded_zone' = 'standard', catchUpHoldMs?: number) => {
      const withRoute = track === 'standard' && definitionVersion >= 3;
      const input: ProjectWorkflowInput = {
        kind: 'new',
        registration: { code, name: 'Replay fixture', track, district: '越城区', investor: null, investmentYuan: '100000000', signedAt: '2022-03-05', ...(withRoute ? { approvalRoute } : {}) },
        ...(catchUpHoldMs !== undefined ? { catchUpHoldMs, occurredAt: '2022-03-05T02:00:00.000Z' } : {}),
        definitionVersion,
        registeredBy: actor('po-sun', 'project_office'),
        requestId: null,
        ...(withRoute ? { localExcludedPeriodKinds: { public_notice: '公示' } } : {}),
      };
      return env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [input] });
    };
    let n = 0;
    const step = (h: Awaited<ReturnType<typeof start>>, s: string, action: string, extra: Record<string, unknown> = {}) =>
      h.executeUpdate(stepActionUpdate, { args: [{ step: s, action: action as never, actor: actor('officer', null), requestId: `r${n++}`, ...extra }] });

    // 1. The whole standard track to groundbreaking.
    if (want('standard-to-groundbreaking')) {
    const full = await start('2022-330602-39-03-100001');
    for (const s of ['project_filing', 'land_prereview', 'land_auction', 'land_contract', 'land_use_planning_permit', 'land_title', 'construction_planning_permit', 'eia_approval', 'energy_review', 'drawing_review', 'construction_permit', 'groundbreaking']) {
      await step(full, s, 'accept');
      await step(full, s, 'approve');
    }
    await full.result();
    writeFileSync(path.join(out, 'standard-to-groundbreaking.json'), historyToJSON(await full.fetchHistory()));
    }

    // 2. Supplement, waiver, rejection, reassignment, suspension, cancellation.
    if (want('supplement-waiver-suspension-cancel')) {
    const mixed = await start('2022-330602-39-03-100002');
    await step(mixed, 'project_filing', 'accept');
    await step(mixed, 'project_filing', 'return', { comment: '请补正备案信息' });
    await step(mixed, 'project_filing', 'resubmit');
    await step(mixed, 'project_filing', 'approve');
    await step(mixed, 'land_prereview', 'waive', { comment: '容缺：选址论证报告后补', waiverDueOn: '2022-06-30' });
    await step(mixed, 'eia_approval', 'reassign', { assignee: 'eco-chen' });
    await step(mixed, 'eia_approval', 'accept');
    await step(mixed, 'eia_approval', 'reject', { comment: '不符合园区规划环评' });
    await mixed.executeUpdate(projectActionUpdate, { args: [{ action: 'suspend', comment: '专家评审', actor: actor('po-sun', 'project_office'), requestId: 'p1' }] });
    await mixed.executeUpdate(projectActionUpdate, { args: [{ action: 'resume', actor: actor('po-sun', 'project_office'), requestId: 'p2' }] });
    await mixed.executeUpdate(projectActionUpdate, { args: [{ action: 'cancel', comment: '企业撤回', actor: actor('po-sun', 'project_office'), requestId: 'p3' }] });
    await mixed.result();
    writeFileSync(path.join(out, 'supplement-waiver-suspension-cancel.json'), historyToJSON(await mixed.fetchHistory()));
    }

    // 3. Statutory fidelity on standard@3: receipt, extension by the head, certificate delivery and an expiry clock, an
    //    excluded period, the land price paid, a renewal, cancellation.
    if (want('statutory-v3')) {
      const v3 = await start('2022-330602-39-03-100003', 3, 'approval');
      const head = actor('drc-head', 'development_reform', ['department_head']);
      await step(v3, 'project_filing', 'receive');
      await step(v3, 'project_filing', 'accept');
      await step(v3, 'project_filing', 'extend', { actor: head, extensionWorkingDays: 30, comment: '需征求行业主管部门意见', noticeOn: null });
      await step(v3, 'project_filing', 'approve');
      await step(v3, 'project_filing', 'deliver');
      await step(v3, 'project_filing', 'renew', { renewalMonths: 12, comment: '延续申请', expiry: 'project_approval_validity' });
      await step(v3, 'land_prereview', 'accept');
      await step(v3, 'land_prereview', 'exclude', { exclusionKind: 'public_notice', comment: '选址公示10日' });
      await step(v3, 'land_prereview', 'end_exclusion');
      await step(v3, 'land_prereview', 'approve');
      for (const s of ['land_auction', 'land_contract']) {
        await step(v3, s, 'accept');
        await step(v3, s, 'approve');
      }
      await v3.executeUpdate(projectFactUpdate, {
        args: [{ kind: 'land_price_paid', occurredAt: new Date().toISOString(), reference: 'SX-2022-0001', amountYuan: '30000000', actor: actor('feed', null, ['system']), requestId: 'f1' }],
      });
      await v3.executeUpdate(projectActionUpdate, { args: [{ action: 'cancel', comment: '企业撤回', actor: actor('po-sun', 'project_office'), requestId: 'p9' }] });
      await v3.result();
      writeFileSync(path.join(out, 'statutory-v3.json'), historyToJSON(await v3.fetchHistory()));
    }

    // 4. Standard@3 on the redesigned domain, recorded on paper: actions back-dated into 2022 (occurredAt) with a 1 s
    //    catch-up hold, a calendar signal during the hold (an unchanged plan keeps its instant), the held catch-up
    //    alerts fired, an extension by the head on a working-day limit, cancellation.
    if (want('standard-v3-back-dated')) {
      const bd = await start('2022-330602-39-03-100004', 3, 'approval', 'standard', 1000);
      const head = actor('nr-head', 'natural_resources', ['department_head']);
      await step(bd, 'project_filing', 'receive', { occurredAt: '2022-03-07T01:30:00.000Z' });
      await step(bd, 'project_filing', 'accept', { occurredAt: '2022-03-08T01:30:00.000Z' });
      await step(bd, 'project_filing', 'approve', { occurredAt: '2022-03-15T01:30:00.000Z' });
      await step(bd, 'land_prereview', 'accept', { occurredAt: '2022-03-16T01:30:00.000Z' });
      await bd.signal(calendarChangedSignal, { years: [2022] });
      await sleep(2500);
      await step(bd, 'land_prereview', 'extend', { actor: head, extensionWorkingDays: 10, comment: '需现场踏勘', noticeOn: null });
      await step(bd, 'land_prereview', 'approve');
      await bd.executeUpdate(projectActionUpdate, { args: [{ action: 'cancel', comment: '企业撤回', actor: actor('po-sun', 'project_office'), requestId: 'p10' }] });
      await bd.result();
      writeFileSync(path.join(out, 'standard-v3-back-dated.json'), historyToJSON(await bd.fetchHistory()));
    }

    // 5. The bonded zone: milestones back-dated into 2022 with a 1 s catch-up hold, the year plan's targets and the
    //    year-end hard deadline missed (alerts after the hold), a calendar signal, customs' joint acceptance, the
    //    sealed operation, the project done.
    if (want('bonded-zone-back-dated')) {
      const bz = await start('2022-330602-39-03-100005', 1, 'filing', 'bonded_zone', 1000);
      const days: Array<[string, string, string]> = [
        ['groundbreaking', '2022-03-10', '2022-03-14'],
        ['topping_out', '2022-08-01', '2022-08-03'],
        ['completion', '2022-10-10', '2022-10-12'],
        ['provincial_pre_acceptance', '2022-11-01', '2022-11-21'],
      ];
      for (const [s, acceptedOn, approvedOn] of days) {
        await step(bz, s, 'accept', { occurredAt: `${acceptedOn}T02:00:00.000Z` });
        await step(bz, s, 'approve', { occurredAt: `${approvedOn}T02:00:00.000Z` });
      }
      await bz.signal(calendarChangedSignal, { years: [2022, 2023] });
      await step(bz, 'customs_joint_acceptance', 'accept', { occurredAt: '2022-12-01T02:00:00.000Z' });
      await sleep(2500);
      await step(bz, 'customs_joint_acceptance', 'approve');
      await step(bz, 'sealed_operation', 'accept');
      await step(bz, 'sealed_operation', 'approve');
      await bz.result();
      writeFileSync(path.join(out, 'bonded-zone-back-dated.json'), historyToJSON(await bz.fetchHistory()));
    }

    // 6. Standard@3 recorded on paper after back-dated facts became facts at once: a receipt never answered (deemed
    //    accepted in the same answer), a receipt whose acceptance inside the window replaces the deemed one, the clocks
    //    red and statutory-overdue at once, a calendar signal during the 1 s hold, the held catch-up notices, cancellation.
    if (want('standard-v3-facts-at-once')) {
      const fa = await start('2022-330602-39-03-100006', 3, 'approval', 'standard', 1000);
      await step(fa, 'project_filing', 'receive', { occurredAt: '2022-03-07T01:30:00.000Z' });
      await step(fa, 'project_filing', 'approve', { occurredAt: '2022-04-20T01:30:00.000Z' });
      await step(fa, 'land_prereview', 'receive', { occurredAt: '2022-04-21T01:30:00.000Z' });
      await step(fa, 'land_prereview', 'accept', { occurredAt: '2022-04-22T01:30:00.000Z' });
      await fa.signal(calendarChangedSignal, { years: [2022] });
      await sleep(2500);
      await fa.executeUpdate(projectActionUpdate, { args: [{ action: 'cancel', comment: '企业撤回', actor: actor('po-sun', 'project_office'), requestId: 'p11' }] });
      await fa.result();
      writeFileSync(path.join(out, 'standard-v3-facts-at-once.json'), historyToJSON(await fa.fetchHistory()));
    }

    // 7. Standard@3 registered from a ledger with its position in the start (accepted, approved, returned for
    //    supplement, back-dated), then an officer's Update on the running step, then cancellation. Recorded once
    //    before the position's lights were judged at each back-dated action (standard-v3-imported-position), once
    //    after (standard-v3-position-lights-at-action), and once with every patch behind one marker
    //    (standard-v3-patches-of-2026-12).
    const recordImportedPosition = async (name: string, code: string) => {
      const drc = { id: 'po-import', department: 'development_reform' as const, roles: ['officer'] };
      const nr = { id: 'po-import', department: 'natural_resources' as const, roles: ['officer'] };
      const position = [
        { step: 'project_filing', action: 'accept', occurredAt: '2022-03-07T01:00:00.000Z', actor: drc },
        { step: 'project_filing', action: 'approve', occurredAt: '2022-03-10T01:00:00.000Z', actor: drc },
        { step: 'land_prereview', action: 'accept', occurredAt: '2022-03-11T01:00:00.000Z', actor: nr },
        { step: 'land_prereview', action: 'approve', occurredAt: '2022-03-25T01:00:00.000Z', actor: nr },
        { step: 'land_auction', action: 'accept', occurredAt: '2022-03-28T01:00:00.000Z', actor: nr },
        { step: 'land_auction', action: 'return', occurredAt: '2022-03-29T01:00:00.000Z', comment: '补正（台账导入）', actor: nr },
      ].map((a, i) => ({ ...a, action: a.action as never, requestId: `idem:${String(i).padStart(32, '0')}` }));
      const input: ProjectWorkflowInput = {
        kind: 'new',
        registration: { code, name: 'Replay fixture', track: 'standard', district: '越城区', investor: null, investmentYuan: '100000000', signedAt: '2022-03-05', approvalRoute: 'filing' },
        occurredAt: '2022-03-05T02:00:00.000Z',
        definitionVersion: 3,
        registeredBy: actor('po-sun', 'project_office'),
        requestId: 'idem:ffffffffffffffffffffffffffffffff',
        localExcludedPeriodKinds: { public_notice: '公示' },
        position,
      };
      const ip = await env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [input] });
      await step(ip, 'land_auction', 'resubmit', { occurredAt: '2022-04-06T01:00:00.000Z', actor: nr });
      await ip.executeUpdate(projectActionUpdate, { args: [{ action: 'cancel', comment: '企业撤回', actor: actor('po-sun', 'project_office'), requestId: 'p12' }] });
      await ip.result();
      writeFileSync(path.join(out, `${name}.json`), historyToJSON(await ip.fetchHistory()));
    };
    if (want('standard-v3-imported-position')) await recordImportedPosition('standard-v3-imported-position', '2022-330602-39-03-100007');
    if (want('standard-v3-position-lights-at-action')) await recordImportedPosition('standard-v3-position-lights-at-action', '2022-330602-39-03-100008');
    if (want('standard-v3-patches-of-2026-12')) await recordImportedPosition('standard-v3-patches-of-2026-12', '2022-330602-39-03-100009');
  });
  await env.teardown();
  process.stdout.write(`histories written to ${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`record-histories failed: ${String(err)}${err instanceof Error && err.cause ? ` (${String(err.cause)})` : ''}\n`);
  process.exit(1);
});
