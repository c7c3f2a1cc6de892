import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import { tokenKeySource, type AppConfig } from '../../../../libs/config/app-config.js';
import { AuthorizationService } from './authorization.service.js';
import { CallerThrottlerGuard } from './caller-throttler.guard.js';
import { AuthGuard } from './auth.guard.js';
import { DemoSignInGuard, SignInController } from './sign-in.controller.js';
import { TOKEN_VERIFIER, TokenVerifier } from './token-verifier.js';

/**
 * Authentication (bearer JWT: JWT_SECRET or JWKS_URL), authorization (policy.ts), the per-caller rate limit, and the
 * workbench's sign-in endpoints (`/auth/config`, `/auth/demo-token`).
 * The guards themselves are installed globally by AppModule, in order: rate limit, authentication, request shape.
 * @throws ConfigError at start-up when no token key source is configured (see tokenKeySource)
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        throttlers: [{ name: 'default', ttl: config.get('RATE_LIMIT_TTL_MS', { infer: true }), limit: config.get('RATE_LIMIT_LIMIT', { infer: true }) }],
      }),
    }),
  ],
  controllers: [SignInController],
  providers: [
    {
      provide: TOKEN_VERIFIER,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const source = tokenKeySource({
          JWT_SECRET: config.get('JWT_SECRET', { infer: true }),
          JWKS_URL: config.get('JWKS_URL', { infer: true }),
          JWT_ALGORITHMS: config.get('JWT_ALGORITHMS', { infer: true }),
          NODE_ENV: config.get('NODE_ENV', { infer: true }),
        });
        return new TokenVerifier(source, {
          JWT_ISSUER: config.get('JWT_ISSUER', { infer: true }),
          JWT_AUDIENCE: config.get('JWT_AUDIENCE', { infer: true }),
          JWT_CLOCK_TOLERANCE_S: config.get('JWT_CLOCK_TOLERANCE_S', { infer: true }),
        });
      },
    },
    AuthorizationService,
    AuthGuard,
    CallerThrottlerGuard,
    DemoSignInGuard,
  ],
  exports: [TOKEN_VERIFIER, AuthorizationService, AuthGuard, CallerThrottlerGuard],
})
export class AuthModule {}
