import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from './project.contract.js';

/**
 * The part of Temporal's Operator service the start-up check needs: the `operatorService` of a client
 * `Connection` or a worker `NativeConnection` has this shape; tests pass a fake.
 */
export interface SearchAttributeOperator {
  listSearchAttributes(request: { namespace: string }): Promise<{ customAttributes?: { [name: string]: number } | null }>;
  addSearchAttributes(request: { namespace: string; searchAttributes: { [name: string]: number } }): Promise<unknown>;
}

/** One custom search attribute the project workflow sets: its name, CLI type and Operator-service indexed-value type. */
export type SearchAttributeRegistration = (typeof SEARCH_ATTRIBUTE_REGISTRATIONS)[number];

/**
 * Exit code of a process that refuses to start because of its environment (EX_CONFIG of sysexits.h), such as a
 * namespace without the search attributes: restarting it cannot help, so the start script's supervisor does not.
 */
export const EXIT_CONFIGURATION = 78;

/** Names of Temporal's IndexedValueType enum (temporal.api.enums.v1), as the CLI spells them. */
const TYPE_NAMES: Readonly<Record<number, string>> = { 1: 'Text', 2: 'Keyword', 3: 'Int', 4: 'Double', 5: 'Bool', 6: 'Datetime', 7: 'KeywordList' };

/** gRPC status codes (grpc/status.proto) the check tells apart. */
const GRPC = { ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, FAILED_PRECONDITION: 9, UNIMPLEMENTED: 12, INVALID_ARGUMENT: 3 } as const;

/** An attribute the check could not make right, and why. */
export interface SearchAttributeProblem {
  attribute: SearchAttributeRegistration;
  /** `missing` (the server would not register it) or `wrong type` (the namespace has the name with `actualType`). */
  reason: 'missing' | 'wrong type';
  /** The type the namespace has for the name (`wrong type` only), e.g. `Text`. */
  actualType?: string;
}

/**
 * The namespace lacks search attributes the project workflow sets and they cannot be registered from here (no
 * permission, a managed namespace, a server without the Operator service) or a name exists with another type: the
 * worker's workflow tasks would fail with BadSearchAttributes and every action would fail, so nothing may take traffic.
 * The message names each attribute, its type and the exact `temporal operator search-attribute create` command.
 */
export class SearchAttributesRefused extends Error {
  constructor(
    readonly namespace: string,
    readonly problems: SearchAttributeProblem[],
    override readonly cause?: unknown,
  ) {
    super(refusalMessage(namespace, problems, cause));
    this.name = 'SearchAttributesRefused';
  }

  /** One command per attribute, in the order of the message. */
  get commands(): string[] {
    return this.problems.map((p) => createCommand(this.namespace, p.attribute));
  }
}

/**
 * The CLI command that registers `attribute` on `namespace`.
 * @returns e.g. `temporal operator search-attribute create --namespace default --name Light --type Keyword`
 */
export function createCommand(namespace: string, attribute: SearchAttributeRegistration): string {
  return `temporal operator search-attribute create --namespace ${namespace} --name ${attribute.name} --type ${attribute.type}`;
}

function refusalMessage(namespace: string, problems: SearchAttributeProblem[], cause: unknown): string {
  const lines = problems.map((p) =>
    p.reason === 'wrong type'
      ? `  - ${p.attribute.name} must be ${p.attribute.type} but the namespace has it as ${p.actualType}: it cannot be changed in place; ` +
        `remove it (temporal operator search-attribute remove --namespace ${namespace} --name ${p.attribute.name}) or use another namespace, then:\n` +
        `      ${createCommand(namespace, p.attribute)}`
      : `  - ${p.attribute.name} (${p.attribute.type}):\n      ${createCommand(namespace, p.attribute)}`,
  );
  const why = cause === undefined ? '' : ` (the server refused to register them: ${grpcDetail(cause)})`;
  return (
    `Temporal namespace '${namespace}' lacks the custom search attributes the project workflow sets${why}; ` +
    `nothing takes traffic until an operator registers them:\n${lines.join('\n')}`
  );
}

function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function grpcDetail(err: unknown): string {
  const e = err as { details?: unknown; message?: unknown } | null;
  if (typeof e?.details === 'string' && e.details !== '') return e.details;
  return typeof e?.message === 'string' ? e.message : String(err);
}

/** Codes that mean "this server will not register attributes for us": refuse with the commands rather than retry. */
function cannotRegister(err: unknown): boolean {
  const code = grpcCode(err);
  return code === GRPC.PERMISSION_DENIED || code === GRPC.UNIMPLEMENTED || code === GRPC.FAILED_PRECONDITION || code === GRPC.INVALID_ARGUMENT;
}

