import { describe, expect, it } from '@jest/globals';
import { ReadModelReconciliation } from '../../../libs/projection/reconciliation.js';
import { readModelNotice } from '../../../scripts/read-model-readiness.js';

describe('readiness of the read model reconciliation', () => {
  it('is up when no reconciliation runs in the process', () => {
    expect(new ReadModelReconciliation().readiness()).toMatchObject({ up: true, message: 'no reconciliation in this process' });
  });

  it('is down, naming how many projects the read model lacks and how far the rebuild is, until done', () => {
    const r = new ReadModelReconciliation();
    r.update({ phase: 'rebuilding', inTemporal: 311, inReadModel: 8, lacking: 303, candidates: 311, done: 120 });
    expect(r.readiness()).toMatchObject({ up: false, message: 'read model lacks 303 project(s); rebuilding (120/311 checked)' });
    r.update({ phase: 'retrying', error: 'connection refused' });
    expect(r.readiness()).toMatchObject({ up: false, message: 'read model lacks 303 project(s); rebuild retrying after: connection refused' });
    r.update({ phase: 'done', inReadModel: 311, lacking: 0 });
    expect(r.readiness()).toMatchObject({ up: true, message: 'read model holds the 311 project workflow(s)' });
  });

  it('is down until the read model has been compared with Temporal, also when that first comparison is retried', () => {
    const r = new ReadModelReconciliation();
    r.update({ phase: 'checking' });
    expect(r.readiness()).toMatchObject({ up: false, message: 'comparing the read model with the project workflows in Temporal' });
    r.update({ phase: 'retrying', error: 'connection refused' });
    expect(r.readiness()).toMatchObject({ up: false, message: 'comparing the read model with the project workflows in Temporal; retrying after: connection refused' });
    r.update({ phase: 'rebuilding', inTemporal: 10, inReadModel: 10, lacking: 0, candidates: 10 });
    expect(r.readiness().up).toBe(true);
  });

  it('stays up while only the running projects’ versions are compared (the read model holds every project)', () => {
    const r = new ReadModelReconciliation();
    r.update({ phase: 'rebuilding', inTemporal: 10, inReadModel: 10, lacking: 0, candidates: 10 });
    expect(r.readiness().up).toBe(true);
  });
});

describe('the start’s notice while the API rebuilds its read model', () => {
  it('is the readModel check’s message when it alone is down', () => {
    const checks = { database: { status: 'up' }, temporal: { status: 'up' }, readModel: { status: 'down', message: 'read model lacks 3 project(s); rebuilding (0/3 checked)' } };
    expect(readModelNotice({ code: 'DEPENDENCY.UNAVAILABLE', checks })).toBe('read model lacks 3 project(s); rebuilding (0/3 checked)');
  });

  it('is null when another dependency is down or the answer is not a health problem', () => {
    expect(readModelNotice({ checks: { database: { status: 'down' }, readModel: { status: 'down', message: 'x' } } })).toBeNull();
    expect(readModelNotice(null)).toBeNull();
    expect(readModelNotice({ checks: { readModel: { status: 'up', message: 'fine' } } })).toBeNull();
  });
});
