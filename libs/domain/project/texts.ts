/*
 * The words of the state machine: why a step cannot take an action now, what a required comment must say, the
 * timeline's past tense and the written notices to the applicant. Officers read these in refusals (problem+json
 * `detail`) and on the timeline, so they say what to do next.
 */
import type { StepDefinition } from '../track-definition.js';
import type { ProjectActionKind, StepActionKind, StepRecord } from './types.js';

/** An ISO instant as people here read it: `2026-11-30 06:31 (+08:00)`. */
export function shanghaiTime(instant: string | null): string {
  if (instant === null) return 'unknown time';
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')} (+08:00)`;
}

/** What the explanation of a blocked step needs to know about the project. */
export interface BlockedContext {
  /** Dependencies of the step not yet approved or waived, with their Chinese names. */
  openDependencies: Array<{ key: string; nameZh: string }>;
  /** Facts the step waits for that are not recorded yet. */
  missingFacts: string[];
}

/**
 * Why a step in its current state cannot take another action, as the continuation of "cannot <action> step 'k': it …".
 * @param blocked for a blocked step: what it waits for
 */
export function explainState(rec: StepRecord, blocked: BlockedContext): string {
  switch (rec.state) {
    case 'blocked': {
      const open = blocked.openDependencies;
      const names = open.map((d) => `${d.key} (${d.nameZh})`).join(', ');
      const factText = blocked.missingFacts.map((f) => (f === 'land_price_paid' ? 'the land price is paid in full (土地出让金缴清, recorded through POST /events)' : f)).join(' and ');
      if (open.length === 0) return `is blocked until ${factText}`;
      return `is blocked until ${names} ${open.length === 1 ? 'is' : 'are'} approved or waived${blocked.missingFacts.length > 0 ? ` and ${factText}` : ''}`;
    }
    case 'ready':
      return "is waiting for the applicant's submission; receive or accept it first";
    case 'received':
      return `was received (${shanghaiTime(rec.receivedAt)}) and waits for acceptance or a one-time supplement notice`;
    case 'in_review':
      return `is already in review (accepted ${shanghaiTime(rec.acceptedAt)})`;
    case 'supplement_requested':
      return 'is waiting for the applicant to supplement materials (补正); resubmit it first';
    case 'approved':
    case 'delivered':
    case 'waived':
      return `is already ${rec.state} (${shanghaiTime(rec.decidedAt)}) and closed`;
    case 'rejected':
      return `was rejected (${shanghaiTime(rec.decidedAt)}); accept a new application to reopen it`;
  }
}

/** What the comment of an action that needs one must say (the applicant is owed the reason in writing). */
export function commentHint(action: StepActionKind | ProjectActionKind): string {
  switch (action) {
    case 'return':
      return 'list every material the applicant must supplement (一次性告知)';
    case 'waive':
      return 'name the material waived (容缺) and how it will be supplied';
    case 'reject':
      return 'give the reasons for refusal, owed to the applicant in writing';
    case 'suspend':
      return 'name the special procedure (hearing, expert review, …) and why';
    case 'cancel':
      return 'say why the project is cancelled';
    case 'escalate':
      return 'say what the department must do and by when (督办意见)';
    default:
      return 'say why';
  }
}

/** Timeline type suffix of an action: `approve` → `approved`. */
export function pastTense(action: StepActionKind | ProjectActionKind): string {
  const irregular: Record<string, string> = {
    return: 'returned',
    resubmit: 'resubmitted',
    accept: 'accepted',
    reassign: 'reassigned',
    cancel: 'cancelled',
    end_exclusion: 'exclusion_ended',
  };
  return irregular[action] ?? (action.endsWith('e') ? `${action}d` : `${action}ed`);
}

/** The rule a deemed acceptance follows, as recorded on the timeline. */
export const DEEMED_RULE = '行政许可法 Art. 32: no acceptance or one-time supplement notice within 5 working days of receipt; accepted from the day of receipt';

/** The written notice of an extension (延期) to the applicant (行政许可法 Art. 42: the reason is told), Chinese then English. */
export function extensionNoticeText(def: StepDefinition, workingDays: number, reason: string): string {
  return `${def.nameZh}办理期限延长${workingDays}个工作日，理由：${reason}。The time limit of ${def.name} is extended by ${workingDays} working days: ${reason}`;
}

/** The written notice of an excluded period (行政许可法 Art. 45: the applicant is told in writing), Chinese then English. */
export function exclusionNoticeText(def: StepDefinition, kind: string, kindZh: string | undefined): string {
  return `${def.nameZh}进入${kindZh}程序，所需时间不计入办理期限。Time for ${kind.replace('_', ' ')} is not counted in the limit of ${def.name}.`;
}
