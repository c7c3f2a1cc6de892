/**
 * Stable error codes of the domain. The API maps them to HTTP statuses (problem+json `code`), the workflow
 * uses them as the `type` of the ApplicationFailure its Update validators throw. Codes are wire values:
 * never rename one once released.
 */
export const DomainErrorCode = {
  ProjectNotFound: 'PROJECT.NOT_FOUND',
  ProjectAlreadyExists: 'PROJECT.ALREADY_EXISTS',
  ProjectInvalidCode: 'PROJECT.INVALID_CODE',
  ProjectClosed: 'PROJECT.CLOSED',
  ProjectSuspended: 'PROJECT.SUSPENDED',
  ProjectInvalidState: 'PROJECT.INVALID_STATE',
  StepNotFound: 'STEP.NOT_FOUND',
  StepInvalidState: 'STEP.INVALID_STATE',
  StepNotWaivable: 'STEP.NOT_WAIVABLE',
  ActionInvalid: 'ACTION.INVALID',
  DefinitionInvalid: 'DEFINITION.INVALID',
  DefinitionNotFound: 'DEFINITION.NOT_FOUND',
  /** A statutory rule refuses the action (an extension over the cap or a second one, a renewal of a lapsed validity). */
  RuleRefused: 'RULE.REFUSED',
  /** The actor's role may not take this action (e.g. an extension by an officer rather than the department head). */
  ActorNotAllowed: 'ACTOR.NOT_ALLOWED',
  /** Moving a project to another version of its track is refused (another track, not newer, a removed step in progress…). */
  TrackMigrationRefused: 'TRACK.MIGRATION_REFUSED',
} as const;

/** One of the codes in {@link DomainErrorCode}. */
export type DomainErrorCode = (typeof DomainErrorCode)[keyof typeof DomainErrorCode];

/** All domain codes, for `type` checks at the edges. */
export const DOMAIN_ERROR_CODES: readonly string[] = Object.values(DomainErrorCode);

/**
 * A refusal by a domain rule: `code` is stable, `message` says in plain words what is wrong and what to do.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
