import { describe, it, expect } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  allTrackDefinitions,
  APPROVAL_ROUTES,
  DEPARTMENT_KEYS,
  FACT_KINDS,
  TRACK_KEY_PATTERN,
  type CertificateDefinition,
  type ExpiryDefinition,
  type ExtensionCap,
  type GovernmentTimePromise,
  type JointGroupDefinition,
  type ProjectDeadlineDefinition,
  type StageDefinition,
  type StepDefinition,
  type StepGroupDefinition,
  type TimeLimit,
  type TrackDefinition,
} from '../../../libs/domain/index.js';
import { checkTrackDefinition, formatProblem } from '../../../libs/domain/track-loader.js';
import { TRACK_DEFINITION_SCHEMA } from '../../../libs/domain/tracks/track-definition.schema.js';
import type { ReminderPolicy } from '../../../libs/calendar/index.js';

/*
 * The published JSON Schema and the TrackDefinition type describe the same thing: the same fields, the same
 * required ones, closed objects. Checked twice: by the compiler (the schema is a constant whose property names are
 * types) and at run time on a definition that fills every optional field.
 */

type Schema = typeof TRACK_DEFINITION_SCHEMA;
type Defs = Schema['$defs'];

/** The keys of T that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** Compiles only when A and B are the same union. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree = <T extends true>(): T => true as T;

// Property names: the schema's object has exactly the type's fields; required: exactly the non-optional ones.
agree<Same<keyof Schema['properties'], keyof TrackDefinition>>();
agree<Same<Schema['required'][number], RequiredKeys<TrackDefinition>>>();
agree<Same<keyof Defs['step']['properties'], keyof StepDefinition>>();
agree<Same<Defs['step']['required'][number], RequiredKeys<StepDefinition>>>();
agree<Same<keyof Defs['stage']['properties'], keyof StageDefinition>>();
agree<Same<Defs['stage']['required'][number], RequiredKeys<StageDefinition>>>();
agree<Same<keyof Defs['timeLimit']['properties'], keyof TimeLimit>>();
agree<Same<Defs['timeLimit']['required'][number], RequiredKeys<TimeLimit>>>();
agree<Same<keyof Defs['extensionCap']['properties'], keyof ExtensionCap>>();
agree<Same<Defs['extensionCap']['required'][number], RequiredKeys<ExtensionCap>>>();
agree<Same<keyof Defs['certificate']['properties'], keyof CertificateDefinition>>();
agree<Same<Defs['certificate']['required'][number], RequiredKeys<CertificateDefinition>>>();
agree<Same<keyof Defs['expiry']['properties'], keyof ExpiryDefinition>>();
agree<Same<Defs['expiry']['required'][number], RequiredKeys<ExpiryDefinition>>>();
agree<Same<keyof Defs['reminderPolicy']['properties'], keyof ReminderPolicy>>();
agree<Same<Defs['reminderPolicy']['required'][number], RequiredKeys<ReminderPolicy>>>();
agree<Same<keyof Defs['stepReminderPolicy']['properties'], keyof ReminderPolicy>>();
agree<Same<keyof Defs['jointGroup']['properties'], keyof JointGroupDefinition>>();
agree<Same<Defs['jointGroup']['required'][number], RequiredKeys<JointGroupDefinition>>>();
agree<Same<keyof Defs['jointGroup']['properties']['extension']['properties'], keyof JointGroupDefinition['extension']>>();
agree<Same<keyof Defs['stepGroup']['properties'], keyof StepGroupDefinition>>();
agree<Same<Defs['stepGroup']['required'][number], RequiredKeys<StepGroupDefinition>>>();
agree<Same<Defs['stepGroup']['properties']['mode']['enum'][number], StepGroupDefinition['mode']>>();
agree<Same<keyof Defs['governmentTimePromise']['properties'], keyof GovernmentTimePromise>>();
agree<Same<Defs['governmentTimePromise']['required'][number], RequiredKeys<GovernmentTimePromise>>>();
agree<Same<keyof Defs['projectDeadline']['properties'], keyof ProjectDeadlineDefinition>>();
agree<Same<Defs['projectDeadline']['required'][number], RequiredKeys<ProjectDeadlineDefinition>>>();
agree<Same<keyof Defs['projectDeadline']['properties']['target']['properties'], keyof NonNullable<ProjectDeadlineDefinition['target']>>>();
agree<Same<keyof Defs['projectDeadline']['properties']['grades']['items']['properties'], keyof ProjectDeadlineDefinition['grades'][number]>>();
agree<Same<keyof Defs['step']['properties']['forecastDuration']['properties'], keyof NonNullable<StepDefinition['forecastDuration']>>>();
agree<Same<keyof Defs['expiry']['properties']['renewals']['properties'], keyof ExpiryDefinition['renewals']>>();
// Closed vocabularies.
agree<Same<Defs['limitUnit']['enum'][number], TimeLimit['unit']>>();
agree<Same<Defs['confidence']['enum'][number], TimeLimit['confidence']>>();
agree<Same<Defs['expiry']['properties']['contractTerm']['enum'][number], NonNullable<ExpiryDefinition['contractTerm']>>>();

const limit: TimeLimit = { value: 20, unit: 'working_days', source: '行政许可法 Art. 42', confidence: 'high', unitAsWritten: '日' };
const policy: ReminderPolicy = { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 };

/** A step with every optional field given (Required<> makes the compiler insist on each). */
const fullStep: Required<StepDefinition> = {
  key: 'permit',
  name: 'Permit',
  nameZh: '许可',
  stage: 'approvals',
  department: 'natural_resources',
  dependsOn: ['survey'],
  limit,
  statutoryLimit: { ...limit, value: 30 },
  extensionCaps: [{ value: 40, unit: 'working_days', source: '核准 regulation Art. 10', route: 'approval' } satisfies Required<ExtensionCap>],
  certificate: { name: 'Permit', nameZh: '许可证', limit } satisfies Required<CertificateDefinition>,
  expiries: [
    {
      key: 'permit_validity',
      name: 'Permit validity',
      nameZh: '有效期',
      months: 12,
      contractTerm: 'build',
      endsAtStep: 'opening',
      renewals: { max: 1, maxMonths: 12 },
      remindWorkingDaysBefore: 20,
      route: 'filing',
      source: 'statute',
      confidence: 'medium',
    } satisfies Required<ExpiryDefinition>,
  ],
  notGovernmentTime: 'the applicant\'s own work',
  requiresFacts: ['land_price_paid'],
  waivable: false,
  reminderPolicy: { yellowUsedPercent: 70 },
  forecastDuration: { value: 10, unit: 'calendar_days', source: 'practice' },
};

