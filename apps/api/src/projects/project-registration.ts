import type { ProjectRegistration, TrackDefinition } from '../../../../libs/domain/index.js';

/** The registration fields of a new project as a request or a ledger row gives them (validated, not yet trimmed). */
export interface RegistrationFieldsInput {
  code: string;
  name: string;
  district: string;
  investor?: string | null;
  /** Yuan, as a decimal string. */
  investmentYuan?: string | null;
  /** Asia/Shanghai day, YYYY-MM-DD. */
  signedAt: string;
  approvalRoute?: string | null;
}

/**
 * The registration a new project's workflow starts with: the fields trimmed, a blank investor left out, the track of
 * the pinned definition, and the defaults of POST /projects (no investment amount, the filing route 备案). One rule
 * for a registration through the API and for the dry run's check of a ledger row, so the two register alike.
 */
export function projectRegistration(fields: RegistrationFieldsInput, definition: TrackDefinition): ProjectRegistration {
  return {
    code: fields.code,
    name: fields.name.trim(),
    track: definition.track,
    district: fields.district.trim(),
    investor: fields.investor?.trim() || null,
    investmentYuan: fields.investmentYuan ?? null,
    signedAt: fields.signedAt,
    approvalRoute: (fields.approvalRoute || 'filing') as ProjectRegistration['approvalRoute'],
  };
}
