/*
 * The rule table of officers' step actions: one entry per action, each with the states it starts from, the state
 * it leads to, what it checks beyond the state, what it changes, and the article it follows
 * (/work/shared/research/statutory-limits.md). A regulation and its exceptions (resubmit before acceptance is a new
 * receipt) are read in one place; the pipeline that runs an entry is in step-action-pipeline.ts.
 */
import { addMonths, shanghaiDateOf } from '../../calendar/index.js';
import { DomainError, DomainErrorCode } from '../errors.js';
import { extensionCapOf, jointGroupOf, type StepDefinition } from '../track-definition.js';
import { endAcceptanceWindow, lateAcceptanceWindow, startAcceptanceWindow, startAuxClock, startExpiries } from './aux-clocks.js';
import { closeStops, hasText, openExclusion, type ProjectCore } from './core.js';
import { DEEMED_RULE, exclusionNoticeText, extensionNoticeText, shanghaiTime } from './texts.js';
import { STEP_ACTIONS, type ActionContext, type Actor, type StepActionInput, type StepActionKind, type StepExtension, type StepRecord, type StepState, type TimelineEntry } from './types.js';

/**
 * Kinds of excluded period (行政许可法 Art. 45): time for hearing, bidding, auction, inspection, testing,
 * quarantine, appraisal and expert review is not counted; the applicant is told in writing. A district adds
 * local kinds (e.g. `public_notice` 公示) as configuration; those are recorded as local rules, not Art. 45.
 */
export const EXCLUDED_PERIOD_KINDS: Readonly<Record<string, string>> = Object.freeze({
  hearing: '听证',
  bidding: '招标',
  auction: '拍卖',
  inspection: '检验',
  testing: '检测',
  quarantine: '检疫',
  appraisal: '鉴定',
  expert_review: '专家评审',
});

/** What a rule sees while it checks an action (after the state, comment and field checks every action has). */
export interface StepActionCheck {
  core: ProjectCore;
  key: string;
  def: StepDefinition;
  rec: StepRecord;
  input: StepActionInput;
  /** The instant the action takes effect (its occurredAt, or now). */
  at: string;
  /** Who acts, when known (the workflow's validator and handler pass it). */
  actor: Actor | undefined;
}

/** What a rule sees while it applies an action: `data` is the action's timeline entry data, `extra` the entries after it. */
export interface StepActionApply {
  core: ProjectCore;
  key: string;
  def: StepDefinition;
  rec: StepRecord;
  input: StepActionInput;
  from: StepState;
  /** The action's context, at the instant it takes effect. */
  ctx: ActionContext;
  comment: string | null;
  /** The day of the written notice to the applicant (default: the day of the action). */
  noticeOn: string;
  data: Record<string, unknown>;
  extra: TimelineEntry[];
}

/** A refusal: the stable code and the officer's message. */
export interface Refusal {
  code: DomainErrorCode;
  message: string;
}

/** One step action: when it is allowed, what it does, and the rule it follows. */
export interface StepActionRule {
  action: StepActionKind;
  /** The article (or policy) the action follows. */
  statute: string;
  /** States it may start from. */
  from: readonly StepState[];
  /** The state it leads to: `same` leaves the state as it is; a function decides from the record before the change. */
  to: StepState | 'same' | ((rec: StepRecord) => StepState);
  /** Whether it needs a comment: the applicant is owed the reason in writing. */
  needsComment: boolean;
  /** Input fields that belong to it; sent with another action they are refused, not ignored. */
  fields: ReadonlyArray<keyof StepActionInput>;
  /** Why it does not apply to the step whatever its state (null when it applies); decides availableActions too. */
  precondition?: (core: ProjectCore, key: string) => Refusal | null;
  /** Further checks of the input. @throws DomainError */
  check?: (s: StepActionCheck) => void;
  /** The change beyond the state: clocks, stops, records, entries. */
  apply: (s: StepActionApply) => void;
  /** Whether it uses the validities its step waits for (approval or waiver of the step that consumes them). */
  endsExpiries?: boolean;
}

