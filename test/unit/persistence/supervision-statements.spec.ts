import { describe, expect, it } from '@jest/globals';
import { STUCK_KINDS } from '../../../libs/domain/index.js';
import { stuckCountQuery, stuckListQuery, summaryQuery, type StuckCriteria, type StuckFilter } from '../../../libs/persistence/index.js';

/*
 * The supervision views' statements bind exactly the values they use: PostgreSQL refuses a statement whose parameter it
 * cannot type (bound, never used), and the API would answer 500. Checked for every kind of reason, alone and with the
 * filters that add conditions, as of today and as of a past day (whose conditions bind their instants when used).
 */

const TODAY: StuckCriteria = { idleBefore: new Date('2026-11-06T00:00:00+08:00') };
const PAST_DAY: StuckCriteria = {
  ...TODAY,
  pastDay: { day: '2026-11-20', start: new Date('2026-11-20T00:00:00+08:00'), end: new Date('2026-11-21T00:00:00+08:00') },
};
const FILTERS: StuckFilter[] = [{}, { department: 'natural_resources' }, { dueFrom: '2026-11-01', dueTo: '2026-11-30' }, { district: '越城区', stage: 'permits', light: 'red' }];

/** The numbers of the `$n` placeholders a statement uses, ascending. */
const placeholders = (sql: string): number[] => [...new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);

const cases = [undefined, ...STUCK_KINDS].flatMap((kind) =>
  FILTERS.flatMap((f) => [TODAY, PAST_DAY].map((criteria) => ({ filter: { ...f, ...(kind ? { kind } : {}) }, criteria }))),
);

describe('the supervision statements', () => {
  it.each(cases.map((c) => [JSON.stringify(c.filter), c.criteria.pastDay ? 'a past day' : 'today', c] as const))(
    'bind each parameter they use, and only those (%s, as of %s)',
    (_f, _d, { filter, criteria }) => {
      const statements = {
        page: stuckListQuery(filter, criteria, { page: 2, pageSize: 20 }),
        total: stuckCountQuery(filter, criteria),
        summary: summaryQuery(filter, criteria),
        // As of a past day with a snapshot of the counters (for the filters they answer; else the rows).
        summaryOfSnapshot: summaryQuery(filter, criteria, criteria.pastDay?.day ?? null),
      };
      for (const [name, { sql, params }] of Object.entries(statements)) {
        expect([name, placeholders(sql)]).toEqual([name, params.map((_, i) => i + 1)]);
      }
    },
  );

  it('leave out, as of a past day only, the projects registered after it and the lateness that came after it', () => {
    for (const make of [(c: StuckCriteria) => stuckListQuery({}, c, { page: 1, pageSize: 20 }), (c: StuckCriteria) => stuckCountQuery({}, c), (c: StuckCriteria) => summaryQuery({}, c)]) {
      expect(make(TODAY).sql).not.toContain('registered_at <');
      const past = make(PAST_DAY);
      expect(past.sql).toContain('registered_at <');
      expect(past.sql).toContain('due_at <=');
      expect(past.params).toEqual(expect.arrayContaining([PAST_DAY.pastDay!.start, PAST_DAY.pastDay!.end]));
    }
  });
});
