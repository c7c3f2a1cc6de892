import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DependencyProbe } from './dependency-probe.js';
import { HealthController } from './health.controller.js';

/** `/health`, `/health/live`, `/health/ready`, and the dependency probe the request budget also uses. */
@Module({ imports: [TerminusModule.forRoot({ logger: false })], controllers: [HealthController], providers: [DependencyProbe], exports: [DependencyProbe] })
export class HealthModule {}