/** A refusal "cannot <action> step 'k' (名称): <reason>" with STEP.INVALID_STATE. */
function cannot(core: ProjectCore, key: string, action: StepActionKind, reason: string): Refusal {
  return { code: DomainErrorCode.StepInvalidState, message: `cannot ${action} step '${key}' (${core.stepDefinition(key)!.nameZh}): ${reason}` };
}

/** A new application (receipt or acceptance on the spot, or after a refusal): the previous one's clock is forgotten. */
function startApplication(rec: StepRecord): void {
  rec.decidedAt = null;
  rec.clockStops = [];
  rec.deadline = null;
  rec.extension = null;
  rec.deemedAccepted = false;
  rec.statutoryOverdue = false;
  rec.deliveredAt = null;
}

/** Records a deemed acceptance (行政许可法 Art. 32) on the record and the entry's data. */
function deemAccepted(s: StepActionApply): void {
  s.rec.acceptedAt = s.rec.receivedAt;
  s.rec.deemedAccepted = true;
  s.data.deemedAcceptedAt = s.rec.receivedAt;
  s.data.rule = DEEMED_RULE;
}

/** The extension cap of a step: its joint group's (Art. 42 ¶2) or its own by route (Art. 42 ¶1; 核准 regulation Art. 10). */
function capOf(core: ProjectCore, def: StepDefinition): { value: number; source: string } {
  const group = jointGroupOf(core.definition, def.key);
  return group ? { value: group.extension.value, source: group.extension.source } : extensionCapOf(def, core.snap.approvalRoute);
}

const OPEN_FOR_DECISION: readonly StepState[] = ['received', 'in_review', 'supplement_requested'];

