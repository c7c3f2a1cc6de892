import type { ChildProcess } from 'node:child_process';

/** Exit code of a process that refuses its configuration (EX_CONFIG): restarting it cannot help. */
const EXIT_CONFIGURATION = 78;

/** Options of a {@link Supervised} process. */
export interface SupervisedOptions {
  /** Restart after an unexpected exit (default true). */
  restart?: boolean;
  /** First restart delay, milliseconds (default 1000); doubles per restart, capped at {@link maxBackoffMs}. */
  backoffMs?: number;
  /** Longest restart delay, milliseconds (default 30000). */
  maxBackoffMs?: number;
  /** A run at least this long (milliseconds, default 60000) resets the back-off to its first delay. */
  healthyAfterMs?: number;
  /** Signal of an orderly stop (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /** Milliseconds an orderly stop waits before SIGKILL (default 30000). */
  graceMs?: number;
  /** Receives one line per start, unexpected exit and restart. */
  log: (line: string) => void;
  /** Called after each (re)start with the new process. */
  onStart?: (child: ChildProcess) => void;
}

/**
 * One child process of the production-shaped stack, kept running the way a service manager (systemd's
 * `Restart=on-failure`, compose's `restart: unless-stopped`) keeps it: an exit that {@link stop} did not ask for
 * is logged and followed by a restart after a back-off of 1 s, 2 s, 4 s … capped at 30 s, reset after a healthy
 * minute. An exit with code 78 (a configuration the process refuses) is logged and not restarted.
 */
export class Supervised {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restarts = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly opts: Required<Omit<SupervisedOptions, 'onStart'>> & Pick<SupervisedOptions, 'onStart'>;

  /**
   * @param name shown in the log lines, e.g. `worker-1`
   * @param spawnChild starts one run of the process (called again on each restart)
   */
  constructor(
    readonly name: string,
    private readonly spawnChild: () => ChildProcess,
    options: SupervisedOptions,
  ) {
    this.opts = { restart: true, backoffMs: 1000, maxBackoffMs: 30_000, healthyAfterMs: 60_000, stopSignal: 'SIGTERM', graceMs: 30_000, ...options };
  }

  /** The current run's process id, or undefined while it is down. */
  get pid(): number | undefined {
    return this.child && this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** Starts a run (the first, or a restart) and returns its process. */
  start(): ChildProcess {
    const child = this.spawnChild();
    const began = Date.now();
    this.child = child;
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      const ran = Date.now() - began;
      if (ran >= this.opts.healthyAfterMs) this.restarts = 0;
      if (code === EXIT_CONFIGURATION) {
        this.opts.log(`${this.name} refused its configuration (exit code ${code}); not restarting it — see its log`);
        return;
      }
      if (!this.opts.restart) {
        this.opts.log(`${this.name} exited unexpectedly (code ${code}, signal ${signal}); restarts are off`);
        return;
      }
      const delay = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** this.restarts);
      this.restarts += 1;
      this.opts.log(`${this.name} exited unexpectedly (code ${code}, signal ${signal}) after ${(ran / 1000).toFixed(1)} s; restart ${this.restarts} in ${delay / 1000} s`);
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.stopping) return;
        const next = this.start();
        this.opts.log(`${this.name} restarted (pid ${next.pid})`);
      }, delay);
    });
    this.opts.onStart?.(child);
    return child;
  }

  /** Stops the process in order (stop signal, then SIGKILL after the grace period) and ends supervision. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => {
        this.opts.log(`${this.name} did not stop within ${this.opts.graceMs / 1000} s; killing it`);
        child.kill('SIGKILL');
      }, this.opts.graceMs);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      try {
        child.kill(this.opts.stopSignal);
      } catch {
        clearTimeout(kill);
        resolve();
      }
    });
  }
}
