import { describe, it, expect } from '@jest/globals';
import { stringify } from 'yaml';
import type { TrackDefinition } from '../../../libs/domain/index.js';
import { criticalPathOf } from '../../../libs/domain/track-graph.js';
import { formatProblem, loadTrackDefinition, readablePath } from '../../../libs/domain/track-loader.js';

/*
 * A track definition written as data is refused with every problem at its path inside the document, worded so that
 * the person who wrote it can fix it.
 */

const wd = (value: number) => ({ value, unit: 'working_days', source: '行政许可法 Art. 42', confidence: 'high' });

/**
 * survey → land_title → permit → opening, and survey → check → opening (final).
 * steps[0] survey, [1] land_title, [2] permit, [3] check, [4] opening.
 */
function base(): TrackDefinition & Record<string, unknown> {
  return {
    track: 'standard',
    version: 4,
    name: 'Small track',
    nameZh: '小轨道',
    finalStep: 'opening',
    reminderPolicy: { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 },
    projectDeadlines: [],
    stages: [
      { key: 'approvals', name: 'Approvals', nameZh: '审批' },
      { key: 'works', name: 'Works', nameZh: '施工' },
    ],
    steps: [
      { key: 'survey', name: 'Survey', nameZh: '勘察', stage: 'approvals', department: 'development_reform', dependsOn: [], limit: wd(5) },
      { key: 'land_title', name: 'Land title', nameZh: '不动产权证', stage: 'approvals', department: 'natural_resources', dependsOn: ['survey'], limit: wd(10) },
      {
        key: 'permit',
        name: 'Permit',
        nameZh: '施工许可',
        stage: 'approvals',
        department: 'housing_construction',
        dependsOn: ['land_title'],
        limit: { value: 7, unit: 'calendar_days', source: '建筑法 Art. 8', confidence: 'high' },
      },
      { key: 'check', name: 'Check', nameZh: '环评', stage: 'approvals', department: 'ecology_environment', dependsOn: ['survey'], limit: wd(20) },
      { key: 'opening', name: 'Opening', nameZh: '开工', stage: 'works', department: 'project_office', dependsOn: ['permit', 'check'], limit: wd(3) },
    ],
  } as TrackDefinition & Record<string, unknown>;
}

/** The base definition as a plain document, changed by `edit`, as JSON text. */
function json(edit: (d: any) => void = () => {}): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const doc = JSON.parse(JSON.stringify(base()));
  edit(doc);
  return JSON.stringify(doc, null, 2);
}

/** The problems of a document, as a person reads them. */
function problems(text: string): string[] {
  const result = loadTrackDefinition(text);
  return result.ok ? [] : result.problems.map(formatProblem);
}

const JOINT = { key: 'joint', name: 'Joint', nameZh: '联合办理', limit: wd(45), extension: { value: 15, unit: 'working_days', source: 'Art. 42 ¶2' } };

