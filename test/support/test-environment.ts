import { appendFileSync } from 'node:fs';
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';

/** What the message of grpc-js says when a call is made on a channel that has been closed. */
const CLOSED_CHANNEL = 'Channel has been shut down';
const INSTALLED = Symbol.for('approvals.test.lateErrorListener');

/**
 * An error thrown after a test file's tests have ended (jest-circus attributes the ones thrown while they run to
 * the running test): a timer or callback that outlived its test file.
 * - grpc-js's "Channel has been shut down" is a Temporal client call still retrying (the client's retry interceptor
 *   re-sends from a timer) when the file had closed the connection, typically after a test that timed out while an
 *   Update or query was pending. Its test has already failed or passed; one warning line is printed.
 * - Anything else is printed with its stack and appended to the run's late-error file (JEST_LATE_ERRORS_FILE,
 *   set by global-setup.ts), which global-teardown.ts turns into a failed run once every test has run.
 * Without this listener Node ends the process on such an error: with one process (runInBand) the whole run stops,
 * no summary, no global teardown (the temporary PostgreSQL folder stays); with workers, jest stops after a worker's
 * repeated crashes.
 */
function onLateError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  if (message === CLOSED_CHANNEL) {
    process.stderr.write(`[test-environment] ignored after its test file ended: ${CLOSED_CHANNEL} (a Temporal client call still retrying on a closed connection)\n`);
    return;
  }
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`[test-environment] an error escaped its test file after its tests ended:\n${text}\n`);
  const file = process.env.JEST_LATE_ERRORS_FILE;
  if (file) appendFileSync(file, `${text}\n---\n`);
  else process.exitCode = 1;
}

type TimerFn = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => NodeJS.Timeout;

/**
 * jest's Node environment with two guards against a test file's leftovers reaching the files after it (on 2 cores
 * jest runs every file in one process):
 * - the timers a file created (setTimeout, setInterval) and that are still pending when its tests have ended are
 *   cleared at its teardown: nothing of a finished file runs later, such as the Temporal client's retry of a call on a
 *   connection the file has closed, which would throw "Channel has been shut down" into the next file's tests;
 * - once per process, a listener for errors that escape a test file after its tests anyway ({@link onLateError}), on
 *   the real `process` (jest-circus sets it aside while a file's tests run and puts it back after, so during a run
 *   the error fails the running test, as before).
 */
export default class ApprovalsTestEnvironment extends NodeEnvironment {
  private readonly pending = new Set<NodeJS.Timeout>();

  override async setup(): Promise<void> {
    await super.setup();
    const real = process as NodeJS.Process & { [INSTALLED]?: boolean };
    if (!real[INSTALLED]) {
      real[INSTALLED] = true;
      process.on('uncaughtException', onLateError);
      process.on('unhandledRejection', onLateError);
    }
    const g = this.global as unknown as Record<'setTimeout' | 'setInterval' | 'clearTimeout' | 'clearInterval', unknown>;
    g.setTimeout = this.tracked(g.setTimeout as TimerFn, true);
    g.setInterval = this.tracked(g.setInterval as TimerFn, false);
    for (const name of ['clearTimeout', 'clearInterval'] as const) {
      const clear = g[name] as (t?: NodeJS.Timeout) => void;
      g[name] = (t?: NodeJS.Timeout) => {
        if (t) this.pending.delete(t);
        clear(t);
      };
    }
  }

  override async teardown(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    await super.teardown();
  }

  /** `create` (the context's setTimeout or setInterval) recording each timer until it has fired (once) or is cleared. */
  private tracked(create: TimerFn, once: boolean): TimerFn {
    const pending = this.pending;
    const wrapper: TimerFn = (callback, ms, ...args) => {
      const timer = create(
        (...a: unknown[]) => {
          if (once) pending.delete(timer);
          callback(...a);
        },
        ms,
        ...args,
      );
      pending.add(timer);
      return timer;
    };
    // Keep what hangs off the function (util.promisify.custom of setTimeout).
    for (const key of Reflect.ownKeys(create)) if (key !== 'length' && key !== 'name' && key !== 'prototype') Reflect.set(wrapper, key, Reflect.get(create, key));
    return wrapper;
  }
}
