import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { exitOf, Supervisor, type Running } from '../../../scripts/supervisor.js';

/** A tiny child process (`node -e script`) as one supervised run; `pids` collects every pid started. */
function nodeChild(script: string, pids: number[], events: string[], name: string): () => Promise<Running> {
  return async () => {
    const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    pids.push(child.pid!);
    events.push(`${name} started`);
    const exited = exitOf(child);
    return {
      exited,
      stop: async () => {
        child.kill('SIGTERM');
        await exited;
        events.push(`${name} stopped`);
      },
    };
  };
}

const FAST = { initialMs: 50, maxMs: 200, healthyAfterMs: 5_000 };
const LIVES = 'setInterval(() => {}, 1000)';
const waitFor = async (what: () => boolean, ms = 3_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the embedded start supervises its children', () => {
  let supervisor: Supervisor | undefined;
  afterEach(async () => supervisor?.stop());

  it('restarts a child killed with SIGKILL, logging the crash and the restart', async () => {
    const lines: string[] = [];
    const pids: number[] = [];
    supervisor = new Supervisor((l) => lines.push(l));
    await supervisor.add({ name: 'worker', start: nodeChild(LIVES, pids, [], 'worker'), backoff: FAST });
    process.kill(pids[0]!, 'SIGKILL');
    await waitFor(() => pids.length === 2 && lines.includes('worker restarted'));
    expect(lines[0]).toBe('worker exited unexpectedly (signal SIGKILL); restarting in 50 ms (restart 1)');
    expect(() => process.kill(pids[1]!, 0)).not.toThrow(); // the new one runs
    expect(supervisor.restarts()).toEqual({ worker: 1 });
  });

  it('backs off 1×, 2×, 4× … up to the cap while a child keeps crashing, and resets after a healthy run', async () => {
    const lines: string[] = [];
    const pids: number[] = [];
    supervisor = new Supervisor((l) => lines.push(l));
    await supervisor.add({ name: 'api', start: nodeChild('process.exit(3)', pids, [], 'api'), backoff: FAST });
    await waitFor(() => pids.length >= 5, 4_000);
    await supervisor.stop();
    const delays = lines.filter((l) => l.startsWith('api exited unexpectedly')).map((l) => /restarting in (\d+) ms/.exec(l)![1]);
    expect(delays.slice(0, 4)).toEqual(['50', '100', '200', '200']);
    expect(lines[0]).toContain('(code 3)');

    // A run longer than healthyAfterMs starts the back-off again from its first step.
    const again: string[] = [];
    const pids2: number[] = [];
    supervisor = new Supervisor((l) => again.push(l));
    let runs = 0;
    const start = nodeChild(LIVES, pids2, [], 'api');
    await supervisor.add({
      name: 'api',
      backoff: { initialMs: 50, maxMs: 400, healthyAfterMs: 300 },
      start: async () => {
        runs += 1;
        return start();
      },
    });
    process.kill(pids2[0]!, 'SIGKILL');
    await waitFor(() => runs === 2 && again.includes('api restarted'));
    process.kill(pids2[1]!, 'SIGKILL');
    await waitFor(() => runs === 3);
    await new Promise((r) => setTimeout(r, 400)); // healthy for longer than 300 ms
    process.kill(pids2[2]!, 'SIGKILL');
    await waitFor(() => runs === 4);
    const delays2 = again.filter((l) => l.includes('restarting in')).map((l) => /restarting in (\d+) ms/.exec(l)![1]);
    expect(delays2).toEqual(['50', '100', '50']);
  });

  it('does not restart a clean exit or a refused configuration (exit 78), and says so', async () => {
    const lines: string[] = [];
    const pids: number[] = [];
    const gaveUp: Array<number | null> = [];
    supervisor = new Supervisor((l) => lines.push(l));
    await supervisor.add({ name: 'worker', start: nodeChild('setTimeout(() => process.exit(78), 50)', pids, [], 'worker'), backoff: FAST, finalExitCodes: [78], onGaveUp: (e) => gaveUp.push(e.code) });
    await waitFor(() => gaveUp.length === 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(pids).toHaveLength(1);
    expect(lines).toEqual(['worker exited (code 78); not restarted']);
  });

  it('counts a restart that fails to start as another crash and tries again', async () => {
    const lines: string[] = [];
    const pids: number[] = [];
    let calls = 0;
    const start = nodeChild(LIVES, pids, [], 'temporal');
    supervisor = new Supervisor((l) => lines.push(l));
    await supervisor.add({
      name: 'temporal',
      backoff: FAST,
      start: async () => {
        calls += 1;
        if (calls === 2) throw new Error('port 7233 still in use');
        return start();
      },
    });
    process.kill(pids[0]!, 'SIGKILL');
    await waitFor(() => lines.includes('temporal restarted'));
    expect(lines).toEqual([
      'temporal exited unexpectedly (signal SIGKILL); restarting in 50 ms (restart 1)',
      'temporal did not start again: port 7233 still in use',
      'temporal exited unexpectedly (signal SIGKILL); restarting in 100 ms (restart 1)',
      'temporal restarted',
    ]);
  });

  it('stops in order — last added first — and cancels a pending restart', async () => {
    const events: string[] = [];
    const pids: number[] = [];
    supervisor = new Supervisor(() => undefined);
    await supervisor.add({ name: 'postgres', start: nodeChild(LIVES, pids, events, 'postgres'), backoff: FAST });
    await supervisor.add({ name: 'temporal', start: nodeChild(LIVES, pids, events, 'temporal'), backoff: FAST });
    await supervisor.add({ name: 'worker', start: nodeChild(LIVES, pids, events, 'worker'), backoff: { ...FAST, initialMs: 10_000 } });
    process.kill(pids[2]!, 'SIGKILL'); // the worker waits 10 s to restart…
    await new Promise((r) => setTimeout(r, 100));
    const began = Date.now();
    await supervisor.stop(); // …and is not restarted
    expect(Date.now() - began).toBeLessThan(2_000);
    expect(events).toEqual(['postgres started', 'temporal started', 'worker started', 'temporal stopped', 'postgres stopped']);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    supervisor = undefined;
  });
  it('a stop during a first start waits for it and stops that process too, and the start is refused', async () => {
    const events: string[] = [];
    const pids: number[] = [];
    supervisor = new Supervisor(() => undefined);
    await supervisor.add({ name: 'postgres', start: nodeChild(LIVES, pids, events, 'postgres'), backoff: FAST });
    const slow = nodeChild(LIVES, pids, events, 'temporal');
    const adding = supervisor
      .add({
        name: 'temporal',
        backoff: FAST,
        start: async () => {
          await new Promise((r) => setTimeout(r, 300)); // a server that takes a while to accept connections
          return slow();
        },
      })
      .then(
        () => 'added',
        (err: Error) => err.message,
      );
    await new Promise((r) => setTimeout(r, 50));
    await supervisor.stop(); // Ctrl-C while the Temporal server is still starting
    expect(await adding).toBe('temporal started while stopping; stopped again');
    expect(events).toEqual(['postgres started', 'temporal started', 'temporal stopped', 'postgres stopped']);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    await expect(supervisor.add({ name: 'api', start: nodeChild(LIVES, pids, events, 'api') })).rejects.toThrow('not starting api: stopping');
    expect(pids).toHaveLength(2);
    supervisor = undefined;
  });

  it('a second stop, made while the first runs, resolves only once every process has stopped', async () => {
    const events: string[] = [];
    const pids: number[] = [];
    supervisor = new Supervisor(() => undefined);
    await supervisor.add({ name: 'postgres', start: nodeChild(LIVES, pids, events, 'postgres'), backoff: FAST });
    await supervisor.add({ name: 'temporal', start: nodeChild(LIVES, pids, events, 'temporal'), backoff: FAST });
    const first = supervisor.stop();
    await supervisor.stop(); // e.g. the seed failing because its API went away, while Ctrl-C's stop runs
    expect(events).toEqual(['postgres started', 'temporal started', 'temporal stopped', 'postgres stopped']);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    await first;
    supervisor = undefined;
  });
});