describe(loadTrackDefinition.name, () => {
  it('loads a valid JSON definition, steps in dependency order', () => {
    const result = loadTrackDefinition(json());

    expect(result.ok).toBe(true);
    expect(result.ok && result.definition.steps.map((s) => s.key)).toEqual(['survey', 'land_title', 'permit', 'check', 'opening']);
    expect(result.ok && Object.isFrozen(result.definition)).toBe(true);
  });

  it('loads the same definition written in YAML', () => {
    const fromYaml = loadTrackDefinition(stringify(base()));
    const fromJson = loadTrackDefinition(json());

    expect(fromYaml.ok && fromJson.ok && fromYaml.definition).toEqual(fromJson.ok && fromJson.definition);
  });

  it('refuses a dependency on an unknown step, naming the step it probably meant', () => {
    expect(problems(json((d) => (d.steps[2].dependsOn = ['lnad_title'])))).toEqual(['steps[2].dependsOn[0]: unknown step "lnad_title"; did you mean "land_title"?']);
    expect(problems(json((d) => d.steps[4].dependsOn.push('handover')))).toEqual(['steps[4].dependsOn[2]: unknown step "handover"']);
  });

  it('refuses a dependency cycle and names it', () => {
    expect(problems(json((d) => (d.steps[1].dependsOn = ['permit'])))).toEqual([
      'steps[2].dependsOn[0]: dependency cycle: land_title → permit → land_title (each depends on the next)',
    ]);
  });

  it('refuses a step that depends on itself or twice on the same step', () => {
    expect(problems(json((d) => (d.steps[3].dependsOn = ['survey', 'check', 'survey'])))).toEqual([
      'steps[3].dependsOn[1]: step "check" depends on itself',
      'steps[3].dependsOn[2]: dependency "survey" is listed twice',
    ]);
  });

  it('refuses an unknown department, listing the known ones', () => {
    expect(problems(json((d) => (d.steps[3].department = 'fire_brigade')))).toEqual([
      'steps[3].department: unknown department "fire_brigade"; known: development_reform, natural_resources, ecology_environment, housing_construction, emergency_management, economy_information, customs, project_office',
    ]);
  });

  it('refuses a duplicate step key, stage key and project deadline key', () => {
    const deadline = { key: 'promise', name: 'P', nameZh: '承诺', fromStep: null, toStep: 'opening', limit: wd(90), grades: [], lateGrade: 'late' };
    expect(
      problems(
        json((d) => {
          d.steps.push({ ...d.steps[3], dependsOn: ['survey'] });
          d.stages.push({ key: 'works', name: 'Again', nameZh: '再' });
          d.projectDeadlines = [deadline, deadline];
        }),
      ),
    ).toEqual([
      'stages[2].key: duplicate stage key "works" (first at stages[1])',
      'steps[5].key: duplicate step key "check" (first at steps[3])',
      'projectDeadlines[1].key: duplicate project deadline key "promise" (first at projectDeadlines[0])',
    ]);
  });

  it.each([
    [-5, 'steps[1].limit.value: must be at least 1 day, got -5'],
    [0, 'steps[1].limit.value: must be at least 1 day, got 0'],
    [4000, 'steps[1].limit.value: must be at most 3650 days, got 4000'],
    [2.5, 'steps[1].limit.value: must be a whole number, got 2.5'],
  ])('refuses a limit of %p days', (value, problem) => {
    expect(problems(json((d) => (d.steps[1].limit.value = value)))).toEqual([problem]);
  });

  it('refuses a published limit longer than the statutory one', () => {
    expect(problems(json((d) => (d.steps[1].statutoryLimit = wd(5))))).toEqual([
      'steps[1].limit.value: the published limit (10 working days) is longer than the statutory limit (5 working days); a published limit may only shorten the statutory one (优化营商环境条例 Art. 35)',
    ]);
  });

  it('refuses a joint group whose steps wait for one another', () => {
    expect(problems(json((d) => (d.jointGroups = [{ ...JOINT, steps: ['land_title', 'permit'] }])))).toEqual([
      'jointGroups[0].steps[1]: step "permit" depends on "land_title" of the same joint group; jointly handled steps run side by side under one limit from the first acceptance (行政许可法 Art. 42 ¶2), so none may wait for another',
    ]);
  });

  it('refuses a joint group across customs and the district\'s departments', () => {
    const text = json((d) => {
      d.steps[3].department = 'customs';
      d.jointGroups = [{ ...JOINT, steps: ['land_title', 'check'] }];
    });

    expect(problems(text)).toEqual([
      'jointGroups[0].steps: mixes customs (海关) with the district\'s departments; customs is managed vertically (海关法 Art. 3), and the district government can neither organise it into joint handling nor approve the joint extension (行政许可法 Art. 26 ¶2, 42 ¶2)',
    ]);
  });

  it('refuses a joint group with an unknown step, a step in two groups, or a limit beyond Art. 42 ¶2', () => {
    const text = json((d) => {
      d.jointGroups = [
        { ...JOINT, steps: ['land_title', 'check'], limit: wd(60), extension: { ...JOINT.extension, value: 20 } },
        { ...JOINT, key: 'second', steps: ['check', 'permt'] },
      ];
    });

    expect(problems(text)).toEqual([
      'jointGroups[0].limit: the statutory joint limit is at most 45 working days (行政许可法 Art. 42 ¶2, Art. 82), got 60 working days',
      'jointGroups[0].extension.value: the joint extension is at most 15 working days (行政许可法 Art. 42 ¶2), got 20',
      'jointGroups[1].steps[0]: step "check" is already in joint group "joint" (jointGroups[0]); a step is handled jointly in one group only',
      'jointGroups[1].steps[1]: unknown step "permt"; did you mean "permit"?',
    ]);
  });

  it('refuses a joint group of one step', () => {
    expect(problems(json((d) => (d.jointGroups = [{ ...JOINT, steps: ['check'] }])))).toEqual(['jointGroups[0].steps: needs at least 2 items, got 1']);
  });

  it('refuses an unknown final step', () => {
    expect(problems(json((d) => (d.finalStep = 'openning')))).toEqual(['finalStep: unknown step "openning"; did you mean "opening"?']);
  });

  it('refuses a step that does not lead to the final step', () => {
    const text = json((d) => d.steps.push({ ...d.steps[3], key: 'extra', dependsOn: [] }));

    expect(problems(text)).toEqual(['steps[5]: step "extra" does not lead to the final step "opening": no step depends on it on the way there']);
  });

  it('refuses an unknown stage', () => {
    expect(problems(json((d) => (d.steps[4].stage = 'operation')))).toEqual(['steps[4].stage: unknown stage "operation"; stages: approvals, works']);
  });

  it('refuses unknown and missing fields, wrong types and malformed keys', () => {
    const text = json((d) => {
      d.steps[0].deadline = 5;
      delete d.steps[1].limit;
      d.version = '3';
      d.steps[2].key = 'Permit';
      d.reminderPolicy.yellowUsedPercent = 120;
    });

    expect(problems(text)).toEqual([
      'version: must be a whole number, got "3"',
      'steps[0].deadline: unknown field (not part of the track definition format)',
      'steps[1].limit: required field is missing',
      'steps[2].key: "Permit" is not a key: snake_case, 2–64 characters, starting with a letter',
      'reminderPolicy.yellowUsedPercent: must be at most 100, got 120',
    ]);
  });

  it('refuses project deadlines and year plans that name what does not exist', () => {
    const text = json((d) => {
      d.projectDeadlines = [
        { key: 'both', name: 'B', nameZh: '两者', fromStep: 'srvey', toStep: 'opening', limit: wd(90), target: { monthDay: '12-31', source: 'plan', confidence: 'low' }, grades: [{ maxDays: 60, grade: 'good' }, { maxDays: 30, grade: 'excellent' }], lateGrade: 'late' },
      ];
      d.yearPlans = { 2026: { year_end: '12-31' } };
    });

    expect(problems(text)).toEqual([
      'projectDeadlines[0].fromStep: unknown step "srvey"; did you mean "survey"?',
      'projectDeadlines[0]: give exactly one of `limit` (days from the start) or `target` (a day MM-DD of the signing year)',
      'projectDeadlines[0].grades[1].maxDays: grades must ascend: 30 follows 60',
      'yearPlans["2026"].year_end: "year_end" is not a project deadline with a target day; targets: both',
    ]);
  });

  it('refuses a year plan that is not a year and a day that is not MM-DD', () => {
    expect(problems(json((d) => (d.yearPlans = { next: { x_target: '13-01' } })))).toEqual([
      'yearPlans.next: "next" is not a year (YYYY)',
      'yearPlans.next.x_target: "13-01" is not a day MM-DD',
    ]);
  });

  it('loads event mappings and refuses those that name what does not exist or do not fit', () => {
    const mapping = (effect: string, extra: Record<string, unknown>) => ({ effect, data: ['reference'], source: 'district practice', ...extra });
    const good = json((d) => {
      d.eventMappings = { land_title_registered: mapping('approve', { step: 'land_title' }), land_price_paid: mapping('fact', { fact: 'land_price_paid' }) };
    });
    const loaded = loadTrackDefinition(good);

    expect(loaded.ok && loaded.definition.eventMappings?.land_title_registered).toEqual(mapping('approve', { step: 'land_title' }));
    expect(
      problems(
        json((d) => {
          d.eventMappings = {
            land_title_registered: mapping('approve', { step: 'land_titel' }),
            planning_permit_issued: mapping('deliver', { step: 'permit' }),
            eia_approved: mapping('approve', {}),
            land_price_paid: mapping('fact', { fact: 'land_price_paid', step: 'survey' }),
            permit_granted: mapping('approve', { step: 'permit' }),
          };
        }),
      ),
    ).toEqual([
      'eventMappings.permit_granted: unknown event type "permit_granted"; known: project_filed, land_contract_signed, land_price_paid, land_title_registered, planning_permit_issued, eia_approved, construction_permit_issued, customs_acceptance_passed',
      'eventMappings.eia_approved.step: required field is missing',
    ]);
    expect(
      problems(
        json((d) => {
          d.eventMappings = {
            land_title_registered: mapping('approve', { step: 'land_titel' }),
            planning_permit_issued: mapping('deliver', { step: 'permit' }),
            land_price_paid: mapping('fact', { fact: 'land_price_paid', step: 'survey' }),
          };
        }),
      ),
    ).toEqual([
      'eventMappings.land_title_registered.step: unknown step "land_titel"; did you mean "land_title"?',
      'eventMappings.planning_permit_issued.effect: step "permit" issues no certificate to deliver; give effect "approve"',
      'eventMappings.land_price_paid.step: a "fact" mapping records a fact and acts on no step; give effect "approve" or "deliver" to act on a step',
    ]);
  });

  it('reports a YAML syntax error and a duplicate key at their line and column', () => {
    expect(problems('track: standard\nsteps: [oops\n')).toEqual(['line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]']);
    expect(problems('track: standard\ntrack: bonded_zone\n')).toEqual(['line 2, column 1: Map keys must be unique']);
  });

  it('reports a document that is not an object', () => {
    expect(problems('[1, 2]')).toEqual(['(document): must be an object, got a list']);
  });
});

