import { describe, expect, it } from '@jest/globals';
import { addDays, DEFAULT_REMINDER_POLICY, planClock, planFixedClock, startOfShanghaiDay, WorkingDayCalendar } from '../../../libs/calendar/index.js';

const cal = WorkingDayCalendar.official();

describe('planClock', () => {
  it('plans yellow, red, escalation and repeats for 5 working days accepted Mon 2025-09-22', () => {
    const plan = planClock({ start: '2025-09-22', limit: 5, unit: 'working_days' }, cal);
    expect(plan).toMatchObject({
      dueOn: '2025-09-28', // make-up Sunday
      dueAt: '2025-09-29T00:00:00+08:00',
      stopped: false,
      provisional: false,
      yellowAt: '2025-09-25T00:00:00+08:00', // 2 working days left (09-26, 09-28) once 09-25 is used
      escalateAt: '2025-10-10T00:00:00+08:00', // 3rd working day after 09-28 is 10-09 (National Day off)
    });
    expect(plan.repeatAts.slice(0, 2)).toEqual(['2025-10-16T00:00:00+08:00', '2025-10-23T00:00:00+08:00']);
    expect(plan.repeatAts).toHaveLength(12);
  });

  it('moves every threshold past a supplement request and resubmission', () => {
    const plan = planClock({ start: '2025-09-22', limit: 5, unit: 'working_days', stops: [{ from: '2025-09-24', to: '2025-10-09' }] }, cal);
    expect(plan.dueOn).toBe('2025-10-13');
    // used 2 before the stop; after it 10-10, 10-11 (make-up Saturday), 10-13 remain → yellow when 10-10 is used
    expect(plan.yellowAt).toBe('2025-10-10T00:00:00+08:00');
    expect(plan.escalateAt).toBe('2025-10-17T00:00:00+08:00');
  });

  it('plans nothing while the clock is stopped', () => {
    const plan = planClock({ start: '2025-09-22', limit: 5, unit: 'working_days', stops: [{ from: '2025-09-24', to: null }] }, cal);
    expect(plan).toMatchObject({ stopped: true, dueOn: null, dueAt: null, yellowAt: null, escalateAt: null, repeatAts: [] });
  });

  it('turns yellow at 80 % of a long limit before 2 working days remain', () => {
    // 20 working days from Mon 2025-03-03: 80 % = 16 used on 2025-03-25; 2 remaining only on 2025-03-27
    const plan = planClock({ start: '2025-03-03', limit: 20, unit: 'working_days' }, cal);
    expect(plan.dueOn).toBe('2025-03-31');
    expect(plan.yellowAt).toBe('2025-03-25T00:00:00+08:00');
  });

  it('is yellow from acceptance when the limit is 2 working days or less', () => {
    const plan = planClock({ start: '2025-03-03', limit: 2, unit: 'working_days' }, cal);
    expect(plan.yellowAt).toBe('2025-03-03T00:00:00+08:00');
  });

  it('counts remaining working days for a calendar-day limit', () => {
    // 7 calendar days from Fri 2025-03-07 → 03-14 (Fri); working days after 03-12 up to 03-14: 03-13, 03-14
    const plan = planClock({ start: '2025-03-07', limit: 7, unit: 'calendar_days' }, cal);
    expect(plan.dueOn).toBe('2025-03-14');
    expect(plan.yellowAt).toBe('2025-03-12T00:00:00+08:00');
  });

  it('marks a deadline in a year without a notice as provisional', () => {
    const plan = planClock({ start: '2026-12-20', limit: 20, unit: 'working_days' }, cal);
    expect(plan.provisional).toBe(true);
  });

  it('follows a configured policy', () => {
    const plan = planClock({ start: '2025-09-22', limit: 5, unit: 'working_days' }, cal, { ...DEFAULT_REMINDER_POLICY, escalateAfterWorkingDays: 1, repeatEveryWorkingDays: 1 }, 2);
    expect(plan.escalateAt).toBe('2025-09-30T00:00:00+08:00');
    expect(plan.repeatAts).toEqual(['2025-10-01T00:00:00+08:00', '2025-10-10T00:00:00+08:00']);
  });
});

describe('planClock repeats after earlier ones', () => {
  it('continues the repeat series after the repeats already fired', () => {
    const all = planClock({ start: '2025-09-22', limit: 5, unit: 'working_days' }, cal, DEFAULT_REMINDER_POLICY, 4);
    const later = planClock({ start: '2025-09-22', limit: 5, unit: 'working_days' }, cal, DEFAULT_REMINDER_POLICY, 2, 2);
    expect(later.repeatAts).toEqual(all.repeatAts.slice(2, 4));
  });
});

describe('planFixedClock', () => {
  /** The yellow day by its definition: the first day with few enough working days left after it, or enough days used. */
  const yellowByDefinition = (start: string, dueOn: string): string => {
    const span = (Date.parse(dueOn) - Date.parse(start)) / 86_400_000;
    for (let d = 0; d <= span; d++) {
      const day = addDays(start, d);
      if (cal.workingDaysBetween(day, dueOn) <= DEFAULT_REMINDER_POLICY.yellowRemainingWorkingDays || (d * 100) / span >= DEFAULT_REMINDER_POLICY.yellowUsedPercent) return startOfShanghaiDay(day);
    }
    return startOfShanghaiDay(dueOn);
  };

  it.each([
    ['2025-09-15', '2025-10-10'], // across National Day and its make-up Sunday and Saturday
    ['2025-01-02', '2025-02-14'], // across the Spring Festival
    ['2024-03-05', '2026-03-05'], // a filing certificate's two years
    ['2025-12-20', '2025-12-31'], // a bonded-zone year end
    ['2025-10-01', '2025-10-08'], // a span of holidays only
  ])('turns yellow from %s to %s on the first day the rule says', (start, dueOn) => {
    expect(planFixedClock(start, dueOn, cal).yellowAt).toBe(yellowByDefinition(start, dueOn));
  });
});