/** The rule table, one entry per action, in the order of {@link STEP_ACTIONS}. */
export const STEP_ACTION_RULES: Readonly<Record<StepActionKind, StepActionRule>> = {
  receive: {
    action: 'receive',
    statute: '行政许可法 Art. 32: 收件; acceptance or a one-time supplement notice within 5 working days',
    from: ['ready', 'rejected'],
    to: 'received',
    needsComment: false,
    fields: [],
    apply: (s) => {
      startApplication(s.rec);
      s.rec.receivedAt = s.ctx.at;
      s.rec.acceptedAt = null;
      s.rec.light = null;
      startAcceptanceWindow(s.core, s.key, s.ctx.at);
    },
  },
  accept: {
    action: 'accept',
    statute: '行政许可法 Art. 32: 受理 (on the spot from ready; a new application after a refusal); late past the window, accepted on receipt',
    from: ['ready', 'rejected', 'received'],
    to: 'in_review',
    needsComment: false,
    fields: [],
    apply: (s) => {
      if (s.from !== 'received') {
        // On the spot (当场受理): received and accepted at once.
        startApplication(s.rec);
        s.rec.receivedAt = s.ctx.at;
        s.rec.acceptedAt = s.ctx.at;
      } else {
        const late = lateAcceptanceWindow(s.core, s.key, s.ctx.at);
        s.rec.acceptedAt = s.ctx.at;
        if (late) deemAccepted(s);
        endAcceptanceWindow(s.core, s.key, s.ctx.at, late ? 'deemed_accepted' : 'accepted');
      }
      s.rec.light = 'green';
    },
  },
  return: {
    action: 'return',
    statute: '行政许可法 Art. 32 ¶1(4): 补正, everything to supplement told once (一次性告知); the clock stops',
    from: ['received', 'in_review'],
    to: 'supplement_requested',
    needsComment: true,
    fields: [],
    apply: (s) => {
      if (s.from !== 'received') {
        s.rec.clockStops.push({ stoppedAt: s.ctx.at, resumedAt: null, reason: 'supplement_requested' });
        return;
      }
      const late = lateAcceptanceWindow(s.core, s.key, s.ctx.at);
      if (late) {
        // The notice came too late to stop acceptance: the application counts as accepted on receipt, and the
        // request stops the running clock from now.
        deemAccepted(s);
        s.rec.light = 'green';
        s.rec.clockStops.push({ stoppedAt: s.ctx.at, resumedAt: null, reason: 'supplement_requested' });
      }
      endAcceptanceWindow(s.core, s.key, s.ctx.at, late ? 'deemed_accepted' : 'supplement_requested');
    },
  },
  resubmit: {
    action: 'resubmit',
    statute: '行政许可法 Art. 32: the supplemented application; before acceptance it is a new receipt with a new 5-day window',
    from: ['supplement_requested'],
    // Back to review, or to `received` when the notice came before acceptance (a new receipt, a new window).
    to: (rec) => (rec.acceptedAt === null ? 'received' : 'in_review'),
    needsComment: false,
    fields: [],
    apply: (s) => {
      if (s.rec.acceptedAt === null) {
        s.rec.receivedAt = s.ctx.at;
        startAcceptanceWindow(s.core, s.key, s.ctx.at);
      } else {
        closeStops(s.rec, 'supplement_requested', s.ctx.at);
      }
    },
  },
  approve: {
    action: 'approve',
    statute: '行政许可法 Art. 42: the decision (办结) within the limit; Art. 44: the certificate within 10 days; validities start (research note §2.7)',
    from: ['in_review'],
    to: 'approved',
    needsComment: false,
    fields: ['contractTerms'],
    check: checkContractTerms,
    apply: (s) => {
      closeStops(s.rec, 'excluded_period', s.ctx.at);
      s.rec.decidedAt = s.ctx.at;
      if (s.def.certificate) {
        startAuxClock(s.core, 'certificate', s.key, s.key, s.ctx.at, s.def.certificate.limit.value, s.def.certificate.limit.unit, null);
        s.data.certificateDueWithin = { value: s.def.certificate.limit.value, unit: s.def.certificate.limit.unit };
      }
      s.extra.push(...startExpiries(s.core, s.def, s.ctx, s.input.contractTerms ?? null));
    },
    endsExpiries: true,
  },
  deliver: {
    action: 'deliver',
    statute: '行政许可法 Art. 44: the certificate handed over (送达) within 10 days of the decision',
    from: ['approved'],
    to: 'delivered',
    needsComment: false,
    fields: [],
    precondition: (core, key) => (core.stepDefinition(key)!.certificate ? null : cannot(core, key, 'deliver', 'it issues no certificate to deliver (行政许可法 Art. 44)')),
    apply: (s) => {
      s.rec.deliveredAt = s.ctx.at;
      const cert = s.core.auxClock(`certificate:${s.key}`);
      if (cert && cert.endedAt === null) {
        const late = cert.deadline?.dueAt != null && Date.parse(s.ctx.at) >= Date.parse(cert.deadline.dueAt);
        cert.endedAt = s.ctx.at;
        cert.outcome = late ? 'delivered_late' : 'delivered_on_time';
        cert.light = null;
        s.data.certificateDueOn = cert.deadline?.dueOn ?? null;
        s.data.late = late;
      }
    },
  },
  waive: {
    action: 'waive',
    statute: '容缺受理/承诺制 (DESIGN.md §4): decided with a material missing, due by waiverDueOn',
    from: ['ready', ...OPEN_FOR_DECISION],
    to: 'waived',
    needsComment: true,
    fields: ['waiverDueOn'],
    precondition: (core, key) => {
      const def = core.stepDefinition(key)!;
      return def.waivable === false ? { code: DomainErrorCode.StepNotWaivable, message: `step '${key}' (${def.nameZh}) cannot be waived (容缺); approve it once done` } : null;
    },
    apply: (s) => {
      closeStops(s.rec, 'supplement_requested', s.ctx.at);
      closeStops(s.rec, 'excluded_period', s.ctx.at);
      endAcceptanceWindow(s.core, s.key, s.ctx.at, 'withdrawn');
      s.rec.decidedAt = s.ctx.at;
      s.rec.waiverDueOn = s.input.waiverDueOn ?? null;
      if (s.rec.waiverDueOn) s.data.waiverDueOn = s.rec.waiverDueOn;
    },
    endsExpiries: true,
  },
  reject: {
    action: 'reject',
    statute: '行政许可法 Art. 32 (不予受理) and Art. 38 ¶2 (不予许可): the reasons in writing',
    from: OPEN_FOR_DECISION,
    to: 'rejected',
    needsComment: true,
    fields: [],
    apply: (s) => {
      closeStops(s.rec, 'supplement_requested', s.ctx.at);
      closeStops(s.rec, 'excluded_period', s.ctx.at);
      endAcceptanceWindow(s.core, s.key, s.ctx.at, 'refused');
      s.rec.decidedAt = s.ctx.at;
    },
  },
  reassign: {
    action: 'reassign',
    statute: 'internal (改派): the department hands the file to another officer; no clock changes',
    from: ['blocked', 'ready', ...OPEN_FOR_DECISION, 'rejected'],
    to: 'same',
    needsComment: false,
    fields: ['assignee'],
    check: ({ key, rec, input }) => {
      if (!hasText(input.assignee)) throw new DomainError(DomainErrorCode.ActionInvalid, 'reassign needs an assignee (the officer id the step goes to)');
      if (input.assignee === rec.assignee) throw new DomainError(DomainErrorCode.ActionInvalid, `step '${key}' is already assigned to ${input.assignee}`);
    },
    apply: (s) => {
      s.data.previousAssignee = s.rec.assignee;
      s.data.assignee = s.input.assignee;
      s.rec.assignee = s.input.assignee!;
    },
  },
  extend: {
    action: 'extend',
    statute: '行政许可法 Art. 42: once, by the head of the agency, 10 working days (40 for 核准, 15 for a joint group with the government\'s approval), the applicant told',
    from: ['in_review', 'supplement_requested'],
    to: 'same',
    needsComment: true,
    fields: ['extensionWorkingDays', 'approvalRef', 'noticeOn'],
    precondition: (core, key) => {
      const group = jointGroupOf(core.definition, key);
      const done = group ? core.snap.jointExtensions[group.key] : undefined;
      if (group && done) {
        return {
          code: DomainErrorCode.RuleRefused,
          message: `the joint group '${group.key}' (${group.nameZh}) was already extended once (${shanghaiTime(done.at)}); 行政许可法 Art. 42 ¶2 allows one extension`,
        };
      }
      const rec = core.step(key)!;
      return !group && rec.extension
        ? { code: DomainErrorCode.RuleRefused, message: `step '${key}' was already extended once (${shanghaiTime(rec.extension.at)}); 行政许可法 Art. 42 allows one extension` }
        : null;
    },
    check: checkExtension,
    apply: (s) => {
      const group = jointGroupOf(s.core.definition, s.key);
      const cap = capOf(s.core, s.def);
      const extension: StepExtension = {
        workingDays: s.input.extensionWorkingDays!,
        cap: cap.value,
        capSource: cap.source,
        at: s.ctx.at,
        by: s.ctx.actor.id,
        reason: s.comment!,
        applicantNotifiedOn: s.noticeOn,
        ...(group ? { approvalRef: s.input.approvalRef! } : {}),
      };
      if (group) s.core.snap.jointExtensions[group.key] = extension;
      else s.rec.extension = extension;
      Object.assign(s.data, { workingDays: extension.workingDays, cap: cap.value, capSource: cap.source, ...(group ? { jointGroup: group.key, approvalRef: s.input.approvalRef } : {}) });
      s.extra.push(
        s.core.entry(s.ctx, 'applicant.notified', s.key, s.comment, {
          notice: 'extension',
          noticeOn: s.noticeOn,
          workingDays: extension.workingDays,
          text: extensionNoticeText(s.def, extension.workingDays, s.comment!),
        }),
      );
    },
  },
  exclude: {
    action: 'exclude',
    statute: '行政许可法 Art. 45: hearing, bidding, auction, inspection, testing, quarantine, appraisal, expert review not counted, the applicant told in writing; local kinds by configuration',
    from: ['in_review'],
    to: 'same',
    needsComment: true,
    fields: ['noticeOn', 'exclusionKind'],
    precondition: (core, key) => {
      const open = openExclusion(core.step(key)!);
      return open ? cannot(core, key, 'exclude', `it is already in an excluded period (${open.kind}); end it first`) : null;
    },
    check: ({ core, input, at }) => {
      const kind = input.exclusionKind ?? '';
      const local = core.snap.localExcludedPeriodKinds;
      if (!Object.hasOwn(EXCLUDED_PERIOD_KINDS, kind) && !Object.hasOwn(local, kind)) {
        const kinds = [...Object.keys(EXCLUDED_PERIOD_KINDS), ...Object.keys(local)];
        throw new DomainError(
          DomainErrorCode.ActionInvalid,
          `exclude needs exclusionKind, one of: ${kinds.join(', ')} (行政许可法 Art. 45, plus the district's local kinds); got '${kind}'`,
        );
      }
      if (input.noticeOn && input.noticeOn > shanghaiDateOf(at)) {
        throw new DomainError(DomainErrorCode.ActionInvalid, `noticeOn ${input.noticeOn} is after the excluded period starts (${shanghaiDateOf(at)}); the applicant is told in writing when it starts`);
      }
    },
    apply: (s) => {
      const kind = s.input.exclusionKind!;
      s.rec.clockStops.push({ stoppedAt: s.ctx.at, resumedAt: null, reason: 'excluded_period', kind, noticeOn: s.noticeOn });
      const local = !Object.hasOwn(EXCLUDED_PERIOD_KINDS, kind);
      const kindZh = local ? s.core.snap.localExcludedPeriodKinds[kind] : EXCLUDED_PERIOD_KINDS[kind];
      Object.assign(s.data, { kind, kindZh, noticeOn: s.noticeOn, rule: local ? 'local rule (configuration)' : '行政许可法 Art. 45' });
      s.extra.push(
        s.core.entry(s.ctx, 'applicant.notified', s.key, s.comment, { notice: 'excluded_period', noticeOn: s.noticeOn, kind, text: exclusionNoticeText(s.def, kind, kindZh) }),
      );
    },
  },
  end_exclusion: {
    action: 'end_exclusion',
    statute: '行政许可法 Art. 45: the excluded period ends; the clock runs again',
    from: ['in_review'],
    to: 'same',
    needsComment: false,
    fields: [],
    precondition: (core, key) => (openExclusion(core.step(key)!) ? null : cannot(core, key, 'end_exclusion', 'it is not in an excluded period')),
    apply: (s) => {
      const open = openExclusion(s.rec)!;
      s.data.kind = open.kind;
      s.data.since = open.stoppedAt;
      closeStops(s.rec, 'excluded_period', s.ctx.at);
    },
  },
  renew: {
    action: 'renew',
    statute: '行政许可法 Art. 50: a validity renewed (延续) before it lapses, within the limits of its own rule',
    from: ['approved', 'delivered'],
    to: 'same',
    needsComment: true,
    fields: ['expiry', 'renewalMonths'],
    precondition: (core, key) => (core.openExpiries(key).length > 0 ? null : cannot(core, key, 'renew', 'it has no running validity to renew')),
    check: checkRenewal,
    apply: (s) => {
      const open = s.core.openExpiries(s.key);
      const clock = s.input.expiry ? open.find((c) => c.key === s.input.expiry)! : open[0]!;
      const months = s.input.renewalMonths!;
      clock.renewals.push({ months, at: s.ctx.at, by: s.ctx.actor.id, comment: s.comment! });
      const previous = clock.fixedDueOn!;
      clock.fixedDueOn = addMonths(previous, months);
      Object.assign(s.data, { expiry: clock.key, months, fromDueOn: previous, toDueOn: clock.fixedDueOn, renewals: clock.renewals.length });
    },
  },
};

