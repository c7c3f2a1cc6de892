import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ROLES, type Role } from '../../../../../libs/auth/index.js';
import { DEPARTMENT_KEYS, type DepartmentKey } from '../../../../../libs/domain/index.js';

/* How the workbench signs people in: `GET /auth/config` and the embedded start's `POST /auth/demo-token`. */

/** One demo user the sign-in page offers as a button. */
export class DemoUserDto {
  @ApiProperty({ example: 'nrp-li', description: 'The token subject: the actor the timeline records' })
  sub!: string;

  @ApiProperty({ example: 'nrp-li (officer, natural_resources)' })
  name!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['officer'] })
  roles!: Role[];

  @ApiProperty({ enum: DEPARTMENT_KEYS, example: 'natural_resources' })
  department!: DepartmentKey;
}

/** Sign-in while the API verifies tokens with the public development secret (the embedded start): pick a demo user. */
export class DemoSignInConfigDto {
  @ApiProperty({ enum: ['demo'], example: 'demo' })
  mode!: 'demo';

  @ApiProperty({ type: [DemoUserDto], description: 'Officers and heads of every department, the supervisor and the admin (no system caller)' })
  users!: DemoUserDto[];
}

/** Sign-in with the district's identity provider: OpenID Connect authorization code with PKCE (S256), a public client. */
export class OidcSignInConfigDto {
  @ApiProperty({ enum: ['oidc'], example: 'oidc' })
  mode!: 'oidc';

  @ApiProperty({ example: 'https://sso.example.gov.cn/realms/district', description: 'OIDC_ISSUER: discovery at {issuer}/.well-known/openid-configuration' })
  issuer!: string;

  @ApiProperty({ example: 'approvals-workbench', description: 'OIDC_CLIENT_ID' })
  clientId!: string;

  @ApiProperty({ example: 'openid profile', description: 'OIDC_SCOPE: space-separated scopes to request' })
  scope!: string;
}

/** No way to sign in from the browser is configured (tokens come from elsewhere). */
export class NoSignInConfigDto {
  @ApiProperty({ enum: ['none'], example: 'none' })
  mode!: 'none';
}

/** Any of the three answers of `GET /auth/config`, told apart by `mode`. */
export type SignInConfigDto = DemoSignInConfigDto | OidcSignInConfigDto | NoSignInConfigDto;

/** Body of `POST /auth/demo-token`. */
export class DemoTokenRequestDto {
  @ApiProperty({ example: 'nrp-li', minLength: 1, maxLength: 64, description: 'The subject of one of the demo users of `GET /auth/config`' })
  @IsString({ message: 'sub must be the subject of a demo user, e.g. nrp-li' })
  @Length(1, 64, { message: 'sub must be 1–64 characters, the subject of a demo user, e.g. nrp-li' })
  sub!: string;
}

/** Answer of `POST /auth/demo-token`: a bearer token for the demo user. */
export class DemoTokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.…', description: 'HS256 JWT signed with the development secret' })
  token!: string;

  @ApiProperty({ example: '2025-09-22T18:00:00.000+08:00', description: 'When the token expires (its exp), ISO 8601 with +08:00' })
  expiresAt!: string;
}
