import { describe, expect, it } from '@jest/globals';
import { seedDecision } from '../../../scripts/seed.js';

describe('whether the start runs the demo seed', () => {
  const completed = { projectsDone: 8, projectsTotal: 8, completedAt: new Date('2026-12-01T02:00:00Z') };
  const partWay = { projectsDone: 3, projectsTotal: 8, completedAt: null };

  it('seeds an empty district with no record of a seed', () => {
    expect(seedDecision(null, 0, false, true).kind).toBe('seed');
  });

  it('resumes a seed that stopped part-way, even though the read model holds projects', () => {
    const d = seedDecision(partWay, 1, true, true);
    expect(d).toEqual({ kind: 'resume', why: 'the demo seed stopped part-way (3 of 8 projects seeded whole): resuming' });
  });

  it('never re-runs a completed seed', () => {
    expect(seedDecision(completed, 8, true, true).kind).toBe('skip');
    expect(seedDecision(completed, 0, false, true).kind).toBe('skip'); // the district was emptied on purpose
  });

  it('resumes a district seeded by a version that kept no record; leaves a district of other projects alone', () => {
    expect(seedDecision(null, 1, true, true).kind).toBe('resume');
    expect(seedDecision(null, 311, false, true)).toEqual({ kind: 'skip', why: '311 project(s) in the read model, none of the demo seed: not seeding' });
  });

  it('does nothing with SEED=false', () => {
    expect(seedDecision(partWay, 1, true, false)).toEqual({ kind: 'skip', why: 'SEED=false' });
  });
});