/**
 * Refuses an extension (延期) that the law does not allow: more working days than the cap (10; 40 for 核准 under the
 * approval regulation Art. 10), or for a joint group without the district government's approval (Art. 42 ¶2). Who
 * may extend (the head of the agency, Art. 42 ¶1) is `EXTENSION_APPROVAL` (step-authority.ts), checked once by the
 * API's policy before the action reaches the workflow.
 * @throws DomainError RULE.REFUSED | ACTION.INVALID
 */
function checkExtension({ core, key, def, input }: StepActionCheck): void {
  const group = jointGroupOf(core.definition, key);
  const cap = capOf(core, def);
  const days = input.extensionWorkingDays;
  if (days === undefined || days === null || !Number.isInteger(days) || days < 1) {
    throw new DomainError(DomainErrorCode.ActionInvalid, `extend needs extensionWorkingDays, a whole number of working days from 1 to ${cap.value}`);
  }
  if (days > cap.value) {
    throw new DomainError(DomainErrorCode.RuleRefused, `an extension of step '${key}' (${def.nameZh}) is at most ${cap.value} working days, asked ${days}: ${cap.source}`);
  }
  if (group && !hasText(input.approvalRef)) {
    throw new DomainError(
      DomainErrorCode.RuleRefused,
      `step '${key}' is handled jointly (${group.nameZh}); its limit is extended only with the district government's approval: give approvalRef (${group.extension.source})`,
    );
  }
}

