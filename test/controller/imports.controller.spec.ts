import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ImportJobsService } from '../../apps/api/src/imports/import-jobs.service.js';
import { ImportsController, MAX_IMPORT_BYTES } from '../../apps/api/src/imports/imports.controller.js';
import { ImportsService } from '../../apps/api/src/imports/imports.service.js';
import { API, officer, PROJECT_OFFICE, withCaller, type Caller } from '../support/api-client.js';
import { startControllerApp, type ControllerApp } from '../support/controller-app.js';

/*
 * POST /imports behind the API's real guards with its services mocked: the permission ledger.import is checked before
 * the upload is read, so a caller without it learns nothing about the file (no 413, no 415) and its body is never parsed.
 */
describe('imports controller: the permission comes before the upload', () => {
  let server: ControllerApp;
  let dryRuns = 0;
  const CLERK = officer('nr-zhao', 'natural_resources');
  const post = (caller: Caller, file: Buffer, name = 'ledger.csv') => withCaller(request(server.baseUrl).post(`${API}/imports`), caller).attach('file', file, name);

  beforeAll(async () => {
    server = await startControllerApp({
      controllers: [ImportsController],
      providers: [
        { provide: ImportsService, useValue: { dryRun: async () => (dryRuns++, { dryRun: true, counts: { rows: 0 } }) } },
        { provide: ImportJobsService, useValue: { commit: async () => { throw new Error('not in this test'); }, find: async () => { throw new Error('not in this test'); } } },
      ],
    });
  }, 30_000);
  afterAll(async () => server?.close());
  beforeEach(() => {
    dryRuns = 0;
  });

  it('answers a clerk without ledger.import 403 for a file over the 10 MB limit, not 413: the body is not read', async () => {
    const res = await post(CLERK, Buffer.alloc(MAX_IMPORT_BYTES + 1024 * 1024, 0x41));
    expect(res.status).toBe(403);
    expect((res.body as { detail: string }).detail).toMatch(/project_office/);
    expect(dryRuns).toBe(0);
  });

  it('answers the clerk 403 for a file that is no ledger at all, not 415', async () => {
    const res = await post(CLERK, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 'photo.png');
    expect(res.status).toBe(403);
    expect(dryRuns).toBe(0);
  });

  it('lets the project office through to the upload: its file over the limit is 413, a small one is read', async () => {
    const big = await post(PROJECT_OFFICE, Buffer.alloc(MAX_IMPORT_BYTES + 1024 * 1024, 0x41));
    expect(big.status).toBe(413);
    expect((big.body as { detail: string }).detail).toContain('10 MB');
    const small = await post(PROJECT_OFFICE, Buffer.from('项目代码,项目名称\r\n'));
    expect(small.status).toBe(200);
    expect(dryRuns).toBe(1);
  });
});
