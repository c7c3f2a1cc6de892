import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../libs/temporal/binaries.js';
import { freeStackPorts } from '../../scripts/prod-stack/stack.js';

/*
 * `npm start` (dist/scripts/start-embedded.js) on a fresh folder, interrupted by a terminal's Ctrl-C while its demo
 * seed runs: the whole process group gets SIGINT, as a terminal sends it. The start must stop the seed, stop its own
 * servers in order (PostgreSQL last, not at once by the terminal's signal) and exit; nothing of it may be left running or holding its ports (the next start would find them
 * taken). Needs dist/ built (npm test builds it).
 */

/** Whether something accepts connections on the loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Pids of the processes whose command line or environment names `dir` (the start's own children do: DATA_DIR). */
function processesNaming(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (cmdline.includes(dir) || environ.includes(dir)) found.push(Number(entry));
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return found;
}

describe('npm start, interrupted by Ctrl-C during its demo seed (e2e)', () => {
  const base = path.join(os.tmpdir(), 'approvals-start-interrupted');
  let dataDir = '';
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    for (const pid of dataDir ? processesNaming(dataDir) : []) process.kill(pid, 'SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops the seed and every server it started, exits, and leaves its ports free', async () => {
    dataDir = mkdtempSync(`${base}-`);
    chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as its own user
    const { apiPort, pgPort, temporalPort } = await freeStackPorts();
    const uiPort = temporalPort + 5;
    const env = {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(apiPort),
      PG_PORT: String(pgPort),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      JWT_SECRET: '',
      JWKS_URL: '',
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      SEED: 'true',
    };
    let output = '';
    // Its own process group, as a shell's foreground job: the group's SIGINT reaches the start and every child
    // not in a group of its own (the embedded PostgreSQL).
    child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'scripts', 'start-embedded.js')], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    // The seed imports the ledger first, then drives the report's projects action by action: interrupt in between.
    const deadline = Date.now() + 120_000;
    while (!output.includes('seed ledger imported')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the start did not reach its seed:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(output).not.toContain('ready in');
    process.kill(-child.pid!, 'SIGINT');

    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 90_000))]);
    // Nothing left behind: no process of this start, nothing on its ports.
    const left = processesNaming(dataDir).map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]);
    const open = await Promise.all([apiPort, pgPort, temporalPort, uiPort].map(listening));
    expect({ code, left, open }).toEqual({ code: 0, left: [], open: [false, false, false, false] });
    expect(output).not.toContain('[start] failed');
    // The terminal's SIGINT reached the start alone: PostgreSQL was stopped last, in order, not by the signal.
    expect(output).not.toContain('postgres exited');
    expect(output).toContain('[start] interrupted: the start is stopping, so the demo seed stops here; the next start resumes it');
    expect(output.trimEnd().split('\n').filter((l) => l.startsWith('[start] ')).at(-1)).toBe('[start] stopped.');
  }, 240_000);
});