describe(criticalPathOf.name, () => {
  it('follows the chain with the longest limits to the final step', () => {
    const result = loadTrackDefinition(json());

    // survey 5 WD → check 20 WD → opening 3 WD = 28 WD, longer than survey → land_title → permit → opening
    // (5 + 10 + 3 = 18 WD and 7 calendar days, about 32 calendar days against 39).
    expect(result.ok && criticalPathOf(result.definition)).toEqual({ steps: ['survey', 'check', 'opening'], workingDays: 28, calendarDays: 0 });
  });

  it('counts calendar days apart when they make the longer chain', () => {
    const result = loadTrackDefinition(json((d) => (d.steps[2].limit.value = 30)));

    expect(result.ok && criticalPathOf(result.definition)).toEqual({ steps: ['survey', 'land_title', 'permit', 'opening'], workingDays: 18, calendarDays: 30 });
  });
});

describe(readablePath.name, () => {
  it('writes a JSON pointer with indexes in brackets and keys after dots', () => {
    const doc = { steps: [{ dependsOn: ['a'] }], yearPlans: { 2026: { 'odd-key': 1 } } };

    expect(readablePath('/steps/0/dependsOn/0', doc)).toBe('steps[0].dependsOn[0]');
    expect(readablePath('/yearPlans/2026/odd-key', doc)).toBe('yearPlans["2026"]["odd-key"]');
    expect(readablePath('', doc)).toBe('(document)');
  });
});
