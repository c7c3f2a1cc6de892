import type { ChildProcess } from 'node:child_process';

/** How a supervised process ended: its exit code, or the signal that ended it. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One run of a supervised process: resolves `exited` when it ends; `stop()` ends it gracefully and waits. */
export interface Running {
  exited: Promise<ExitInfo>;
  stop(): Promise<void>;
}

/** Restart back-off: `initialMs`, doubled after each restart, at most `maxMs`; back to `initialMs` after a run of `healthyAfterMs`. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  healthyAfterMs: number;
}

/** The default back-off: 1 s, 2 s, 4 s … at most 30 s; reset after a minute of healthy running. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000, healthyAfterMs: 60_000 };

/** What to supervise. */
export interface SupervisedSpec {
  /** Shown in the log lines, e.g. `worker`. */
  name: string;
  /** Starts one run; resolves once the process is up (for a server: accepting connections). May throw. */
  start: () => Promise<Running>;
  backoff?: Backoff;
  /**
   * Exit codes that are not crashes and must not be restarted (besides 0): e.g. 78, a process that refuses its
   * configuration. {@link SupervisedSpec.onGaveUp} is called instead.
   */
  finalExitCodes?: readonly number[];
  /** Called when the process ended with 0 or a final code and will not be restarted. */
  onGaveUp?: (exit: ExitInfo) => void;
}

/** The exit of a Node child process as {@link ExitInfo} (resolved at once when it has already exited). */
export function exitOf(child: ChildProcess): Promise<ExitInfo> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * Keeps processes running: each is started in turn, and when one exits with a non-zero code or a signal it is
 * restarted after a back-off (1 s, 2 s, 4 s … capped; reset after a healthy run), each step logged. A restart that
 * fails to start counts as another crash. Exit code 0 and the spec's final codes are not restarted. `stop()` stops
 * them in the reverse order of `add` (the last added — e.g. the API — first; the first — the database — last),
 * cancelling any pending restart.
 */
export class Supervisor {
  private readonly entries: SupervisedEntry[] = [];
  private stopped: Promise<void> | null = null;

  /** @param log receives one line per crash, restart and stop */
  constructor(private readonly log: (line: string) => void) {}

  /**
   * Starts `spec` once and supervises it from then on. A {@link Supervisor.stop} while the first start is under way
   * waits for it and then stops that process too (a Ctrl-C during the start leaves nothing behind).
   * @throws the error of the first start (nothing is supervised then), or an Error when the supervisor is stopping
   */
  async add(spec: SupervisedSpec): Promise<void> {
    if (this.stopped) throw new Error(`not starting ${spec.name}: stopping`);
    const entry = new SupervisedEntry(spec, this.log);
    this.entries.push(entry);
    try {
      await entry.firstStart();
    } catch (err) {
      this.entries.splice(this.entries.indexOf(entry), 1);
      throw err;
    }
    if (this.stopped) throw new Error(`${spec.name} started while stopping; stopped again`);
  }

  /** Restarts so far per name (for logs and tests). */
  restarts(): Record<string, number> {
    return Object.fromEntries(this.entries.map((e) => [e.spec.name, e.restarts]));
  }

  /**
   * Stops every process, last added first, each waiting for the one before; pending restarts are cancelled. Every
   * call, the first or a later one made while it runs, resolves only once all of them have stopped.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      for (const e of this.entries) e.cancelRestarts();
      for (const e of [...this.entries].reverse()) {
        await e.stop().catch((err: unknown) => this.log(`${e.spec.name}: stop failed: ${err instanceof Error ? err.message : String(err)}`));
      }
    })();
    return this.stopped;
  }

  /** Stops the processes whose names are given, in that order, before {@link Supervisor.stop} stops the rest. */
  async stopSome(names: string[], parallel = false): Promise<void> {
    const chosen = names.map((n) => this.entries.find((e) => e.spec.name === n)).filter((e): e is SupervisedEntry => e !== undefined);
    for (const e of chosen) e.cancelRestarts();
    if (parallel) await Promise.all(chosen.map((e) => e.stop()));
    else for (const e of chosen) await e.stop();
  }
}

/** One supervised process. */
class SupervisedEntry {
  restarts = 0;
  private current: Running | null = null;
  private stopped = false;
  private attempt = 0;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    readonly spec: SupervisedSpec,
    private readonly log: (line: string) => void,
  ) {}

  private get backoff(): Backoff {
    return this.spec.backoff ?? DEFAULT_BACKOFF;
  }

  firstStart(): Promise<void> {
    this.starting = (async () => {
      this.current = await this.spec.start();
      this.loop = this.watch(this.current, Date.now());
    })();
    return this.starting;
  }

  private async watch(run: Running, startedAt: number): Promise<void> {
    for (;;) {
      const exit = await run.exited;
      if (this.stopped) return;
      this.current = null;
      const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
      if ((exit.code === 0 && !exit.signal) || (exit.code !== null && this.spec.finalExitCodes?.includes(exit.code))) {
        this.log(`${this.spec.name} exited (${how}); not restarted`);
        this.spec.onGaveUp?.(exit);
        return;
      }
      if (Date.now() - startedAt >= this.backoff.healthyAfterMs) this.attempt = 0;
      let next: Running | null = null;
      while (next === null) {
        const delay = Math.min(this.backoff.initialMs * 2 ** this.attempt, this.backoff.maxMs);
        this.attempt += 1;
        this.log(`${this.spec.name} exited unexpectedly (${how}); restarting in ${formatMs(delay)} (restart ${this.restarts + 1})`);
        await this.sleep(delay);
        if (this.stopped) return;
        try {
          next = await this.spec.start();
        } catch (err) {
          this.log(`${this.spec.name} did not start again: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      this.restarts += 1;
      if (this.stopped) {
        await next.stop();
        return;
      }
      this.log(`${this.spec.name} restarted`);
      this.current = next;
      run = next;
      startedAt = Date.now();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  cancelRestarts(): void {
    this.stopped = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.cancelRestarts();
    // A first start under way: let it finish, then stop what it started (a failed one left nothing to stop).
    await this.starting?.catch(() => undefined);
    const run = this.current;
    this.current = null;
    if (run) await run.stop();
    await this.loop;
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