/** A track with every optional field given, at every level. */
const full: Required<TrackDefinition> = {
  track: 'standard',
  version: 9,
  name: 'Full',
  nameZh: '完整',
  stages: [{ key: 'approvals', name: 'Approvals', nameZh: '审批' }],
  steps: [
    { key: 'survey', name: 'Survey', nameZh: '勘察', stage: 'approvals', department: 'development_reform', dependsOn: [], limit },
    { key: 'check', name: 'Check', nameZh: '核查', stage: 'approvals', department: 'ecology_environment', dependsOn: ['survey'], limit },
    fullStep,
    { key: 'opening', name: 'Opening', nameZh: '开业', stage: 'approvals', department: 'project_office', dependsOn: ['sign_offs'], limit },
  ].map((s) => JSON.parse(JSON.stringify(s)) as StepDefinition),
  finalStep: 'opening',
  reminderPolicy: policy,
  projectDeadlines: [
    {
      key: 'opening_target',
      name: 'Opening by the year plan',
      nameZh: '按计划开业',
      fromStep: null,
      toStep: 'opening',
      target: { monthDay: '12-31', source: 'year plan', confidence: 'low' },
      hard: true,
      grades: [{ maxDays: 30, grade: 'excellent' }],
      lateGrade: 'late',
    },
    { key: 'quick', name: 'Quick', nameZh: '快', fromStep: 'survey', toStep: 'opening', limit, grades: [], lateGrade: 'overdue' },
  ],
  yearPlans: { 2026: { opening_target: '11-30' } },
  jointGroups: [
    {
      key: 'together',
      name: 'Together',
      nameZh: '联合',
      steps: ['permit', 'check'],
      limit: { ...limit, value: 45 },
      publishedLimit: { ...limit, value: 30 },
      extension: { value: 15, unit: 'working_days', source: 'Art. 42 ¶2' },
    } satisfies Required<JointGroupDefinition>,
  ],
  governmentTimePromises: [{ key: 'promise', name: 'Promise', nameZh: '承诺', untilStep: 'opening', limit } satisfies Required<GovernmentTimePromise>],
  stepGroups: [{ key: 'sign_offs', name: 'Sign-offs', nameZh: '会签', mode: 'all', steps: ['permit', 'check'] } satisfies Required<StepGroupDefinition>],
  eventMappings: {
    land_price_paid: { effect: 'fact', fact: 'land_price_paid', data: ['reference', 'amountYuan'], source: 'land contract' },
    construction_permit_issued: { effect: 'deliver', step: 'permit', data: ['reference'], source: 'permit system' },
  },
};

const ajv = new Ajv2020({ allErrors: true, strict: true });

