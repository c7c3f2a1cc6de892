import { Body, Controller, Get, HttpCode, Injectable, Post, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi.js';
import type { Request } from 'express';
import { decodeJwt } from 'jose';
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER, developmentSecretInUse, mintToken, SIGN_IN_DEMO_USERS } from '../../../../libs/auth/index.js';
import type { AppConfig } from '../../../../libs/config/app-config.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { toShanghaiIso } from '../common/time.js';
import { DemoSignInConfigDto, DemoTokenDto, DemoTokenRequestDto, NoSignInConfigDto, OidcSignInConfigDto, type SignInConfigDto } from './dto/sign-in.dto.js';
import { Public } from './public.decorator.js';

/** How long a demo token is valid: a working day. */
const DEMO_TOKEN_LIFETIME = '8h';


/** Whether this API instance verifies tokens with the public development secret (see developmentSecretInUse). */
function demoMode(config: ConfigService<AppConfig, true>): boolean {
  return developmentSecretInUse({
    JWT_SECRET: config.get('JWT_SECRET', { infer: true }),
    JWKS_URL: config.get('JWKS_URL', { infer: true }),
    NODE_ENV: config.get('NODE_ENV', { infer: true }),
  });
}

/**
 * Lets `POST /auth/demo-token` exist only while the development secret is in use: otherwise it answers exactly as a
 * route that does not exist (404 ROUTE.NOT_FOUND), before the body is even validated.
 * @throws ApiProblem ROUTE.NOT_FOUND (404)
 */
@Injectable()
export class DemoSignInGuard implements CanActivate {
  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (demoMode(this.config)) return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    throw new ApiProblem(ApiErrorCode.RouteNotFound, `Cannot ${req.method} ${req.path}`);
  }
}

/**
 * How the workbench signs people in (public, rate limited per address like every unauthenticated request):
 * the demo users of the embedded start, or the district's OpenID Connect provider (authorization code + PKCE;
 * the API verifies the access tokens with JWKS_URL), or nothing.
 */
@ApiTags('auth')
@Public()
@ApiExtraModels(DemoSignInConfigDto, OidcSignInConfigDto, NoSignInConfigDto)
@Controller('auth')
export class SignInController {
  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  @Get('config')
  @ApiOperation({
    summary: 'How to sign in: demo users (development secret in use), an OpenID Connect provider, or none',
    description:
      '`demo` while the API verifies tokens with the public development secret of the embedded start (then `POST /auth/demo-token` exists); ' +
      'otherwise `oidc` when OIDC_ISSUER and OIDC_CLIENT_ID are set (authorization code with PKCE S256, public client); otherwise `none`.',
  })
  @ApiOkResponse({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(DemoSignInConfigDto) },
        { $ref: getSchemaPath(OidcSignInConfigDto) },
        { $ref: getSchemaPath(NoSignInConfigDto) },
      ],
      discriminator: {
        propertyName: 'mode',
        mapping: { demo: getSchemaPath(DemoSignInConfigDto), oidc: getSchemaPath(OidcSignInConfigDto), none: getSchemaPath(NoSignInConfigDto) },
      },
    },
  })
  @ApiProblems(400, { status: 429, description: 'Too many requests from this address: REQUEST.RATE_LIMITED, with Retry-After' })
  signInConfig(): SignInConfigDto {
    if (demoMode(this.config)) {
      return { mode: 'demo', users: SIGN_IN_DEMO_USERS.map((u) => ({ sub: u.sub, name: u.name, roles: [...u.roles], department: u.department })) };
    }
    const issuer = this.config.get('OIDC_ISSUER', { infer: true });
    const clientId = this.config.get('OIDC_CLIENT_ID', { infer: true });
    if (issuer && clientId) return { mode: 'oidc', issuer, clientId, scope: this.config.get('OIDC_SCOPE', { infer: true }) };
    return { mode: 'none' };
  }

  @Post('demo-token')
  @HttpCode(200)
  @UseGuards(DemoSignInGuard)
  @ApiOperation({
    summary: 'A bearer token for a demo user (embedded start only)',
    description:
      'Exists only while the API verifies tokens with the public development secret (anyone can mint tokens then); otherwise it answers 404 ' +
      'like a route that does not exist. The token is HS256, valid for 8 hours, with the API’s issuer and audience.',
  })
  @ApiBody({ type: DemoTokenRequestDto })
  @ApiOkResponse({ type: DemoTokenDto })
  @ApiProblems(
    { status: 400, description: 'The body is not `{ sub }`: REQUEST.INVALID naming the field' },
    { status: 404, description: 'The development secret is not in use, so demo sign-in does not exist: ROUTE.NOT_FOUND' },
    413,
    { status: 415, description: 'The body is not application/json: REQUEST.UNSUPPORTED_MEDIA_TYPE' },
    { status: 422, description: 'No demo user has this subject: AUTH.DEMO_USER_UNKNOWN' },
    { status: 429, description: 'Too many requests from this address: REQUEST.RATE_LIMITED, with Retry-After' },
  )
  async demoToken(@Body() body: DemoTokenRequestDto): Promise<DemoTokenDto> {
    const user = SIGN_IN_DEMO_USERS.find((u) => u.sub === body.sub);
    if (!user) {
      throw new ApiProblem(ApiErrorCode.DemoUserUnknown, `no demo user has the subject '${body.sub}'; pick one of GET /api/v1/auth/config`, [
        { field: 'sub', message: `unknown demo user '${body.sub}'` },
      ]);
    }
    const token = await mintToken(user, {
      secret: this.config.get('JWT_SECRET', { infer: true }) ?? '',
      issuer: this.config.get('JWT_ISSUER', { infer: true }) ?? DEFAULT_JWT_ISSUER,
      audience: this.config.get('JWT_AUDIENCE', { infer: true }) ?? DEFAULT_JWT_AUDIENCE,
      expiresIn: DEMO_TOKEN_LIFETIME,
    });
    return { token, expiresAt: toShanghaiIso(new Date((decodeJwt(token).exp ?? 0) * 1000))! };
  }
}
