import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { latestTrackDefinition } from '../../libs/domain/index.js';
import {
  ApiClient,
  expectProblem,
  expectRefusal,
  officer,
  problemFields,
  projectCode,
  PROJECT_OFFICE,
  registration,
  standardStepOrder,
  stepOf,
  type Caller,
  type ProjectBody,
  type TimelineEntryBody,
} from '../support/api-client.js';
import { buildProject } from '../support/project-builder.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * Projects over HTTP against the whole stack (dev server, worker, PostgreSQL, API): registration and the refusals
 * that need the workflow or the read model, the standard track from signing to groundbreaking, lists and paging,
 * health and OpenAPI. Each refused field and parameter (400/401/403 before any project is touched) is checked in
 * test/controller/projects.controller.spec.ts; one of each kind stays here, end to end.
 */
describe('projects API (e2e)', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack('e2e_projects');
    api = new ApiClient(stack.baseUrl);
  }, 120_000);
  afterAll(async () => stack?.close());

  describe('registration', () => {
    it('registers a signed project and answers 201 with filing and pre-review ready and the rest blocked', async () => {
      const code = projectCode(101);
      const res = await api.register(registration(code, { name: '比亚迪功率器件产业化项目', investmentYuan: '10000000000' }));
      expect(res.status).toBe(201);
      const p = res.body as ProjectBody;
      expect(p).toMatchObject({
        code,
        name: '比亚迪功率器件产业化项目',
        track: 'standard',
        definition: `standard@${latestTrackDefinition('standard').version}`,
        district: '越城区',
        investor: '浙江测试装备有限公司',
        investmentYuan: '10000000000',
        signedAt: '2022-03-05',
        registeredBy: 'po-chen',
        stage: 'initiation',
        status: 'active',
        version: expect.any(Number),
        suspendedAt: null,
        closedAt: null,
      });
      expect(p.registeredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
      const def = latestTrackDefinition('standard');
      expect(p.steps.map((s) => s.key).sort()).toEqual(def.steps.map((s) => s.key).sort());
      expect(p.steps.filter((s) => s.state === 'ready').map((s) => s.key).sort()).toEqual(['land_prereview', 'project_filing']);
      expect(p.steps.filter((s) => s.state === 'blocked')).toHaveLength(def.steps.length - 2);
      expect(stepOf(p, 'project_filing')).toMatchObject({
        department: 'development_reform',
        dependsOn: [],
        limit: { value: 20, unit: 'working_days' },
        availableActions: expect.arrayContaining(['accept']),
      });

      // The read model answers the same project the workflow answered.
      const detail = await api.projectOk(code);
      expect(detail).toEqual(p);
    });

    it("keeps each step's updatedAt at its own last change, not at the project's latest write", async () => {
      const code = projectCode(104);
      const created = await api.registerOk(code);
      expect(stepOf(created, 'land_prereview').updatedAt).toBe(created.registeredAt);
      await api.act(code, 'project_filing', 'accept', officer('drc-1', 'development_reform'));
      const detail = await api.projectOk(code);
      // Only project filing changed; pre-review (ready) and the blocked steps were last changed at registration.
      expect(stepOf(detail, 'land_prereview').updatedAt).toBe(created.registeredAt);
      expect(stepOf(detail, 'groundbreaking').updatedAt).toBe(created.registeredAt);
      expect(stepOf(detail, 'project_filing').updatedAt).toBe(stepOf(detail, 'project_filing').acceptedAt);
    });

    it('answers investmentYuan in one canonical form on registration and in the read model', async () => {
      const code = projectCode(102);
      const created = await api.registerOk(code, { investmentYuan: '1500000.50' });
      expect(created.investmentYuan).toBe('1500000.5');
      expect((await api.projectOk(code)).investmentYuan).toBe('1500000.5');
      const listed = await api.projects({ district: '越城区', pageSize: 200 });
      expect((listed.body.items as ProjectBody[]).find((p) => p.code === code)!.investmentYuan).toBe('1500000.5');
    });

    it('refuses registering a code twice with 409 PROJECT.ALREADY_EXISTS and leaves the first project as it was', async () => {
      const code = projectCode(103);
      const first = await api.registerOk(code);
      const again = await api.register(registration(code, { name: 'Another name' }));
      expectRefusal(again, 409, 'PROJECT.ALREADY_EXISTS', [code, 'already registered']);
      const withOtherKey = await api.register(registration(code), { ...PROJECT_OFFICE, idempotencyKey: 'dup-other-key' });
      expectProblem(withOtherKey, 409, 'PROJECT.ALREADY_EXISTS');
      const detail = await api.projectOk(code);
      expect(detail.name).toBe('高端装备制造基地项目');
      expect(detail.version).toBe(first.version);
    });

    it('refuses a registration that does not match the document with 400 naming the field, and registers nothing', async () => {
      const code = projectCode(150);
      const problem = expectRefusal(await api.register(registration(code, { signedAt: '2022-02-30' })), 400, 'REQUEST.INVALID', /real date/);
      expect(problemFields(problem)).toEqual(['signedAt']);
      expectRefusal(await api.project(code), 404, 'PROJECT.NOT_FOUND');
    });

    it('refuses a signing day after today with 422 naming signedAt, and registers nothing', async () => {
      const tomorrow = new Date(Date.now() + 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
      const code = `${tomorrow.slice(0, 4)}-330602-39-03-000152`;
      const problem = expectRefusal(await api.register(registration(code, { signedAt: tomorrow })), 422, 'REQUEST.UNPROCESSABLE', [`signedAt ${tomorrow} is after today`, 'once it is signed']);
      expect(problemFields(problem)).toEqual(['signedAt']);
      expectRefusal(await api.project(code), 404, 'PROJECT.NOT_FOUND');
    });

    it('refuses a code whose year is out of range with 400 PROJECT.INVALID_CODE', async () => {
      expectRefusal(await api.register(registration('1899-330602-39-03-000151')), 400, 'PROJECT.INVALID_CODE', '1899');
    });
  });

  describe('the standard track from signing to groundbreaking', () => {
    const code = projectCode(201);
    /** What each step's actions were sent with, to check the audit trail against. */
    const sent = new Map<string, { accept: Caller; approve: Caller }>();

    it('moves every step through accept and approve, in dependency order, to a completed project', async () => {
      await api.registerOk(code, { name: '集成电路二期项目' });
      const order = standardStepOrder();
      let version = 1;
      for (const [i, def] of order.entries()) {
        // The land title waits for the land price paid in full, an inbound fact (standard@3).
        if (def.requiresFacts?.includes('land_price_paid')) await api.landPricePaid(code);
        const before = stepOf(await api.projectOk(code), def.key);
        expect({ step: def.key, state: before.state }).toEqual({ step: def.key, state: 'ready' });

        if (!(def.waivable ?? true)) {
          const refused = await api.stepAction(code, def.key, { action: 'waive', comment: '容缺' }, officer('po-li', def.department));
          expectRefusal(refused, 409, 'STEP.NOT_WAIVABLE', `step '${def.key}'`);
        }
        const accept = officer(`${def.department}-a${i}`, def.department);
        const approve = officer(`${def.department}-b${i}`, def.department);
        sent.set(def.key, { accept, approve });

        const accepted = await api.act(code, def.key, 'accept', accept);
        expect(accepted.step).toMatchObject({ key: def.key, state: 'in_review', actor: accept.actor });
        expect(accepted.step!.acceptedAt).toMatch(/\+08:00$/);
        // each change raises the version (acceptance also records the planned deadline)
        expect(accepted.project.version).toBeGreaterThan(version);
        version = accepted.project.version;
        expect(accepted.step!.dueAt).toMatch(/T00:00:00\.000\+08:00$/);

        const approved = await api.act(code, def.key, 'approve', approve, { comment: `${def.nameZh} 办结` });
        expect(approved.step).toMatchObject({ key: def.key, state: 'approved', actor: approve.actor, comment: `${def.nameZh} 办结` });
        expect(approved.project.version).toBeGreaterThan(version);
        version = approved.project.version;
        expect(approved.entries[0]).toMatchObject({ type: 'step.approved', step: def.key, actor: approve.actor, actorDepartment: def.department });
        if (def.certificate) {
          // The certificate is handed over (送达, 行政许可法 Art. 44) by the approving officer.
          const delivered = await api.act(code, def.key, 'deliver', approve);
          expect(delivered.step).toMatchObject({ key: def.key, state: 'delivered', actor: approve.actor });
          version = delivered.project.version;
        }
      }

      const p = await api.projectOk(code);
      expect(p).toMatchObject({ status: 'completed', stage: latestTrackDefinition('standard').stages.at(-1)!.key, version });
      expect(p.closedAt).toMatch(/\+08:00$/);
      expect(p.steps.every((s) => (standardStepOrder().find((d) => d.key === s.key)!.certificate ? s.state === 'delivered' : s.state === 'approved'))).toBe(true);
      expect(p.steps.every((s) => s.availableActions.length === 0)).toBe(true);
      for (const s of p.steps) expect({ step: s.key, actor: s.actor }).toEqual({ step: s.key, actor: sent.get(s.key)!.approve.actor });
    }, 60_000);

    it('keeps a complete audit trail: consecutive seq 1..N, each action once with the actor named by the token', async () => {
      const entries: TimelineEntryBody[] = await api.timelineOk(code);
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: entries.length }, (_, k) => k + 1));
      const res = await api.timeline(code);
      expect(res.body.total).toBe(entries.length);

      expect(entries[0]).toMatchObject({ seq: 1, type: 'project.registered', actor: 'po-chen', actorDepartment: 'project_office' });
      expect(entries.at(-1)).toMatchObject({ type: 'project.completed', actor: 'system' });
      for (const [step, callers] of sent) {
        for (const action of ['accept', 'approve'] as const) {
          const type = action === 'accept' ? 'step.accepted' : 'step.approved';
          const matching = entries.filter((e) => e.type === type && e.step === step);
          expect({ step, type, count: matching.length }).toEqual({ step, type, count: 1 });
          expect(matching[0]).toMatchObject({ actor: callers[action].actor, actorDepartment: callers[action].department });
        }
      }
      // Every step became ready exactly once, and the stage moved forward through every stage.
      const def = latestTrackDefinition('standard');
      expect(entries.filter((e) => e.type === 'step.ready').map((e) => e.step).sort()).toEqual(def.steps.map((s) => s.key).sort());
      const stages = entries.filter((e) => e.type === 'project.stage_changed').map((e) => e.data.to);
      expect(stages).toEqual(def.stages.slice(1).map((st) => st.key));
      expect(entries.every((e) => /\+08:00$/.test(e.at))).toBe(true);
    });

    it('refuses any action on the completed project with 409 PROJECT.CLOSED and says why', async () => {
      const step = await api.stepAction(code, 'groundbreaking', { action: 'approve' }, officer('po-li', 'project_office'));
      expectRefusal(step, 409, 'PROJECT.CLOSED', [code, /completed/, /no further actions/]);

      const suspend = await api.projectAction(code, { action: 'suspend', comment: 'expert review' });
      expectRefusal(suspend, 409, 'PROJECT.CLOSED', /completed/);

      const reregister = await api.register(registration(code));
      expectProblem(reregister, 409, 'PROJECT.ALREADY_EXISTS');

      const timeline = await api.timelineOk(code);
      expect(timeline.at(-1)!.type).toBe('project.completed');
    });
  });

  describe('lists', () => {
    const fresh = projectCode(301); // only filing and pre-review ready; district A
    const advanced = projectCode(302); // initiation done: land_supply stage; district B
    const suspended = projectCode(303); // suspended; district A
    const districtA = '滨海新区';
    const districtB = '袍江经济技术开发区';

    beforeAll(async () => {
      await api.registerOk(fresh, { district: districtA });
      await buildProject(api, advanced, { district: districtB }, { project_filing: 'approved', land_prereview: 'approved' });
      await api.registerOk(suspended, { district: districtA });
      const s = await api.projectAction(suspended, { action: 'suspend', comment: '专家论证 (expert review)' });
      expect(s.status).toBe(200);
    }, 30_000);

    const codes = (body: { items: ProjectBody[] }): string[] => body.items.map((p) => p.code);

    it('answers the list envelope {items,total,page,pageSize} with defaults page 1 and pageSize 20', async () => {
      const res = await api.projects();
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
      expect(res.body).toMatchObject({ page: 1, pageSize: 20 });
      expect(res.body.total).toBeGreaterThanOrEqual(3);
      expect(res.body.items[0].steps).toHaveLength(latestTrackDefinition('standard').steps.length);
    });

    it('filters by district', async () => {
      const res = await api.projects({ district: districtA });
      expect(res.status).toBe(200);
      expect(codes(res.body).sort()).toEqual([fresh, suspended]);
      expect(res.body.total).toBe(2);
    });

    it('filters by stage', async () => {
      const landSupply = await api.projects({ stage: 'land_supply', pageSize: 200 });
      expect(codes(landSupply.body)).toContain(advanced);
      expect(landSupply.body.items.every((p: ProjectBody) => p.stage === 'land_supply')).toBe(true);
      const initiation = await api.projects({ stage: 'initiation', district: districtA });
      expect(codes(initiation.body).sort()).toEqual([fresh, suspended]);
    });

    it('filters by track', async () => {
      const res = await api.projects({ track: 'standard', district: districtB });
      expect(codes(res.body)).toEqual([advanced]);
      const bonded = await api.projects({ track: 'bonded_zone' });
      expect(bonded.status).toBe(200);
      expect(bonded.body).toMatchObject({ items: [], total: 0 });
    });

    it('filters by department: projects with an open step of that department', async () => {
      const eco = await api.projects({ department: 'ecology_environment', pageSize: 200 });
      expect(codes(eco.body)).toContain(advanced); // EIA became ready once filing was approved
      expect(codes(eco.body)).not.toContain(fresh);
      const drc = await api.projects({ department: 'development_reform', district: districtA });
      expect(codes(drc.body).sort()).toEqual([fresh, suspended]); // project filing is ready in both
      const housing = await api.projects({ department: 'housing_construction', pageSize: 200 });
      expect(codes(housing.body)).toEqual(expect.not.arrayContaining([fresh, advanced, suspended]));
    });

    it('filters by status', async () => {
      const res = await api.projects({ status: 'suspended', pageSize: 200 });
      expect(codes(res.body)).toEqual([suspended]);
      expect(res.body.items[0].suspendedAt).toMatch(/\+08:00$/);
      const active = await api.projects({ status: 'active', district: districtA });
      expect(codes(active.body)).toEqual([fresh]);
    });

    it('pages newest registration first', async () => {
      const p1 = await api.projects({ district: districtA, pageSize: 1, page: 1 });
      const p2 = await api.projects({ district: districtA, pageSize: 1, page: 2 });
      const p3 = await api.projects({ district: districtA, pageSize: 1, page: 3 });
      expect(p1.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });
      expect(codes(p1.body)).toEqual([suspended]);
      expect(p2.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
      expect(codes(p2.body)).toEqual([fresh]);
      expect(p3.body).toMatchObject({ items: [], total: 2, page: 3 });
    });

    it('pages a timeline by seq', async () => {
      const all = await api.timelineOk(advanced);
      expect(all.length).toBeGreaterThan(6);
      const res = await api.timeline(advanced, { page: 2, pageSize: 3 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: all.length, page: 2, pageSize: 3 });
      expect(res.body.items.map((e: TimelineEntryBody) => e.seq)).toEqual([4, 5, 6]);
      expect(res.body.items).toEqual(all.slice(3, 6));
      const beyond = await api.timeline(advanced, { page: 99, pageSize: 3 });
      expect(beyond.body).toMatchObject({ items: [], total: all.length });
      expectRefusal(await api.timeline(advanced, { pageSize: 201 }), 400, 'REQUEST.INVALID', /1 to 200/);
    });

    it('answers 404 PROJECT.NOT_FOUND for the timeline of an unknown project, and 400 for a malformed code', async () => {
      expectRefusal(await api.timeline(projectCode(999_001)), 404, 'PROJECT.NOT_FOUND', projectCode(999_001));
      expectProblem(await api.timeline('not-a-code'), 400, 'PROJECT.INVALID_CODE');
    });
  });

  describe('service endpoints', () => {
    it('reports health 200 with the database and Temporal up, on /health and /health/ready alike, and /health/live 200', async () => {
      for (const path of ['/api/v1/health', '/api/v1/health/ready']) {
        const res = await api.get(path);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, temporal: { status: 'up' } } });
      }
      expect((await api.get('/api/v1/health/live')).body).toMatchObject({ status: 'ok', info: { process: { status: 'up' } } });
    });

    it('serves a valid OpenAPI document listing every route', async () => {
      const res = await api.get('/docs/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/json/);
      const doc = res.body as { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, unknown>> };
      expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(doc.info.title).toEqual(expect.any(String));
      expect(doc.info.version).toEqual(expect.any(String));
      const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
      expect(routes).toEqual(
        expect.arrayContaining([
          'POST /api/v1/projects',
          'GET /api/v1/projects',
          'GET /api/v1/projects/{code}',
          'GET /api/v1/projects/{code}/timeline',
          'POST /api/v1/projects/{code}/steps/{step}/actions',
          'POST /api/v1/projects/{code}/actions',
          'GET /api/v1/tasks',
          'GET /api/v1/health',
        ]),
      );
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          expect({ route: `${method} ${path}`, hasResponses: Object.keys((op as { responses?: object }).responses ?? {}).length > 0 }).toEqual({
            route: `${method} ${path}`,
            hasResponses: true,
          });
        }
      }
      const html = await api.get('/docs');
      expect(html.status).toBe(200);
    });

    it('answers an unknown route with 404 problem+json', async () => {
      const res = await api.get('/api/v1/nowhere');
      expectProblem(res, 404, 'ROUTE.NOT_FOUND');
    });
  });
});