describe('the track definition JSON Schema', () => {
  it('is a valid draft 2020-12 schema', () => {
    expect(TRACK_DEFINITION_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(() => ajv.compile(TRACK_DEFINITION_SCHEMA)).not.toThrow();
  });

  it.each(allTrackDefinitions().map((d) => [`${d.track}@${d.version}`, d] as const))('accepts the shipped track %s', (_id, def) => {
    const validate = ajv.compile(TRACK_DEFINITION_SCHEMA);

    expect(validate(JSON.parse(JSON.stringify(def)))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  it.each(allTrackDefinitions().map((d) => [`${d.track}@${d.version}`, d] as const))('loads the shipped track %s unchanged', (_id, def) => {
    const result = checkTrackDefinition(JSON.parse(JSON.stringify(def)));

    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
    expect(result.ok && result.definition).toEqual(def);
  });

  it('accepts a definition that gives every optional field', () => {
    const result = checkTrackDefinition(JSON.parse(JSON.stringify(full)));

    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
  });

  /** Every object of the definition, by its path in `full`, with one field too many. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed document walked by hand
  const objects: Array<[string, (d: any) => Record<string, unknown>]> = [
    ['colour', (d) => d],
    ['stages[0].colour', (d) => d.stages[0]],
    ['steps[2].colour', (d) => d.steps[2]],
    ['steps[2].limit.colour', (d) => d.steps[2].limit],
    ['steps[2].statutoryLimit.colour', (d) => d.steps[2].statutoryLimit],
    ['steps[2].extensionCaps[0].colour', (d) => d.steps[2].extensionCaps[0]],
    ['steps[2].certificate.colour', (d) => d.steps[2].certificate],
    ['steps[2].expiries[0].colour', (d) => d.steps[2].expiries[0]],
    ['steps[2].expiries[0].renewals.colour', (d) => d.steps[2].expiries[0].renewals],
    ['steps[2].reminderPolicy.colour', (d) => d.steps[2].reminderPolicy],
    ['steps[2].forecastDuration.colour', (d) => d.steps[2].forecastDuration],
    ['reminderPolicy.colour', (d) => d.reminderPolicy],
    ['projectDeadlines[0].colour', (d) => d.projectDeadlines[0]],
    ['projectDeadlines[0].target.colour', (d) => d.projectDeadlines[0].target],
    ['projectDeadlines[0].grades[0].colour', (d) => d.projectDeadlines[0].grades[0]],
    ['jointGroups[0].colour', (d) => d.jointGroups[0]],
    ['jointGroups[0].extension.colour', (d) => d.jointGroups[0].extension],
    ['governmentTimePromises[0].colour', (d) => d.governmentTimePromises[0]],
    ['stepGroups[0].colour', (d) => d.stepGroups[0]],
    ['eventMappings.construction_permit_issued.colour', (d) => d.eventMappings.construction_permit_issued],
  ];

  it.each(objects)('refuses a field the type does not have: %s', (path, at) => {
    const doc = JSON.parse(JSON.stringify(full));
    at(doc).colour = 'red';

    const result = checkTrackDefinition(doc);

    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([`${path}: unknown field (not part of the track definition format)`]);
  });

  it('takes any well-formed track key, and lists exactly the departments, facts and routes of the domain', () => {
    expect(TRACK_DEFINITION_SCHEMA.properties.track.pattern).toBe(TRACK_KEY_PATTERN.source);
    expect(TRACK_DEFINITION_SCHEMA.$defs.step.properties.department.enum).toEqual(DEPARTMENT_KEYS);
    expect(TRACK_DEFINITION_SCHEMA.$defs.step.properties.requiresFacts.items.enum).toEqual(FACT_KINDS);
    expect(TRACK_DEFINITION_SCHEMA.$defs.approvalRoute.enum).toEqual(APPROVAL_ROUTES);
  });

  it('describes every field, in English with the Chinese term where the domain has one', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      for (const [k, v] of Object.entries((n.properties as Record<string, Record<string, unknown>>) ?? {})) {
        const described = typeof v.description === 'string' || typeof v.$ref === 'string';
        if (!described && !path.includes('stepReminderPolicy')) missing.push(`${path}.${k}`);
        walk(v, `${path}.${k}`);
      }
      for (const key of ['items', 'additionalProperties']) walk(n[key], path);
      for (const [k, v] of Object.entries((n.$defs as Record<string, unknown>) ?? {})) walk(v, `$defs.${k}`);
    };
    walk(TRACK_DEFINITION_SCHEMA, '');

    expect(missing).toEqual([]);
    const text = JSON.stringify(TRACK_DEFINITION_SCHEMA);
    for (const term of ['阶段', '审批事项', '时限', '工作日', '承诺时限', '法定时限', '依据', '可信度', '延期上限', '联合办理', '外部事实', '证照', '有效期', '提醒与督办规则', '项目节点目标', '年度计划', '政府审批用时']) {
      expect(text).toContain(term);
    }
  });
});
