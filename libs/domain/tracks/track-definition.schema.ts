import { DEPARTMENT_KEYS } from '../departments.js';
import { APPROVAL_ROUTES, FACT_KINDS, INBOUND_EVENT_TYPES, STEP_GROUP_MODES, TRACK_KEY_PATTERN } from '../track-definition.js';

/*
 * The published format of a track definition (轨道定义): a JSON Schema (draft 2020-12) describing exactly the
 * `TrackDefinition` type of ../track-definition.ts, field for field; every object refuses fields the type does not
 * have. The schema checks shapes, ranges and closed vocabularies; the loader (../track-loader.ts) adds the checks a
 * schema cannot express (references between steps, cycles, joint groups, the final step). Served to signed-in
 * users at `GET /api/v1/tracks/schema`.
 */

const KEY = '^[a-z][a-z0-9_]{1,63}$';
const MONTH_DAY = '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';

const text = (description: string) => ({ type: 'string', minLength: 1, description }) as const;

/** The schema's `$id`: a stable name, not a fetchable address (the API serves the document itself). */
export const TRACK_DEFINITION_SCHEMA_ID = 'urn:major-project-approvals:schema:track-definition';

/**
 * The JSON Schema (2020-12) of a track definition.
 *
 * Source of each rule: the field's description (statute and article where a field encodes one).
 */
