import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parseDocument } from 'yaml';
import { checkTrackGraph, formatProblem, type TrackDefinitionProblem, type TrackLoadResult } from './track-graph.js';
import { INBOUND_EVENT_TYPES, TRACK_KEY_PATTERN, type TrackDefinition } from './track-definition.js';
import { TRACK_DEFINITION_SCHEMA } from './tracks/track-definition.schema.js';

export { formatProblem, type TrackDefinitionProblem, type TrackLoadResult } from './track-graph.js';

/*
 * Loading a track definition written as data: text in, a definition or every problem out, each problem with its
 * path inside the document so that the person who wrote the file can find and fix it. Pure: no file or network
 * access; the caller reads the text.
 */

let validateSchema: ValidateFunction | null = null;

/**
 * The format's validator, compiled on first use. Compiling the schema costs 100–250 ms of CPU, and a workflow sandbox
 * would evaluate this module afresh for every workflow run it creates; the definitions a workflow uses (the shipped ones)
 * are checked by track-graph's checkTrackGraph, without the schema, and the sandbox never imports this module.
 */
function schemaValidator(): ValidateFunction {
  return (validateSchema ??= new Ajv2020({ allErrors: true, strict: true }).compile(TRACK_DEFINITION_SCHEMA));
}

/**
 * Parses and checks a track definition.
 *
 * @param text the definition as JSON or YAML (YAML 1.2, of which JSON is a subset); duplicate keys are refused
 * @returns `{ ok: true, definition }`, or `{ ok: false, problems }` with syntax errors at `line L, column C`, then
 *   (for a document that parsed) every schema error and, once the shape is right, every graph problem
 *   ({@link graphProblems}), each as `path: message` with the path in dotted and bracketed form (`steps[4].dependsOn[0]`)
 */
export function loadTrackDefinition(text: string): TrackLoadResult {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return { path: pos ? `line ${pos.line}, column ${pos.col}` : '(document)', message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') };
      }),
    };
  }
  return checkTrackDefinition(doc.toJS({ maxAliasCount: 0 }));
}

/**
 * Checks a parsed value against the track definition format ({@link TRACK_DEFINITION_SCHEMA}) and then as a graph.
 *
 * @param value a parsed JSON or YAML document
 * @param options `schema: false` skips the format's check, for documents whose format a test already checks (the
 *   shipped files: test/unit/domain/shipped-track-files.spec.ts); the graph and the domain's own checks still run
 * @returns as {@link loadTrackDefinition}
 */
export function checkTrackDefinition(value: unknown, options: { schema?: boolean } = {}): TrackLoadResult {
  if (options.schema !== false) {
    const validate = schemaValidator();
    if (!validate(value)) return { ok: false, problems: schemaProblems(validate.errors ?? [], value) };
  }
  return checkTrackGraph(value as TrackDefinition);
}

/**
 * The definition, or a thrown error listing every problem (for definitions shipped with the code, where a problem is
 * a bug).
 * @throws Error whose message names the source and lists the problems, one `path: message` per line
 */
export function loadTrackDefinitionOrThrow(text: string, source: string): TrackDefinition {
  const result = loadTrackDefinition(text);
  if (result.ok) return result.definition;
  throw new Error(`track definition ${source} is invalid:\n${result.problems.map(formatProblem).join('\n')}`);
}

/**
 * A JSON pointer (`/steps/4/dependsOn/0`) in the form a person reads (`steps[4].dependsOn[0]`): array indexes in
 * brackets, object keys after a dot, or quoted in brackets when they are not plain names (`yearPlans["2021"]`).
 * @param pointer an RFC 6901 pointer into `root`
 * @param root the document, to tell array indexes from object keys that look like numbers
 * @returns the readable path; `(document)` for the whole document
 */
export function readablePath(pointer: string, root: unknown): string {
  if (pointer === '') return '(document)';
  let out = '';
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
  }
  return out;
}

const child = (path: string, key: string) =>
  /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? (path === '(document)' ? key : `${path}.${key}`) : `${path === '(document)' ? '' : path}[${JSON.stringify(key)}]`;

