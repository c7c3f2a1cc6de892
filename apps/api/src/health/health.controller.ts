import { Controller, Get } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator.js';
import { ApiProblems } from '../common/openapi.js';
import type { AppConfig } from '../../../../libs/config/app-config.js';
import { DependencyProbe, PROBE_TIMEOUT_MS, type DependencyState } from './dependency-probe.js';
import { readModelReconciliation } from '../../../../libs/projection/reconciliation.js';
import { HealthDto, LivenessDto } from './dto/health.response.js';

const NOT_READY = {
  status: 503,
  description:
    'DEPENDENCY.UNAVAILABLE: a dependency does not answer; the detail names each one that is down and why, `checks` gives every dependency’s state, Retry-After says when to look again',
};

/**
 * Health for probes and operators, public and not rate limited. `live`: the process answers (restart it when not).
 * `ready`: every dependency a request needs answers — PostgreSQL and Temporal — each named with its state (send it
 * traffic only then). `GET /health` is the readiness check under its older name.
 */
@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  /** Each probe's limit: 2 s, or half the request budget when that is shorter, so the check answers within its budget. */
  private readonly probeMs: number;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly probe: DependencyProbe,
    config: ConfigService<AppConfig, true>,
  ) {
    this.probeMs = Math.min(PROBE_TIMEOUT_MS, Math.floor(config.get('REQUEST_TIMEOUT_MS', { infer: true }) / 2));
  }

  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness (as /health/ready): the database and Temporal, each with its state (public, not rate limited)' })
  @ApiResponse({ status: 200, type: HealthDto })
  @ApiProblems(400, NOT_READY)
  check(): Promise<HealthCheckResult> {
    return this.ready();
  }

  @Get('live')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness: the API process answers; checks no dependency (public, not rate limited)' })
  @ApiResponse({ status: 200, type: LivenessDto })
  @ApiProblems(400)
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })]);
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: the database and Temporal answer, each named with its state (public, not rate limited)' })
  @ApiResponse({ status: 200, type: HealthDto })
  @ApiProblems(400, NOT_READY)
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      async () => this.indicator(await this.probe.database(this.probeMs)),
      async () => this.indicator(await this.probe.temporalFrontend(this.probeMs), { namespace: this.probe.namespace }),
      // The read model's reconciliation with the workflows: down while it lacks projects being rebuilt.
      () => {
        const r = readModelReconciliation.readiness();
        return r.up ? this.indicators.check('readModel').up({ message: r.message, ...r.details }) : this.indicators.check('readModel').down({ message: r.message, ...r.details });
      },
      // Further readiness indicators are added here, each a function answering `this.indicators.check('<name>').up(…)` or
      // `.down({ message })`.
    ]);
  }

  /** A probe's result as a terminus indicator (`up` with its response time, or `down` with the reason). */
  private indicator(state: DependencyState, extra: Record<string, unknown> = {}): HealthIndicatorResult {
    const check = this.indicators.check(state.name);
    return state.up
      ? check.up({ responseTime: state.responseTimeMs, ...extra })
      : check.down({ message: state.message ?? 'down', responseTime: state.responseTimeMs });
  }
}