export const TRACK_DEFINITION_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: TRACK_DEFINITION_SCHEMA_ID,
  title: 'Track definition (轨道定义)',
  description:
    'A versioned approval process (审批轨道): stages, steps with their departments, dependencies and time limits, the ' +
    'project\'s own deadlines and the reminder policy. A project pins `track@version` when it is registered; a running ' +
    'project keeps its version. JSON or YAML.',
  type: 'object',
  additionalProperties: false,
  required: ['track', 'version', 'name', 'nameZh', 'stages', 'steps', 'finalStep', 'reminderPolicy', 'projectDeadlines'],
  properties: {
    track: {
      type: 'string',
      pattern: TRACK_KEY_PATTERN.source,
      description: 'Key of the track (轨道), snake_case, 2–32 characters, e.g. `standard`; projects name it when registered. A new key is a new track.',
    },
    version: {
      type: 'integer',
      minimum: 1,
      description: 'Version (版本), a positive integer; bump it for any change a running project must not see.',
    },
    name: text('Name of the track in English.'),
    nameZh: text('Name of the track in Chinese (轨道名称).'),
    stages: {
      type: 'array',
      minItems: 1,
      items: { $ref: '#/$defs/stage' },
      description: 'Stages (阶段), in order; a project is in the earliest stage with an open step.',
    },
    steps: {
      type: 'array',
      minItems: 1,
      items: { $ref: '#/$defs/step' },
      description: 'Approval steps (审批事项); any order: they are ordered by their dependencies when loaded.',
    },
    finalStep: {
      type: 'string',
      pattern: KEY,
      description: 'Key of the step whose approval completes the project (e.g. groundbreaking 开工); every other step leads to it.',
    },
    reminderPolicy: { $ref: '#/$defs/reminderPolicy' },
    projectDeadlines: {
      type: 'array',
      items: { $ref: '#/$defs/projectDeadline' },
      description: 'Deadlines of the project itself (项目节点目标与硬性期限), from one step to another or to a day of the signing year.',
    },
    yearPlans: {
      type: 'object',
      description:
        'Year plans (年度计划): per signing year (`YYYY`), the target day (`MM-DD`) of fixed project deadlines that differ from the definition\'s.',
      propertyNames: { pattern: '^[0-9]{4}$' },
      additionalProperties: {
        type: 'object',
        propertyNames: { pattern: KEY },
        additionalProperties: { type: 'string', pattern: MONTH_DAY, description: 'Target day `MM-DD` in that year.' },
      },
    },
    jointGroups: {
      type: 'array',
      items: { $ref: '#/$defs/jointGroup' },
      description: 'Steps handled jointly (联合办理/统一办理/集中办理, 行政许可法 Art. 26, 42 ¶2) under one limit counted from the first acceptance among them.',
    },
    governmentTimePromises: {
      type: 'array',
      items: { $ref: '#/$defs/governmentTimePromise' },
      description: 'Promises about government time (政府审批用时承诺), e.g. approvals before groundbreaking within 100 days.',
    },
    stepGroups: {
      type: 'array',
      items: { $ref: '#/$defs/stepGroup' },
      description:
        'Sub-step groups (子事项组): steps a dependency names together by the group\'s key, satisfied when all of them pass (`all`) or any one passes (`any`).',
    },
    eventMappings: {
      type: 'object',
      description:
        'Event mappings (外部事件映射): what each event type other systems send (`POST /api/v1/events`) does to which step of this track. When present it is the whole mapping (a type it does not list affects nothing: such an event waits for a person); when absent, the shipped mapping of the track\'s key applies.',
      propertyNames: { enum: [...INBOUND_EVENT_TYPES] },
      additionalProperties: { $ref: '#/$defs/eventMapping' },
    },
  },
  $defs: {
    key: { type: 'string', pattern: KEY, description: 'A stable key: snake_case, 2–64 characters, starting with a letter.' },
    confidence: {
      type: 'string',
      enum: ['high', 'medium', 'low'],
      description: 'How sure the figure is (可信度): high = read in the statute; medium = an official secondary source; low = no rule found, a district setting.',
    },
    limitUnit: {
      type: 'string',
      enum: ['working_days', 'calendar_days'],
      description:
        'Unit of a limit: working days (工作日) on the official calendar (State Council holiday notices, make-up working days counted; 行政许可法 Art. 82), or calendar days (自然日).',
    },
    approvalRoute: {
      type: 'string',
      enum: [...APPROVAL_ROUTES],
      description: 'How the project enters the investment system: `filing` (备案, the normal route) or `approval` (核准, catalogue projects).',
    },
    timeLimit: {
      type: 'object',
      description: 'A time limit (时限), counted from acceptance (受理) unless said otherwise, with the rule it comes from.',
      additionalProperties: false,
      required: ['value', 'unit', 'source', 'confidence'],
      properties: {
        value: { type: 'integer', minimum: 1, maximum: 3650, description: 'Number of days (天数), 1–3650.' },
        unit: { $ref: '#/$defs/limitUnit' },
        source: text('Source (依据): the law and article, or the district\'s published list, the figure follows.'),
        confidence: { $ref: '#/$defs/confidence' },
        unitAsWritten: text(
          'The unit exactly as the source writes it when the source leaves it open, e.g. `日` (建筑法 Art. 8 "七日"): `unit` is then the district\'s setting, not the statute\'s. Absent when the source states the unit.',
        ),
      },
    },
    extensionCap: {
      type: 'object',
      description:
        'Extension cap (延期上限): how far a department head may extend a running step\'s limit, once (行政许可法 Art. 42 ¶1: 10 working days; the project approval regulation Art. 10: 40 for 核准).',
      additionalProperties: false,
      required: ['value', 'unit', 'source'],
      properties: {
        value: { type: 'integer', minimum: 1, maximum: 60, description: 'Working days the extension may add, 1–60.' },
        unit: { const: 'working_days', description: 'Always working days (工作日).' },
        source: text('Source (依据) of the cap.'),
        route: { $ref: '#/$defs/approvalRoute', description: 'Limits the cap to projects on this route; absent: any route.' },
      },
    },
    certificate: {
      type: 'object',
      description:
        'A certificate (证照) handed over after the decision (送达, 行政许可法 Art. 44: within 10 working days): the step is approved at the decision and delivered at the hand-over.',
      additionalProperties: false,
      required: ['name', 'nameZh', 'limit'],
      properties: {
        name: text('Name of the certificate in English.'),
        nameZh: text('Name of the certificate in Chinese (证照名称).'),
        limit: { $ref: '#/$defs/timeLimit', description: 'Delivery limit (送达时限), counted from the decision.' },
      },
    },
    expiry: {
      type: 'object',
      description:
        'A validity (有效期) that runs after the decision and lapses unless the work it allows starts (expiry clock), counted in calendar months (民法典 Art. 202, moved off a holiday by Art. 203).',
      additionalProperties: false,
      required: ['key', 'name', 'nameZh', 'months', 'endsAtStep', 'renewals', 'remindWorkingDaysBefore', 'source', 'confidence'],
      properties: {
        key: { $ref: '#/$defs/key' },
        name: text('Name of the validity in English.'),
        nameZh: text('Name of the validity in Chinese (有效期名称).'),
        months: { type: 'integer', minimum: 1, maximum: 120, description: 'Months from the decision day, 1–120 (or the land contract\'s term, see `contractTerm`).' },
        contractTerm: {
          type: 'string',
          enum: ['preparation', 'build'],
          description: 'Take the months from the land contract\'s terms given at approval: the preparation period (动工准备期) or the build period (建设期).',
        },
        endsAtStep: { $ref: '#/$defs/key', description: 'The validity is used up (met) when this step is approved.' },
        renewals: {
          type: 'object',
          description: 'Renewals (延续/延期) the issuing department may grant.',
          additionalProperties: false,
          required: ['max', 'maxMonths'],
          properties: {
            max: { type: 'integer', minimum: 0, description: 'How many renewals at most.' },
            maxMonths: { type: 'integer', minimum: 0, description: 'At most how many months each.' },
          },
        },
        remindWorkingDaysBefore: {
          type: 'integer',
          minimum: 0,
          description: 'Working days before the lapse at which the reminder (yellow 黄灯) goes out, so the renewal is applied for in time.',
        },
        route: { $ref: '#/$defs/approvalRoute', description: 'Only for projects on this route (e.g. 核准\'s 2 years).' },
        source: text('Source (依据) of the validity.'),
        confidence: { $ref: '#/$defs/confidence' },
      },
    },
    reminderPolicy: {
      type: 'object',
      description: 'Reminder policy (提醒与督办规则) of the step clocks: when the light turns yellow, when 督办 (escalation to the supervisor) starts and repeats.',
      additionalProperties: false,
      required: ['yellowRemainingWorkingDays', 'yellowUsedPercent', 'escalateAfterWorkingDays', 'repeatEveryWorkingDays'],
      properties: {
        yellowRemainingWorkingDays: { type: 'integer', minimum: 0, description: 'Yellow (黄灯) when at most this many working days are left.' },
        yellowUsedPercent: { type: 'integer', minimum: 1, maximum: 100, description: 'Yellow (黄灯) when this share of the limit is used, in percent.' },
        escalateAfterWorkingDays: { type: 'integer', minimum: 0, description: '督办 (escalation) this many working days after red (红灯, overdue).' },
        repeatEveryWorkingDays: { type: 'integer', minimum: 1, description: 'The 督办 repeats every this many working days while the step stays overdue.' },
      },
    },
    stepReminderPolicy: {
      type: 'object',
      description: 'Overrides of the track\'s reminder policy (提醒规则) for one step; fields left out keep the track\'s.',
      additionalProperties: false,
      properties: {
        yellowRemainingWorkingDays: { type: 'integer', minimum: 0 },
        yellowUsedPercent: { type: 'integer', minimum: 1, maximum: 100 },
        escalateAfterWorkingDays: { type: 'integer', minimum: 0 },
        repeatEveryWorkingDays: { type: 'integer', minimum: 1 },
      },
    },
    stage: {
      type: 'object',
      description: 'A stage (阶段) of the track, e.g. 立项用地规划许可.',
      additionalProperties: false,
      required: ['key', 'name', 'nameZh'],
      properties: {
        key: { $ref: '#/$defs/key' },
        name: text('Name of the stage in English.'),
        nameZh: text('Name of the stage in Chinese (阶段名称).'),
      },
    },
    step: {
      type: 'object',
      description: 'One approval step (审批事项/环节) acted on by the officers of one department.',
      additionalProperties: false,
      required: ['key', 'name', 'nameZh', 'stage', 'department', 'dependsOn', 'limit'],
      properties: {
        key: { $ref: '#/$defs/key', description: 'Stable key, snake_case; part of URLs (`/steps/{key}/actions`).' },
        name: text('Name of the step in English.'),
        nameZh: text('Name of the step in Chinese (事项名称).'),
        stage: { $ref: '#/$defs/key', description: 'Key of the stage (阶段) it belongs to.' },
        department: { type: 'string', enum: [...DEPARTMENT_KEYS], description: 'The department (部门) whose officers act on it.' },
        dependsOn: {
          type: 'array',
          items: { $ref: '#/$defs/key' },
          description: 'Keys of the steps (前置事项) that must be approved or waived before this one becomes ready, or of sub-step groups (`stepGroups`) that must be satisfied.',
        },
        limit: {
          $ref: '#/$defs/timeLimit',
          description:
            'The published limit (承诺时限, 优化营商环境条例 Art. 35), counted from acceptance (受理): lights and reminders run on it. Where the district publishes nothing shorter, the statutory limit.',
        },
        statutoryLimit: {
          $ref: '#/$defs/timeLimit',
          description: 'The statutory limit (法定时限); passing it is statutory_overdue (超法定时限). Default: `limit`. Never shorter than the published one.',
        },
        extensionCaps: {
          type: 'array',
          items: { $ref: '#/$defs/extensionCap' },
          description: 'Extension caps (延期上限), one per route at most; default 10 working days (行政许可法 Art. 42 ¶1).',
        },
        certificate: { $ref: '#/$defs/certificate' },
        expiries: { type: 'array', items: { $ref: '#/$defs/expiry' }, description: 'Validities (有效期) that run after the decision and lapse (expiry clocks).' },
        notGovernmentTime: text(
          'Why the step\'s time is not government time (政府审批用时): the applicant\'s own work, or a statutory sale procedure excluded under 行政许可法 Art. 45. Absent: an agency holds the file from acceptance to decision.',
        ),
        requiresFacts: {
          type: 'array',
          items: { type: 'string', enum: [...FACT_KINDS] },
          description: 'Facts (外部事实, recorded by `POST /events`) the step waits for before it becomes ready, e.g. `land_price_paid` (土地出让价款缴清).',
        },
        waivable: { type: 'boolean', description: 'Whether 容缺 (waiver of missing material) may close it. Default true.' },
        reminderPolicy: { $ref: '#/$defs/stepReminderPolicy' },
        forecastDuration: {
          type: 'object',
          description: 'Time the at-risk forecast (风险预测) allows for the step from ready to done, when it is not its limit, e.g. the construction period.',
          additionalProperties: false,
          required: ['value', 'unit', 'source'],
          properties: {
            value: { type: 'integer', minimum: 1, maximum: 3650, description: 'Number of days, 1–3650.' },
            unit: { $ref: '#/$defs/limitUnit' },
            source: text('Source (依据) of the figure.'),
          },
        },
      },
    },
    jointGroup: {
      type: 'object',
      description:
        'Steps handled jointly (联合办理, 行政许可法 Art. 26, 42 ¶2): one limit of at most 45 working days from the first acceptance among them, extendable once by 15 with the approval of the district government. The steps run side by side: none may depend on another.',
      additionalProperties: false,
      required: ['key', 'name', 'nameZh', 'steps', 'limit', 'extension'],
      properties: {
        key: { $ref: '#/$defs/key' },
        name: text('Name of the joint group in English.'),
        nameZh: text('Name of the joint group in Chinese (联合办理名称).'),
        steps: { type: 'array', minItems: 2, items: { $ref: '#/$defs/key' }, description: 'Keys of the steps handled jointly; at least two.' },
        limit: { $ref: '#/$defs/timeLimit', description: 'The statutory joint limit (法定时限, 45 working days).' },
        publishedLimit: { $ref: '#/$defs/timeLimit', description: 'The district\'s published, shorter joint limit (承诺时限), if any; the lights run on it.' },
        extension: {
          type: 'object',
          description: 'The one extension (延期) of the joint limit and who approves it.',
          additionalProperties: false,
          required: ['value', 'unit', 'source'],
          properties: {
            value: { type: 'integer', minimum: 1, maximum: 60, description: 'Working days added, 1–60 (15 under Art. 42 ¶2).' },
            unit: { const: 'working_days', description: 'Always working days (工作日).' },
            source: text('Source (依据) of the extension.'),
          },
        },
      },
    },
    stepGroup: {
      type: 'object',
      description:
        'A sub-step group (子事项组): a step whose `dependsOn` names the group\'s key waits until every member is done (`all`, e.g. the fire and civil-defence sign-offs before acceptance) or at least one is (`any`, e.g. a soil risk assessment finding no remediation needed, OR remediation and its effect evaluation). Done: approved, delivered or waived. In an `any` group, once one member is done the others are no longer required: they never become ready, a running one is withdrawn, and they count in no light, stuck list or forecast.',
      additionalProperties: false,
      required: ['key', 'name', 'nameZh', 'mode', 'steps'],
      properties: {
        key: { $ref: '#/$defs/key', description: 'Stable key, distinct from every step key (`dependsOn` names it).' },
        name: text('Name of the group in English.'),
        nameZh: text('Name of the group in Chinese (子事项组名称).'),
        mode: { type: 'string', enum: [...STEP_GROUP_MODES], description: '`all`: every member must pass (全部通过); `any`: one member passing is enough (任一通过).' },
        steps: {
          type: 'array',
          minItems: 1,
          items: { $ref: '#/$defs/key' },
          description: 'Keys of the member steps (成员事项); steps only, not other groups.',
        },
      },
    },
    eventMapping: {
      description:
        'What one event type does: `fact` records the named fact (steps may wait for it in `requiresFacts`); `approve` brings the step to approved through an officer\'s accept and approve, back-dated to the event\'s `occurredAt`; `deliver` approves, then delivers the step\'s certificate (送达) when it issues one.',
      type: 'object',
      additionalProperties: false,
      required: ['effect', 'data', 'source'],
      properties: {
        effect: { type: 'string', enum: ['fact', 'approve', 'deliver'], description: 'What the event does (作用): record a fact, approve a step, or approve and deliver it.' },
        fact: { type: 'string', enum: [...FACT_KINDS], description: 'For `fact`: the fact recorded (外部事实).' },
        step: { $ref: '#/$defs/key', description: 'For `approve` and `deliver`: key of the step the event approves (or approves and delivers).' },
        data: { $ref: '#/$defs/eventData' },
        source: text('The document or practice the effect follows (依据).'),
      },
      if: { properties: { effect: { const: 'fact' } } },
      then: { properties: { fact: true }, required: ['fact'] },
      else: { properties: { step: true }, required: ['step'] },
    },
    eventData: {
      type: 'array',
      items: { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,63}$' },
      uniqueItems: true,
      description: 'The event\'s `data` fields the effect passes on, e.g. `reference` (文号) and `amountYuan` (金额, 元).',
    },
    governmentTimePromise: {
      type: 'object',
      description: 'A promise about government time (政府审批用时承诺): the working days agencies held the file, over the steps up to `untilStep`.',
      additionalProperties: false,
      required: ['key', 'name', 'nameZh', 'untilStep', 'limit'],
      properties: {
        key: { $ref: '#/$defs/key' },
        name: text('Name of the promise in English.'),
        nameZh: text('Name of the promise in Chinese (承诺名称).'),
        untilStep: { $ref: '#/$defs/key', description: 'The promise covers this step and every step it depends on, directly or not.' },
        limit: { $ref: '#/$defs/timeLimit' },
      },
    },
    projectDeadline: {
      type: 'object',
      description:
        'A deadline of the project itself (项目节点目标): from one step\'s decision to another\'s approval (e.g. 拿地即开工, groundbreaking within 90 days of the land contract), or to a fixed day of the signing year (a target; a hard deadline such as the bonded zone\'s year end 年底). Exactly one of `limit` or `target`.',
      additionalProperties: false,
      required: ['key', 'name', 'nameZh', 'fromStep', 'toStep', 'grades', 'lateGrade'],
      properties: {
        key: { $ref: '#/$defs/key' },
        name: text('Name of the deadline in English.'),
        nameZh: text('Name of the deadline in Chinese (节点名称).'),
        fromStep: {
          anyOf: [{ $ref: '#/$defs/key' }, { type: 'null' }],
          description: 'The clock starts on the day this step is approved or waived; null: at registration (登记).',
        },
        toStep: { $ref: '#/$defs/key', description: 'The clock ends when this step is approved.' },
        limit: { $ref: '#/$defs/timeLimit', description: 'A limit counted from the start.' },
        target: {
          type: 'object',
          description: 'A fixed day (目标日) of the signing year, e.g. 12-31 for 当年开工、当年竣工、当年验收; a year plan may move it. Not moved off a holiday.',
          additionalProperties: false,
          required: ['monthDay', 'source', 'confidence'],
          properties: {
            monthDay: { type: 'string', pattern: MONTH_DAY, description: 'Month and day, `MM-DD`.' },
            source: text('Source (依据) of the target.'),
            confidence: { $ref: '#/$defs/confidence' },
          },
        },
        hard: { type: 'boolean', description: 'A hard deadline (硬性期限): the at-risk forecast checks whether the remaining work fits before it.' },
        grades: {
          type: 'array',
          description: 'Grades (评级), ascending: the first whose `maxDays` (calendar days from start to end) is not exceeded gives the grade.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['maxDays', 'grade'],
            properties: {
              maxDays: { type: 'integer', minimum: 0, description: 'Calendar days from start to end, at most.' },
              grade: { $ref: '#/$defs/key', description: 'The grade, e.g. `excellent`.' },
            },
          },
        },
        lateGrade: { $ref: '#/$defs/key', description: 'Grade when every `maxDays` is exceeded, e.g. `overdue`.' },
      },
    },
  },
} as const;
