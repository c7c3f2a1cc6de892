import { describe, expect, it } from '@jest/globals';
import { ImportJobsService, type RowResult } from '../../../apps/api/src/imports/import-jobs.service.js';
import type { RowReport } from '../../../apps/api/src/imports/import-report.js';
import type { ImportsService } from '../../../apps/api/src/imports/imports.service.js';
import type { ProjectsService } from '../../../apps/api/src/projects/projects.service.js';
import { ApiErrorCode, ApiProblem } from '../../../apps/api/src/common/problem.js';
import type { ImportJob, ImportsRepository } from '../../../libs/persistence/index.js';

/*
 * A ledger import's job, its rows registered through a fake projects service: a registration that does not answer
 * (Temporal's query or Update timing out under load) is asked again with the same key and the row counts as
 * registered; a refusal of the row is final at the first answer.
 */

const code = (n: number) => `2022-330602-39-03-${String(600 + n).padStart(6, '0')}`;

function row(n: number): RowReport {
  return {
    row: n + 1,
    outcome: 'create',
    code: code(n),
    project: {
      code: code(n),
      name: `项目${n}`,
      track: 'standard',
      district: '越城区',
      investor: null,
      investmentYuan: null,
      signedAt: '2022-03-05',
      approvalRoute: 'filing',
    } as RowReport['project'],
    position: [],
    differences: [],
    problems: [],
  };
}

/** An in-memory imports repository holding one job. */
function memoryRepo(): ImportsRepository & { job: () => ImportJob } {
  let job: ImportJob | null = null;
  return {
    job: () => job!,
    findByContent: async () => null,
    create: async (j: { id: string; fileName: string; fileSha256: string; createdBy: { id: string; department: string }; rowsTotal: number; report: unknown }) => {
      job = { ...j, status: 'queued', createdAt: new Date(), updatedAt: new Date(), rowsDone: 0, results: [], error: null } as ImportJob;
      return true; // stored: no other job of the file in flight
    },
    find: async () => job,
    markRunning: async () => {
      job = { ...job!, status: 'running' };
    },
    recordProgress: async (_id: string, done: number, results: unknown[]) => {
      job = { ...job!, rowsDone: done, results };
    },
    finish: async (_id: string, status: ImportJob['status'], error?: string) => {
      job = { ...job!, status, error: error ?? null };
    },
    unfinished: async () => [],
  } as unknown as ImportsRepository & { job: () => ImportJob };
}

describe('ledger import job: registrations that do not answer are asked again', () => {
  it('registers a row whose first registration timed out, with the same key, and fails a refused row at once', async () => {
    const calls: { code: string; key: string }[] = [];
    const projects = {
      register: async (dto: { code: string }, _actor: unknown, key: string) => {
        calls.push({ code: dto.code, key });
        const tries = calls.filter((c) => c.code === dto.code).length;
        if (dto.code === code(0) && tries === 1) throw new Error('Failed to query Workflow');
        if (dto.code === code(1)) throw new ApiProblem(ApiErrorCode.RequestUnprocessable, 'track mining was never released');
        return { code: dto.code, steps: [] };
      },
    } as unknown as ProjectsService;
    const imports = { dryRun: async () => ({ rows: [row(0), row(1), row(2)] }) } as unknown as ImportsService;
    const repo = memoryRepo();
    const service = new ImportJobsService(repo, imports, projects, {} as never);

    const { job } = await service.commit({ buffer: Buffer.from('ledger'), originalname: 'ledger.csv' } as never, { id: 'po-1', department: 'project_office' } as never);
    await service.settled(job.id);

    const results = repo.job().results as RowResult[];
    expect(repo.job().status).toBe('done');
    expect(results.map((r) => [r.code, r.result])).toEqual([
      [code(0), 'registered'],
      [code(1), 'failed'],
      [code(2), 'registered'],
    ]);
    expect(results[1]!.problem).toBe('registration: track mining was never released');
    const first = calls.filter((c) => c.code === code(0));
    expect(first).toHaveLength(2);
    expect(first[1]!.key).toBe(first[0]!.key);
    expect(calls.filter((c) => c.code === code(1))).toHaveLength(1);
  });
});