/**
 * Refuses a renewal (延续) of a validity beyond its rule: too many, too long, or already lapsed.
 * @throws DomainError ACTION.INVALID | RULE.REFUSED
 */
function checkRenewal({ core, key, input, at }: StepActionCheck): void {
  const open = core.openExpiries(key);
  const clock = input.expiry ? open.find((c) => c.key === input.expiry) : open.length === 1 ? open[0] : undefined;
  if (!clock) {
    throw new DomainError(DomainErrorCode.ActionInvalid, `renew needs expiry, one of: ${open.map((c) => c.key).join(', ')}`);
  }
  const ed = core.expiryDefinition(clock.key)!;
  const months = input.renewalMonths;
  if (months === undefined || months === null || !Number.isInteger(months) || months < 1) {
    throw new DomainError(DomainErrorCode.ActionInvalid, `renew needs renewalMonths, whole months (at most ${ed.renewals.maxMonths})`);
  }
  if (clock.renewals.length >= ed.renewals.max) {
    throw new DomainError(
      DomainErrorCode.RuleRefused,
      ed.renewals.max === 0
        ? `${ed.nameZh} (${ed.name}) cannot be renewed: ${ed.source}`
        : `${ed.nameZh} (${ed.name}) was already renewed ${clock.renewals.length} time(s), the most allowed: ${ed.source}`,
    );
  }
  if (months > ed.renewals.maxMonths) {
    throw new DomainError(DomainErrorCode.RuleRefused, `a renewal of ${ed.nameZh} is at most ${ed.renewals.maxMonths} months, asked ${months}: ${ed.source}`);
  }
  if (clock.lapsed || (clock.deadline?.dueAt && Date.parse(at) >= Date.parse(clock.deadline.dueAt))) {
    throw new DomainError(
      DomainErrorCode.RuleRefused,
      `${ed.nameZh} lapsed on ${clock.deadline?.dueOn ?? 'its last day'}; a lapsed validity cannot be renewed, a new decision is needed: ${ed.source}`,
    );
  }
}

