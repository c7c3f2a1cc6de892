/*
 * Who may decide what on a step, where a statute names the office: the rules the API's policy table applies at the
 * door (apps/api/src/auth/policy.ts builds its rows and refusal words from these), so the law is written once.
 */

/**
 * Who approves an extension (延期) of a step's time limit: 行政许可法 Art. 42 ¶1 — when the agency cannot decide in
 * time, the head of the agency (本行政机关负责人) may approve a 10-day extension, the applicant told the reason
 * (research/statutory-limits.md §2). Here: the head (`department_head`) of the step's own department.
 */
export const EXTENSION_APPROVAL = {
  /** The token role of the agency's head. */
  role: 'department_head',
  /** Only for steps of the approver's own department. */
  scope: 'own_department',
  /** The rule as a refusal cites it. */
  statute: '行政许可法 Art. 42 ¶1, the extension is approved by the head of the agency',
} as const;

/**
 * True when a caller with `roles` may approve an extension of a step of its own department
 * ({@link EXTENSION_APPROVAL}); the department is the policy's scope check.
 */
export function mayApproveExtension(roles: readonly string[]): boolean {
  return roles.includes(EXTENSION_APPROVAL.role);
}