/** What {@link ensureSearchAttributes} did. */
export interface SearchAttributeCheck {
  /** Names registered by this call (empty when all were present). */
  registered: string[];
}

/**
 * Makes `namespace` hold every custom search attribute of the project contract (SEARCH_ATTRIBUTE_REGISTRATIONS:
 * ProjectStage, ProjectTrack, District, Light Keyword; OverdueSteps Int; NextDeadline Datetime) before a process
 * takes traffic. It lists the namespace's custom attributes; registers the missing ones through the Operator
 * service, logging each; and refuses when a name exists with another type or the server will not register
 * (PERMISSION_DENIED, UNIMPLEMENTED, FAILED_PRECONDITION, INVALID_ARGUMENT — a managed namespace or no operator
 * rights). A concurrent registration by another process (ALREADY_EXISTS) is read back and checked.
 * @param operator the Operator service of a connection
 * @param namespace the Temporal namespace the workflows run in
 * @param log receives one line per registered attribute
 * @returns the names it registered
 * @throws SearchAttributesRefused naming each attribute, its type and the `temporal operator search-attribute create` command
 * @throws the transport's error when the server cannot be reached (the caller retries or stops)
 */
export async function ensureSearchAttributes(
  operator: SearchAttributeOperator,
  namespace: string,
  log: (line: string) => void = () => undefined,
): Promise<SearchAttributeCheck> {
  const list = async (): Promise<Record<string, number>> => {
    try {
      return { ...(await operator.listSearchAttributes({ namespace })).customAttributes };
    } catch (err) {
      if (cannotRegister(err)) throw new SearchAttributesRefused(namespace, SEARCH_ATTRIBUTE_REGISTRATIONS.map((attribute) => ({ attribute, reason: 'missing' })), err);
      throw err;
    }
  };
  const wrongTypes = (have: Record<string, number>): SearchAttributeProblem[] =>
    SEARCH_ATTRIBUTE_REGISTRATIONS.filter((a) => have[a.name] !== undefined && Number(have[a.name]) !== a.indexedValueType).map((attribute) => ({
      attribute,
      reason: 'wrong type' as const,
      actualType: TYPE_NAMES[Number(have[attribute.name])] ?? `type ${String(have[attribute.name])}`,
    }));

  let have = await list();
  const wrong = wrongTypes(have);
  const missing = SEARCH_ATTRIBUTE_REGISTRATIONS.filter((a) => have[a.name] === undefined);
  if (missing.length === 0) {
    if (wrong.length > 0) throw new SearchAttributesRefused(namespace, wrong);
    return { registered: [] };
  }
  if (wrong.length > 0) {
    // Register nothing while the namespace is wrong: one message names everything to do.
    throw new SearchAttributesRefused(namespace, [...wrong, ...missing.map((attribute) => ({ attribute, reason: 'missing' as const }))]);
  }
  try {
    await operator.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map((a) => [a.name, a.indexedValueType])) });
  } catch (err) {
    if (cannotRegister(err)) throw new SearchAttributesRefused(namespace, missing.map((attribute) => ({ attribute, reason: 'missing' })), err);
    if (grpcCode(err) !== GRPC.ALREADY_EXISTS) throw err;
  }
  have = await list();
  const after = wrongTypes(have);
  const still = SEARCH_ATTRIBUTE_REGISTRATIONS.filter((a) => have[a.name] === undefined);
  if (after.length > 0 || still.length > 0) {
    throw new SearchAttributesRefused(namespace, [...after, ...still.map((attribute) => ({ attribute, reason: 'missing' as const }))]);
  }
  for (const a of missing) log(`registered search attribute ${a.name} (${a.type}) on namespace '${namespace}'`);
  return { registered: missing.map((a) => a.name) };
}

/**
 * Connects to the Temporal frontend at `address` and runs {@link ensureSearchAttributes} on `namespace`, retrying
 * while the server cannot be reached, for at most `waitMs` milliseconds. For processes that check before they take
 * traffic with no connection of their own yet (the start script, the API).
 * @returns `checked` when the namespace holds every attribute (registered now or before), `unreachable` when
 *   Temporal did not answer within `waitMs` (the caller decides whether to start anyway)
 * @throws SearchAttributesRefused when the namespace cannot be made right from here
 */
export async function checkSearchAttributesAt(
  address: string,
  namespace: string,
  log: (line: string) => void,
  waitMs: number,
): Promise<'checked' | 'unreachable'> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: Math.max(1000, Math.min(5000, deadline - Date.now())) });
      await ensureSearchAttributes(connection.operatorService, namespace, log);
      return 'checked';
    } catch (err) {
      if (err instanceof SearchAttributesRefused) throw err;
      if (Date.now() >= deadline) return 'unreachable';
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
}