/** What an enumerated field holds, for `unknown department "x"`. */
const ENUM_NAMES: Record<string, string> = { department: 'department', track: 'track', unit: 'unit', confidence: 'confidence', route: 'route', contractTerm: 'contract term', mode: 'group mode' };

/** Ajv's errors as problems a person can act on: one per fault, at the path of the field concerned. */
function schemaProblems(errors: ErrorObject[], root: unknown): TrackDefinitionProblem[] {
  // A failed anyOf reports each branch too; keep only the anyOf's own error.
  const anyOf = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath);
  // A property name's own error (its pattern or enum) is told by the propertyNames error after it.
  // An if/then reports its branch's own error (e.g. the missing field) and an `if` error saying so: keep the first.
  const own = errors.filter(
    (e) => !anyOf.some((p) => e.schemaPath.startsWith(`${p}/`)) && e.propertyName === undefined && e.keyword !== 'if',
  );
  const out: TrackDefinitionProblem[] = [];
  for (const e of own) {
    const path = readablePath(e.instancePath, root);
    const value = valueAt(root, e.instancePath);
    const last = e.instancePath.split('/').pop() ?? '';
    const parent = e.instancePath.split('/').slice(-2, -1)[0] ?? '';
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        out.push({ path: child(path, String(p.missingProperty)), message: 'required field is missing' });
        break;
      case 'additionalProperties':
        out.push({ path: child(path, String(p.additionalProperty)), message: 'unknown field (not part of the track definition format)' });
        break;
      case 'propertyNames':
        out.push({ path: child(path, String(p.propertyName)), message: keyMessage(String(p.propertyName), last) });
        break;
      case 'enum': {
        const what = ENUM_NAMES[last] ?? (parent === 'requiresFacts' ? 'fact' : 'value');
        out.push({ path, message: `unknown ${what} ${JSON.stringify(value)}; known: ${(p.allowedValues as unknown[]).join(', ')}` });
        break;
      }
      case 'const':
        out.push({ path, message: `must be ${JSON.stringify(p.allowedValue)}, got ${JSON.stringify(value)}` });
        break;
      case 'type':
        out.push({ path, message: `must be ${article(String(p.type))}, got ${describe(value)}` });
        break;
      case 'minimum':
      case 'maximum':
        out.push({ path, message: `must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)}${last === 'value' ? (p.limit === 1 ? ' day' : ' days') : ''}, got ${JSON.stringify(value)}` });
        break;
      case 'minItems':
        out.push({ path, message: `needs at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}, got ${(value as unknown[]).length}` });
        break;
      case 'minLength':
        out.push({ path, message: 'must not be empty' });
        break;
      case 'pattern':
        out.push({ path, message: patternMessage(String(value), String(p.pattern)) });
        break;
      case 'anyOf':
        out.push({ path, message: `must be a step key or null, got ${JSON.stringify(value)}` });
        break;
      default:
        out.push({ path, message: e.message ?? e.keyword });
    }
  }
  return out;
}

function keyMessage(name: string, field: string): string {
  if (field === 'eventMappings') return `unknown event type ${JSON.stringify(name)}; known: ${INBOUND_EVENT_TYPES.join(', ')}`;
  return field === 'yearPlans' ? `${JSON.stringify(name)} is not a year (YYYY)` : `${JSON.stringify(name)} is not a key: snake_case, 2–64 characters, starting with a letter`;
}

function patternMessage(value: string, pattern: string): string {
  if (pattern.startsWith('^(0[1-9]')) return `${JSON.stringify(value)} is not a day MM-DD`;
  if (pattern === TRACK_KEY_PATTERN.source) return `${JSON.stringify(value)} is not a track key: snake_case, 2–32 characters, starting with a letter`;
  return `${JSON.stringify(value)} is not a key: snake_case, 2–64 characters, starting with a letter`;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return node;
}

function article(type: string): string {
  return { integer: 'a whole number', number: 'a number', string: 'a text', boolean: 'true or false', object: 'an object', array: 'a list', null: 'null' }[type] ?? type;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}
