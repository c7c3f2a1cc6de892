import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { canonicalYuan } from '../../../../libs/domain/index.js';
import type { LedgerImport, LedgerImportRow, RegistrationFields, RowProblem } from '../../../../libs/ledger/ledger-import-rows.js';
import type { LedgerProject } from '../../../../libs/ledger/ledger-rows.js';
import { RegisterProjectDto } from '../projects/dto/register-project.dto.js';

/** What a dry run says a row would do: create a project, match one unchanged, find one that differs, or nothing (bad). */
export type RowOutcome = 'create' | 'matches' | 'differs' | 'invalid';

/** A registered project as the import compares it: the registration's fields of the ledger's project. */
export type ExistingProject = Pick<LedgerProject, 'code' | 'name' | 'track' | 'district' | 'investor' | 'investmentYuan' | 'signedAt' | 'approvalRoute'> & {
  /** Its steps where the system has them: state, and the days (Asia/Shanghai) of acceptance and decision. */
  steps?: ReadonlyArray<{ key: string; state: string; acceptedOn: string | null; decidedOn: string | null }>;
};

/** A row of the import's report. */
export interface RowReport {
  row: number;
  outcome: RowOutcome;
  code: string | null;
  /** The registration the row gives (POST /projects' body, defaults filled in), null for a bad row. */
  project: Required<RegistrationFields> | null;
  /** The steps' positions read from the steps sheet. */
  position: LedgerImportRow['position'];
  /** For `differs`: the fields whose values differ, with the registered and the file's value. */
  differences: { field: string; registered: string | null; file: string | null }[];
  problems: RowProblem[];
}

/** Fields compared with a registered project, in this order. */
const COMPARED = ['name', 'track', 'district', 'investor', 'investmentYuan', 'signedAt', 'approvalRoute'] as const;

/** Every message of a validation error and its children, by property. */
function messagesOf(errors: readonly ValidationError[]): { property: string; message: string }[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((message) => ({ property: e.property, message })),
    ...messagesOf(e.children ?? []),
  ]);
}

/**
 * The registration of a row checked with the validators of POST /projects (RegisterProjectDto: code format and GB/T
 * 2260 region, signing day within a year of the code's year, lengths, amount pattern), each refusal a problem naming
 * the file's column.
 */
export function validateRegistration(row: LedgerImportRow, read: LedgerImport): RowProblem[] {
  const dto = plainToInstance(RegisterProjectDto, { ...row.registration });
  return messagesOf(validateSync(dto, { whitelist: true, forbidNonWhitelisted: false, stopAtFirstError: true })).map(({ property, message }) => {
    const value = (row.registration as Record<string, unknown>)[property];
    return {
      sheet: read.sheet,
      row: row.row,
      column: read.headerOf[property as keyof RegistrationFields] ?? property,
      value: value === undefined || value === null ? null : String(value),
      problem: message,
    };
  });
}

/** The registration with the defaults POST /projects applies (track standard, route filing, no investor, no amount). */
export function withDefaults(r: RegistrationFields): Required<RegistrationFields> {
  return {
    code: r.code!,
    name: r.name!,
    track: r.track ?? 'standard',
    district: r.district!,
    investor: r.investor ?? null,
    investmentYuan: r.investmentYuan === undefined || r.investmentYuan === null ? null : canonicalYuan(r.investmentYuan),
    signedAt: r.signedAt!,
    approvalRoute: r.approvalRoute ?? 'filing',
  };
}

/**
 * The report of one row: its problems (reading, then the registration's validation), else what it would do given
 * the project registered under its code, if any: create it, match it (every compared field equal), or differ (the
 * fields named; an import never changes a registered project).
 */
export function reportRow(row: LedgerImportRow, read: LedgerImport, existing: ExistingProject | null): RowReport {
  const problems = [...row.problems];
  // The API's own rules on what was read; a column already refused, or a row not read at all (shifted), is not checked again.
  if (!row.shifted && Object.keys(row.registration).length > 0) {
    const refused = new Set(problems.filter((p) => p.sheet === read.sheet && p.row === row.row).map((p) => p.column));
    problems.push(...validateRegistration(row, read).filter((p) => !refused.has(p.column)));
  }
  const code = row.registration.code ?? null;
  if (problems.length > 0) return { row: row.row, outcome: 'invalid', code, project: null, position: row.position, differences: [], problems };
  const project = withDefaults(row.registration);
  if (existing === null) return { row: row.row, outcome: 'create', code, project, position: row.position, differences: [], problems };
  const { steps, ...fields } = existing;
  const registered: Record<string, string | null> = { ...fields, investmentYuan: existing.investmentYuan === null ? null : canonicalYuan(existing.investmentYuan) };
  const differences = [
    ...COMPARED.filter((f) => registered[f] !== project[f]).map((f) => ({ field: f, registered: registered[f] ?? null, file: project[f] })),
    ...stepDifferences(row.position, steps ?? []),
  ];
  return { row: row.row, outcome: differences.length === 0 ? 'matches' : 'differs', code, project, position: row.position, differences, problems };
}

/**
 * Where the steps sheet says a registered project's steps stand otherwise than the system: per step the file names,
 * its state and, where the file gives them, its days of acceptance and decision, as `steps.<key>` with
 * `<state> <accepted day>→<decided day>` on each side. An import changes no registered project, so these tell the
 * clerk what to correct by hand (or in the file).
 */
function stepDifferences(position: LedgerImportRow['position'], steps: NonNullable<ExistingProject['steps']>): RowReport['differences'] {
  const out: RowReport['differences'] = [];
  for (const p of position) {
    const s = steps.find((x) => x.key === p.step);
    if (!s) continue;
    const same = s.state === p.state && (p.acceptedOn === null || p.acceptedOn === s.acceptedOn) && (p.decidedOn === null || p.decidedOn === s.decidedOn);
    if (same) continue;
    const words = (state: string, accepted: string | null, decided: string | null) => `${state} ${accepted ?? '—'}→${decided ?? '—'}`;
    out.push({ field: `steps.${p.step}`, registered: words(s.state, s.acceptedOn, s.decidedOn), file: words(p.state, p.acceptedOn, p.decidedOn) });
  }
  return out;
}
