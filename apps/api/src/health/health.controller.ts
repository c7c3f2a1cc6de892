import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi.js';
import { HealthDto } from './dto/health.response.js';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import { Client } from '@temporalio/client';
import { Public } from '../auth/public.decorator.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module.js';

/** Readiness: the database and Temporal both answer (503 with which one failed otherwise). Public and not rate limited (probes). */
@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Health of the database and Temporal (public, not rate limited)' })
  @ApiResponse({ status: 200, type: HealthDto })
  @ApiProblems(400, { status: 503, description: 'The database or Temporal does not answer (the problem’s detail says which)' })
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 }), () => this.temporalCheck()]);
  }

  private async temporalCheck() {
    const indicator = this.indicators.check('temporal');
    try {
      await this.temporal.connection.withDeadline(Date.now() + 2000, () => this.temporal.workflowService.getSystemInfo({}));
      return indicator.up({ namespace: this.temporal.options.namespace });
    } catch (err) {
      return indicator.down({ message: err instanceof Error ? err.message.slice(0, 200) : 'unreachable' });
    }
  }
}