/**
 * Refuses contract terms (the land contract's preparation and build periods) on a step without them, out of
 * range, or with a preparation longer than the build period that includes it.
 * @throws DomainError ACTION.INVALID
 */
function checkContractTerms({ key, def, input }: StepActionCheck): void {
  if (!input.contractTerms) return;
  if (!(def.expiries ?? []).some((e) => e.contractTerm)) {
    throw new DomainError(DomainErrorCode.ActionInvalid, `contractTerms apply to the land contract's approval, not to step '${key}' (${def.nameZh}); leave them out`);
  }
  for (const [name, v] of Object.entries(input.contractTerms)) {
    if (v !== null && v !== undefined && (!Number.isInteger(v) || v < 1 || v > 120)) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `contractTerms.${name} must be whole months in 1–120, got ${String(v)}`);
    }
  }
  const months = (term: 'preparation' | 'build') =>
    (term === 'preparation' ? input.contractTerms?.preparationMonths : input.contractTerms?.buildMonths) ?? def.expiries!.find((e) => e.contractTerm === term)?.months ?? null;
  const preparation = months('preparation');
  const build = months('build');
  if (preparation !== null && build !== null && preparation > build) {
    throw new DomainError(
      DomainErrorCode.ActionInvalid,
      `contractTerms: the preparation period (${preparation} months) cannot be longer than the build period (${build} months), which includes it`,
    );
  }
}

/** Input fields that belong to particular actions, in the order they are checked, with the actions they belong to. */
export const FIELD_ACTIONS: ReadonlyArray<[keyof StepActionInput, readonly StepActionKind[]]> = (
  ['assignee', 'waiverDueOn', 'extensionWorkingDays', 'approvalRef', 'noticeOn', 'exclusionKind', 'expiry', 'renewalMonths', 'contractTerms'] as const
).map((field) => [field, STEP_ACTIONS.filter((a) => STEP_ACTION_RULES[a].fields.includes(field))]);
