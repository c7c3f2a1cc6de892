import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../libs/temporal/binaries.js';
import { ApiClient, projectCode } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { tokenFor } from '../support/tokens.js';

/*
 * The external tester: schemathesis (PyPI, installed by scripts/install-schemathesis.sh into .tools/schemathesis)
 * generates requests from the served OpenAPI document and runs every one of its checks on the answers: no 5xx,
 * only documented statuses, content types and headers, bodies matching the response schemas, valid data accepted and
 * invalid data refused, a missing or wrong bearer token refused, undocumented methods answered 405 with Allow.
 * Once as a supervisor and once as a natural-resources officer, with a fixed seed and a bounded number of examples
 * so that it gives the same answer every run. SCHEMATHESIS_EXAMPLES raises the examples per operation (default 15).
 */
const ST = path.join(projectRoot(), '.tools', 'schemathesis', 'bin', 'st');
const CONFIG = path.join(projectRoot(), 'test', 'support', 'schemathesis.toml');
const SEED = 20261201;
const EXAMPLES = Number(process.env.SCHEMATHESIS_EXAMPLES ?? 15);
/** The project the document's examples name (2022-330602-39-03-000101), and two more, so that paths with codes reach real projects. */
const CODES = [projectCode(101), projectCode(102), projectCode(103)];

interface Run {
  code: number | null;
  output: string;
}

/** Runs `st run` against the stack as the bearer of `token`, in a scratch folder (no example database kept between runs). */
function schemathesis(baseUrl: string, token: string): Promise<Run> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'schemathesis-'));
  const args = [
    '--config-file', CONFIG,
    'run', `${baseUrl}/docs/openapi.json`,
    '--url', baseUrl,
    '--checks', 'all',
    '--header', `Authorization: Bearer ${token}`,
    '--seed', String(SEED),
    '--max-examples', String(EXAMPLES),
    '--workers', '1',
    '--generation-database', 'none',
    // The API refuses a NUL character in any text (PostgreSQL cannot store it); the document's descriptions say so.
    '--generation-allow-x00', 'false',
    // An endless server-sent event stream: a request/response tester can only time out on it.
    '--exclude-path', '/api/v1/live',
    '--request-timeout', '30',
    '--no-color',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(ST, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, output });
    });
  });
}

/** What to show of a run: its failures and summary (the part from FAILURES, else from SUMMARY, else all). */
function report(run: Run): string {
  const at = ['=== FAILURES', '=== ERRORS', '=== SUMMARY'].map((m) => run.output.indexOf(m)).find((i) => i >= 0) ?? 0;
  return run.output.slice(Math.max(0, run.output.lastIndexOf('\n', at))).slice(0, 60_000);
}

describe('schemathesis against the embedded stack, with all its checks (e2e)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    if (!existsSync(ST)) throw new Error(`schemathesis is not installed at ${ST}: run bash scripts/install-schemathesis.sh`);
    // A high rate limit: the tester sends thousands of requests in a minute and 429 is not what it is here to test.
    stack = await startTestStack('schemathesis', { env: { RATE_LIMIT_LIMIT: '1000000' } });
    const api = new ApiClient(stack.baseUrl);
    for (const code of CODES) await api.registerOk(code);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it.each([
    ['a supervisor (督办)', () => tokenFor('supervisor', 'project_office', 'sup-zhou')],
    ['a natural-resources officer', () => tokenFor('officer', 'natural_resources', 'nrp-li')],
  ])('finds nothing as %s', async (_who, token) => {
    const run = await schemathesis(stack.baseUrl, token());
    const at = run.output.lastIndexOf('\n', run.output.indexOf('=== SUMMARY'));
    process.stdout.write(`\nschemathesis (seed ${SEED}, ${EXAMPLES} examples per operation) as ${_who}:\n${at >= 0 ? run.output.slice(at) : run.output.slice(-3000)}\n`);
    if (run.code !== 0) throw new Error(`schemathesis exited with ${run.code}:\n${report(run)}`);
    expect(run.output).toMatch(/Test cases:\s+\d+ generated, \d+ passed/);
  }, 240_000);
});
