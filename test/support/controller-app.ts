import { Global, Module, type DynamicModule, type INestApplication, type Provider, type Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { LoggerModule } from '../../apps/api/src/common/logger.module.js';
import type { AddressInfo } from 'node:net';
import { configureApp } from '../../apps/api/src/bootstrap.js';
import { AuthGuard } from '../../apps/api/src/auth/auth.guard.js';
import { AuthModule } from '../../apps/api/src/auth/auth.module.js';
import { CallerThrottlerGuard } from '../../apps/api/src/auth/caller-throttler.guard.js';
import { RequestShapeGuard } from '../../apps/api/src/common/request-shape.guard.js';
import { validateConfig } from '../../libs/config/app-config.js';
import { IdempotencyRepository, ProjectReadModelRepository, type IdempotencyBegin } from '../../libs/persistence/index.js';
import { TEST_JWT_SECRET } from './tokens.js';

/**
 * The idempotency records in memory, as {@link IdempotencyRepository} keeps them in PostgreSQL (claim, complete,
 * release); enough for the interceptor's paths in a controller test.
 */
export class InMemoryIdempotency {
  readonly records = new Map<string, { fingerprint: string; claimedAt: number; done?: { status: number; body: unknown } }>();

  /** @param staleAfterMs how long a claim holds before a retry may take it over (the repository's default, 30 s) */
  constructor(readonly staleAfterMs = 30_000) {}

  /** Claims `key` for `fingerprint`, or says why not (while claimed: the milliseconds until the claim is stale). */
  async begin(key: string, fingerprint: string): Promise<IdempotencyBegin> {
    const found = this.records.get(key);
    if (!found) {
      this.records.set(key, { fingerprint, claimedAt: Date.now() });
      return { kind: 'started' };
    }
    if (found.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (found.done) return { kind: 'completed', ...found.done };
    const retryAfterMs = found.claimedAt + this.staleAfterMs - Date.now();
    if (retryAfterMs > 0) return { kind: 'in_progress', retryAfterMs };
    found.claimedAt = Date.now();
    return { kind: 'started' };
  }

  /** Stores the answer of `key`. */
  async complete(key: string, status: number, body: unknown): Promise<void> {
    const found = this.records.get(key);
    if (found) found.done = { status, body };
  }

  /** Forgets `key` (a request that never started). */
  async release(key: string): Promise<void> {
    this.records.delete(key);
  }
}

/** What {@link startControllerApp} mounts. */
export interface ControllerAppOptions {
  /** The controllers under test (their real classes). */
  controllers: Type[];
  /** Their collaborators, mocked: services, and repositories the controllers read directly. */
  providers?: Provider[];
  /** The read model the authorization service asks for a step's department; by default it knows no project. */
  readModel?: Partial<ProjectReadModelRepository>;
  /** Environment of the configuration (validated as the API validates it); JWT_SECRET is the test secret. */
  env?: Record<string, string>;
  /** Modules the controllers need besides their mocked collaborators (e.g. TerminusModule for the health controller). */
  imports?: DynamicModule[];
}

/** A listening API with only the given controllers. */
export interface ControllerApp {
  app: INestApplication;
  /** e.g. http://127.0.0.1:41234, for ApiClient and supertest */
  baseUrl: string;
  /** The in-memory idempotency records behind the Idempotency-Key interceptor. */
  idempotency: InMemoryIdempotency;
  close(): Promise<void>;
}

/**
 * The controller tier (a Nest application built as `Test.createTestingModule` would, @nestjs/testing not being
 * installed): the real controllers with their collaborators mocked, behind what every request of the API
 * passes — the global guards in AppModule's order (rate limit, bearer token verified with TEST_JWT_SECRET, request
 * shape), the validation pipe, the problem+json filter, the base path and the OpenAPI document (configureApp of
 * apps/api/src/bootstrap.ts, unchanged). No PostgreSQL, no Temporal: the answers are the shape of refusals
 * (400/401/403/404/409/422) and of the mocked service's results.
 * @returns the app listening on a free port of 127.0.0.1; close it after the tests
 */
export async function startControllerApp(opts: ControllerAppOptions): Promise<ControllerApp> {
  const idempotency = new InMemoryIdempotency();
  const readModel = { findProject: async () => null, findProjects: async () => new Map(), ...opts.readModel };

  @Global()
  @Module({
    providers: [
      { provide: IdempotencyRepository, useValue: idempotency },
      { provide: ProjectReadModelRepository, useValue: readModel },
    ],
    exports: [IdempotencyRepository, ProjectReadModelRepository],
  })
  class FakeDatabaseModule {}

  const env = { DATABASE_URL: 'postgres://unused@127.0.0.1:1/none', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'warn', ...opts.env };
  @Module({
    imports: [
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: () => validateConfig(env), cache: false }),
      LoggerModule.forRoot({ pinoHttp: { level: 'silent' } }),
      FakeDatabaseModule,
      AuthModule,
      ...(opts.imports ?? []),
    ],
    controllers: opts.controllers,
    providers: [
      ...(opts.providers ?? []),
      { provide: APP_GUARD, useExisting: CallerThrottlerGuard },
      { provide: APP_GUARD, useExisting: AuthGuard },
      { provide: APP_GUARD, useClass: RequestShapeGuard },
    ],
  })
  class ControllerTestModule {}

  const app = await NestFactory.create(ControllerTestModule, { bodyParser: false, bufferLogs: true, abortOnError: false });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, idempotency, close: () => app.close() };
}
