import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { shortReason, type DependencyName } from '../common/problem.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module.js';

/** One dependency's state as a probe saw it. */
export interface DependencyState {
  name: DependencyName;
  up: boolean;
  /** Milliseconds the probe took (up to its limit when the dependency did not answer). */
  responseTimeMs: number;
  /** Why it is down: the driver's error (e.g. `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432`) or `no answer within 1000 ms`. */
  message?: string;
}

/** Default limit of one probe, milliseconds. */
export const PROBE_TIMEOUT_MS = 2_000;

/**
 * Asks the API's dependencies whether they answer: PostgreSQL (`SELECT 1` through the pool) and the Temporal frontend
 * (GetSystemInfo). Each probe has its own limit and never throws: a refused, reset or frozen dependency is `up: false`
 * with the reason. Used by the readiness check (`/health/ready`) and, when a request's time budget runs out, to name
 * the dependency the request was waiting on.
 */
@Injectable()
export class DependencyProbe {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** PostgreSQL answers `SELECT 1` within `timeoutMs`. */
  database(timeoutMs = PROBE_TIMEOUT_MS): Promise<DependencyState> {
    return probe('database', timeoutMs, () => this.dataSource.query('SELECT 1'));
  }

  /** The Temporal frontend answers GetSystemInfo within `timeoutMs`. */
  temporalFrontend(timeoutMs = PROBE_TIMEOUT_MS): Promise<DependencyState> {
    // The client retries an unavailable frontend on its own; the abort ends those retries when the probe gives up.
    return probe('temporal', timeoutMs, (signal) =>
      this.temporal.connection.withAbortSignal(signal, () =>
        this.temporal.connection.withDeadline(Date.now() + timeoutMs, () => this.temporal.workflowService.getSystemInfo({})),
      ),
    );
  }

  /** Both probes at once. */
  all(timeoutMs = PROBE_TIMEOUT_MS): Promise<DependencyState[]> {
    return Promise.all([this.database(timeoutMs), this.temporalFrontend(timeoutMs)]);
  }

  /** The Temporal namespace the API works in (for the readiness answer). */
  get namespace(): string {
    return this.temporal.options.namespace;
  }
}

/**
 * Runs `check` with a limit of `timeoutMs`: up when it resolves in time, down with the error's reason or
 * `no answer within … ms` otherwise (its signal is then aborted, so a check that honours it stops). Never rejects.
 */
export async function probe(name: DependencyName, timeoutMs: number, check: (signal: AbortSignal) => Promise<unknown>): Promise<DependencyState> {
  const started = performance.now();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([
      Promise.resolve()
        .then(() => check(abort.signal))
        .then(() => 'up' as const),
      expired,
    ]);
    if (outcome === 'expired') abort.abort();
    const responseTimeMs = Math.round(performance.now() - started);
    return outcome === 'up' ? { name, up: true, responseTimeMs } : { name, up: false, responseTimeMs, message: `no answer within ${timeoutMs} ms` };
  } catch (err) {
    return { name, up: false, responseTimeMs: Math.round(performance.now() - started), message: shortReason(err) };
  } finally {
    clearTimeout(timer);
  }
}
