import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, isIP, IsNotEmpty, IsString, Matches, Max, Min, MinLength, ValidateBy, ValidateIf, validateSync } from 'class-validator';
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER, DEVELOPMENT_JWT_SECRET } from '../auth/tokens.js';
import { EXCLUDED_PERIOD_KINDS } from '../domain/project/step-actions.js';
import { configuresWebhook, parseChannelMap, type NotificationChannelMap } from '../notifications/channel-config.js';

export const NODE_ENVS = ['development', 'test', 'production'] as const;

/** Algorithms accepted from a JWKS (asymmetric only: an HS* key must never come from a URL). */
export const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const toNumber = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? Number(value) : value);

const toChannelMap = ({ value }: { value: unknown }): unknown => (value === undefined ? {} : (parseChannelMap(value).channels ?? value));


const toKindMap = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const parsed = parseLocalExcludedPeriodKinds(value);
  return parsed.kinds ?? value;
};

const toBool = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase()) : value;

/**
 * Typed configuration of the API and the worker, read from the environment and validated at start-up
 * (an invalid value stops the process with a message naming the variable).
 */
export class AppConfig {
  /** host:port of the Temporal frontend. */
  @IsString()
  @Matches(/^[^\s:]+:\d{1,5}$/, { message: 'TEMPORAL_ADDRESS must be host:port, e.g. localhost:7233' })
  TEMPORAL_ADDRESS = 'localhost:7233';

  @IsString()
  @IsNotEmpty()
  TEMPORAL_NAMESPACE = 'default';

  /** postgres://user:password@host:port/database */
  @IsString()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL, e.g. postgres://user:pass@localhost:5432/approvals' })
  DATABASE_URL!: string;

  /** HTTP port of the API. */
  @Transform(({ value }) => (typeof value === 'string' ? Number(value) : value))
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /**
   * Address the API listens on: an IPv4 or IPv6 address, or a host name resolved at start (e.g. `127.0.0.1` or
   * `localhost` to hold it to loopback behind a reverse proxy on the same host). Unset: every interface, IPv6 and
   * IPv4 (Node's default for `listen(port)`).
   */
  @ValidateIf((o: AppConfig) => o.API_HOST !== undefined)
  @ValidateBy({
    name: 'isListenHost',
    validator: { validate: (v: unknown) => isListenHost(v) },
  }, { message: 'API_HOST must be an IP address or a host name, e.g. 127.0.0.1 (loopback only) or 0.0.0.0 (every IPv4 interface)' })
  API_HOST?: string;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Whether the API applies pending migrations at start (the worker never does). */
  @Transform(toBool)
  @IsBoolean()
  RUN_MIGRATIONS = true;

  /**
   * Notification channels (worker): a JSON object from department key or `supervisors` to a webhook URL (the original
   * form, e.g. `{"natural_resources":"https://hooks.example.org/nr"}`) or a channel object `{ kind, … }`: `log`,
   * `webhook` (url), `dingtalk` (url with access_token, secret), `wecom` (url with key) or `email` (smtp, from, to) —
   * see ChannelConfig. A key left out delivers to the log. A bad entry stops the process naming its key.
   */
  @Transform(toChannelMap)
  @ValidateBy({
    name: 'isChannelMap',
    validator: {
      validate: (value: unknown) => parseChannelMap(value).channels !== null,
      defaultMessage: (args) => `NOTIFICATION_CHANNELS ${parseChannelMap(args?.value).problems.join('; ')}`,
    },
  })
  NOTIFICATION_CHANNELS: NotificationChannelMap = {};

  /** HMAC-SHA256 key of the webhook signature header; required (≥ 16 characters) once any webhook is configured. */
  @ValidateIf((o: AppConfig) => configuresWebhook(o.NOTIFICATION_CHANNELS))
  @IsString({ message: 'NOTIFICATION_WEBHOOK_SECRET is required when NOTIFICATION_CHANNELS configures a webhook (the HMAC-SHA256 key of X-Signature-SHA256)' })
  @MinLength(16, { message: 'NOTIFICATION_WEBHOOK_SECRET must be at least 16 characters' })
  NOTIFICATION_WEBHOOK_SECRET?: string;

  /**
   * Address of the workbench as officials open it, for the links in notices (`<PUBLIC_BASE_URL>/projects/<code>`), e.g.
   * `https://xmsp.example.gov.cn`; unset: `http://localhost:<PORT>`. See {@link publicBaseUrl}.
   */
  @ValidateIf((o: AppConfig) => o.PUBLIC_BASE_URL !== undefined)
  @ValidateBy({ name: 'isHttpUrl', validator: { validate: (v: unknown) => typeof v === 'string' && isHttpUrl(v) } }, {
    message: 'PUBLIC_BASE_URL must be an http:// or https:// URL, e.g. https://xmsp.example.gov.cn',
  })
  PUBLIC_BASE_URL?: string;

  /** Delivery attempts of one notification before it is dead-lettered. */
  @Transform(toNumber)
  @IsInt({ message: 'NOTIFICATION_MAX_ATTEMPTS must be a whole number from 1 to 100' })
  @Min(1, { message: 'NOTIFICATION_MAX_ATTEMPTS must be a whole number from 1 to 100' })
  @Max(100, { message: 'NOTIFICATION_MAX_ATTEMPTS must be a whole number from 1 to 100' })
  NOTIFICATION_MAX_ATTEMPTS = 8;

  /** First retry delay in milliseconds; it doubles per failed attempt, capped at one hour. */
  @Transform(toNumber)
  @IsInt({ message: 'NOTIFICATION_BACKOFF_BASE_MS must be a whole number of milliseconds from 1 to 3600000' })
  @Min(1, { message: 'NOTIFICATION_BACKOFF_BASE_MS must be a whole number of milliseconds from 1 to 3600000' })
  @Max(3_600_000, { message: 'NOTIFICATION_BACKOFF_BASE_MS must be a whole number of milliseconds from 1 to 3600000' })
  NOTIFICATION_BACKOFF_BASE_MS = 1_000;

  /** How often the worker's dispatcher looks for due notifications, in milliseconds. */
  @Transform(toNumber)
  @IsInt({ message: 'NOTIFICATION_POLL_INTERVAL_MS must be a whole number of milliseconds from 10 to 60000' })
  @Min(10, { message: 'NOTIFICATION_POLL_INTERVAL_MS must be a whole number of milliseconds from 10 to 60000' })
  @Max(60_000, { message: 'NOTIFICATION_POLL_INTERVAL_MS must be a whole number of milliseconds from 10 to 60000' })
  NOTIFICATION_POLL_INTERVAL_MS = 1_000;

  /**
   * Working days without progress after which a running project counts as idle on `GET /supervision/stuck`
   * (DESIGN.md §4 "Stuck"); the query parameter `idleWorkingDays` overrides it per request.
   */
  @Transform(toNumber)
  @IsInt({ message: 'IDLE_WORKING_DAYS must be a whole number from 1 to 250' })
  @Min(1, { message: 'IDLE_WORKING_DAYS must be a whole number from 1 to 250' })
  @Max(250, { message: 'IDLE_WORKING_DAYS must be a whole number from 1 to 250' })
  IDLE_WORKING_DAYS = 10;

  /**
   * Working days of slack below which the at-risk forecast flags a started hard deadline (default 0: only when the
   * remaining work at the published limits runs past it; a district wanting warning earlier sets e.g. 5).
   */
  @Transform(toNumber)
  @IsInt({ message: 'AT_RISK_MARGIN_WORKING_DAYS must be a whole number from -60 to 60' })
  @Min(-60, { message: 'AT_RISK_MARGIN_WORKING_DAYS must be a whole number from -60 to 60' })
  @Max(60, { message: 'AT_RISK_MARGIN_WORKING_DAYS must be a whole number from -60 to 60' })
  AT_RISK_MARGIN_WORKING_DAYS = 0;

  /**
   * Catch-up hold, milliseconds: alerts and lights already due when a deadline is planned (a back-dated record)
   * wait this long, so an officer entering a paper history in sequence is not notified about steps the same
   * session closes a moment later. Given to each new project's workflow at registration (the API reads it).
   */
  @Transform(toNumber)
  @IsInt({ message: 'CATCH_UP_HOLD_MS must be a whole number of milliseconds from 0 to 3600000' })
  @Min(0, { message: 'CATCH_UP_HOLD_MS must be a whole number of milliseconds from 0 to 3600000' })
  @Max(3_600_000, { message: 'CATCH_UP_HOLD_MS must be a whole number of milliseconds from 0 to 3600000' })
  CATCH_UP_HOLD_MS = 60_000;

  /**
   * The API's reconciliation of the read model with the project workflows at start (libs/projection): `all` (default)
   * rebuilds the projects the read model lacks and compares every running project's version and timeline (two Queries
   * each: catches a read model restored from an older backup); `missing` only the projects it lacks or holds as running
   * while their workflow closed (cheap with many projects); `off` none (run `npm run rebuild-read-model` by hand).
   */
  @IsIn(['all', 'missing', 'off'], { message: 'READ_MODEL_RECONCILE must be one of all, missing, off' })
  READ_MODEL_RECONCILE: 'all' | 'missing' | 'off' = 'all';

  /**
   * The server-side time budget of one HTTP request, milliseconds: past it the API answers 503 DEPENDENCY.UNAVAILABLE
   * naming what did not answer, with Retry-After, instead of keeping the client waiting. A write that is still running
   * then completes in the background, and a retry with the same Idempotency-Key answers its result.
   */
  @Transform(toNumber)
  @IsInt({ message: 'REQUEST_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000' })
  @Min(100, { message: 'REQUEST_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000' })
  @Max(600_000, { message: 'REQUEST_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000' })
  REQUEST_TIMEOUT_MS = 10_000;

  /**
   * Bearer token a Prometheus scraper sends to `GET /metrics` (at least 16 characters). Unset: `/metrics` answers only
   * callers on the loopback interface (a scraper on the same host or a sidecar), everyone else 404.
   */
  @ValidateIf((o: AppConfig) => o.METRICS_TOKEN !== undefined)
  @IsString()
  @Matches(/^[\x21-\x7e]{16,200}$/, { message: 'METRICS_TOKEN must be 16 to 200 visible ASCII characters' })
  METRICS_TOKEN?: string;

  /**
   * Port of the worker's Prometheus endpoint (the Temporal SDK's metrics and the worker's own, at
   * http://<host>:<port>/metrics, bound to 127.0.0.1); 0: no endpoint.
   */
  @Transform(toNumber)
  @IsInt({ message: 'WORKER_METRICS_PORT must be a whole number from 0 to 65535' })
  @Min(0, { message: 'WORKER_METRICS_PORT must be a whole number from 0 to 65535' })
  @Max(65535, { message: 'WORKER_METRICS_PORT must be a whole number from 0 to 65535' })
  WORKER_METRICS_PORT = 0;

  /** `production` refuses the public development JWT secret. */
  @IsIn(NODE_ENVS, { message: `NODE_ENV must be one of ${NODE_ENVS.join(', ')}` })
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  /**
   * HS256 shared secret of bearer tokens (at least 32 characters). The API needs exactly one of JWT_SECRET and
   * JWKS_URL; the embedded start sets a development default.
   */
  @ValidateIf((o: AppConfig) => o.JWT_SECRET !== undefined)
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** The identity provider's JWKS (RS256/ES256…): an http(s) URL. */
  @ValidateIf((o: AppConfig) => o.JWKS_URL !== undefined)
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'JWKS_URL must be an http(s) URL, e.g. https://sso.example.gov.cn/.well-known/jwks.json' })
  JWKS_URL?: string;

  /** Comma-separated algorithms accepted from JWKS_URL. */
  @ValidateBy({
    name: 'isJwksAlgorithms',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && splitList(v).length > 0 && splitList(v).every((a) => (JWKS_ALGORITHMS as readonly string[]).includes(a)),
      defaultMessage: () => `JWT_ALGORITHMS must list some of ${JWKS_ALGORITHMS.join(', ')} (comma-separated)`,
    },
  })
  JWT_ALGORITHMS = 'RS256,ES256';

  /** Required `iss` of every token. */
  @IsString()
  @IsNotEmpty({ message: 'JWT_ISSUER must not be empty' })
  JWT_ISSUER = DEFAULT_JWT_ISSUER;

  /** Required `aud` of every token. */
  @IsString()
  @IsNotEmpty({ message: 'JWT_AUDIENCE must not be empty' })
  JWT_AUDIENCE = DEFAULT_JWT_AUDIENCE;

  /** Seconds of clock skew allowed on exp and nbf. */
  @Transform(toNumber)
  @IsInt({ message: 'JWT_CLOCK_TOLERANCE_S must be a whole number of seconds from 0 to 300' })
  @Min(0, { message: 'JWT_CLOCK_TOLERANCE_S must be a whole number of seconds from 0 to 300' })
  @Max(300, { message: 'JWT_CLOCK_TOLERANCE_S must be a whole number of seconds from 0 to 300' })
  JWT_CLOCK_TOLERANCE_S = 5;

  /**
   * The OpenID Connect provider people sign in with on the workbench (authorization code + PKCE): its issuer URL,
   * whose /.well-known/openid-configuration the browser reads. Set together with OIDC_CLIENT_ID, or neither. The
   * API keeps verifying the access tokens it is sent with JWKS_URL, JWT_ISSUER and JWT_AUDIENCE.
   */
  @ValidateIf((o: AppConfig) => o.OIDC_ISSUER !== undefined || o.OIDC_CLIENT_ID !== undefined)
  @ValidateBy({
    name: 'isOidcIssuer',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && isHttpUrl(v),
      defaultMessage: (args) =>
        args?.value === undefined
          ? 'OIDC_ISSUER is required with OIDC_CLIENT_ID (set both or neither)'
          : 'OIDC_ISSUER must be the identity provider\'s issuer, an http(s) URL such as https://sso.example.gov.cn/realms/district',
    },
  })
  OIDC_ISSUER?: string;

  /** The workbench's client id at the OIDC provider (a public client: no secret, PKCE). */
  @ValidateIf((o: AppConfig) => o.OIDC_ISSUER !== undefined || o.OIDC_CLIENT_ID !== undefined)
  @ValidateBy({
    name: 'isOidcClientId',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && /^[\x21-\x7e]{1,200}$/.test(v),
      defaultMessage: (args) =>
        args?.value === undefined
          ? 'OIDC_CLIENT_ID is required with OIDC_ISSUER (set both or neither)'
          : 'OIDC_CLIENT_ID must be 1 to 200 visible ASCII characters without spaces',
    },
  })
  OIDC_CLIENT_ID?: string;

  /** Scopes the workbench asks the OIDC provider for: space-separated, including `openid`. */
  @ValidateBy({
    name: 'isOidcScope',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(v) && v.split(' ').includes('openid'),
      defaultMessage: () => 'OIDC_SCOPE must be space-separated scopes including openid, e.g. "openid profile"',
    },
  })
  OIDC_SCOPE = 'openid profile';

  /** Requests one caller (token subject, else IP) may make per RATE_LIMIT_TTL_MS. */
  @Transform(toNumber)
  @IsInt({ message: 'RATE_LIMIT_LIMIT must be a whole number from 1 to 1000000' })
  @Min(1, { message: 'RATE_LIMIT_LIMIT must be a whole number from 1 to 1000000' })
  @Max(1_000_000, { message: 'RATE_LIMIT_LIMIT must be a whole number from 1 to 1000000' })
  RATE_LIMIT_LIMIT = 3_000;

  /** The rate-limit window in milliseconds. */
  @Transform(toNumber)
  @IsInt({ message: 'RATE_LIMIT_TTL_MS must be a whole number of milliseconds from 1000 to 3600000' })
  @Min(1_000, { message: 'RATE_LIMIT_TTL_MS must be a whole number of milliseconds from 1000 to 3600000' })
  @Max(3_600_000, { message: 'RATE_LIMIT_TTL_MS must be a whole number of milliseconds from 1000 to 3600000' })
  RATE_LIMIT_TTL_MS = 60_000;

  /** Comma-separated origins browsers may call the API from (CORS); empty: no cross-origin access. */
  @ValidateBy({
    name: 'isOriginList',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && splitList(v).every((o) => /^https?:\/\/[^\s/]+$/.test(o)),
      defaultMessage: () => 'CORS_ORIGINS must be comma-separated origins such as https://approvals.example.gov.cn (scheme and host, no path)',
    },
  })
  CORS_ORIGINS = '';

  /**
   * Folder of the built web workbench (apps/web/dist), served at `/` with the single-page fallback; empty: the
   * project's own apps/web/dist when it exists. The API answers without it (no workbench) when the folder is absent.
   */
  @IsString()
  WEB_DIST_DIR = '';

  /**
   * The district's local kinds of excluded period (不计入期限的特别程序 besides 行政许可法 Art. 45's), e.g. 公示:
   * `key:label,key:label` with snake_case keys and non-empty labels, or `none`. Given to each new project at
   * registration (the project keeps the kinds it started with). Parsed into a key → label map.
   */
  @Transform(toKindMap)
  @ValidateBy({
    name: 'isExcludedPeriodKinds',
    validator: {
      validate: (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value),
      defaultMessage: (args) => `LOCAL_EXCLUDED_PERIOD_KINDS ${parseLocalExcludedPeriodKinds(String(args?.value)).problems.join('; ')}`,
    },
  })
  LOCAL_EXCLUDED_PERIOD_KINDS: Readonly<Record<string, string>> = { ...DEFAULT_LOCAL_EXCLUDED_PERIOD_KINDS };
}

/** Default of LOCAL_EXCLUDED_PERIOD_KINDS: public notice (公示), the local kind the research note found. */
export const DEFAULT_LOCAL_EXCLUDED_PERIOD_KINDS: Readonly<Record<string, string>> = Object.freeze({ public_notice: '公示' });

/** A key of LOCAL_EXCLUDED_PERIOD_KINDS: snake_case, starting with a letter, at most 64 characters. */
export const EXCLUDED_PERIOD_KIND_PATTERN = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** Longest label of a local excluded-period kind. */
const MAX_KIND_LABEL = 64;

/**
 * Reads LOCAL_EXCLUDED_PERIOD_KINDS: `key:label,key:label` (e.g. `public_notice:公示,site_survey:现场踏勘`), or `none`
 * for no local kinds. Keys are snake_case (≤ 64 characters), unique, and not one of 行政许可法 Art. 45's kinds
 * (those are always allowed); labels are non-empty text of at most 64 characters without `,`.
 * @param raw the variable's text
 * @returns the key → label map, or the problems found (each a phrase to follow the variable's name)
 */
export function parseLocalExcludedPeriodKinds(raw: string): { kinds: Record<string, string>; problems: [] } | { kinds: null; problems: string[] } {
  const text = raw.trim();
  if (text.toLowerCase() === 'none') return { kinds: {}, problems: [] };
  const kinds: Record<string, string> = {};
  const problems: string[] = [];
  const entries = text.split(',').map((e) => e.trim());
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    if (entry === '' || colon < 0) {
      problems.push(`entry '${entry}' must be key:label, e.g. public_notice:公示 (entries separated by commas; or none)`);
      continue;
    }
    const key = entry.slice(0, colon).trim();
    const label = entry.slice(colon + 1).trim();
    if (!EXCLUDED_PERIOD_KIND_PATTERN.test(key) || key.length > 64) {
      problems.push(`key '${key}' must be snake_case (lower-case letters, digits and single underscores, starting with a letter; at most 64 characters)`);
    } else if (Object.hasOwn(EXCLUDED_PERIOD_KINDS, key)) {
      problems.push(`key '${key}' is already a kind of 行政许可法 Art. 45 (${Object.keys(EXCLUDED_PERIOD_KINDS).join(', ')}); list only local kinds`);
    } else if (Object.hasOwn(kinds, key)) {
      problems.push(`key '${key}' is listed twice`);
    }
    if (label === '' || label.length > MAX_KIND_LABEL || [...label].some((c) => c.charCodeAt(0) < 0x20)) {
      problems.push(`label of '${key}' must be non-empty text of at most ${MAX_KIND_LABEL} characters, e.g. 公示`);
    }
    kinds[key] = label;
  }
  return problems.length > 0 ? { kinds: null, problems } : { kinds, problems: [] };
}

/** True when `value` parses as an absolute http: or https: URL. */
function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !/\s/.test(value);
  } catch {
    return false;
  }
}

/** The items of a comma-separated setting, trimmed, empty ones dropped. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** How the API verifies bearer tokens: an HS256 secret, or a JWKS URL with asymmetric algorithms. */
export type TokenKeySource = { kind: 'secret'; secret: string } | { kind: 'jwks'; url: string; algorithms: string[] };

/**
 * The API's token key source (the worker needs none, so this is checked when the API starts, not in
 * {@link validateConfig}).
 * @throws ConfigError when neither or both of JWT_SECRET and JWKS_URL are set, or when NODE_ENV=production uses the
 * public development secret
 */
export function tokenKeySource(config: Pick<AppConfig, 'JWT_SECRET' | 'JWKS_URL' | 'JWT_ALGORITHMS' | 'NODE_ENV'>): TokenKeySource {
  if (config.JWT_SECRET && config.JWKS_URL) throw new ConfigError(['set one of JWT_SECRET (HS256) and JWKS_URL (RS256/ES256), not both']);
  if (config.JWKS_URL) return { kind: 'jwks', url: config.JWKS_URL, algorithms: splitList(config.JWT_ALGORITHMS) };
  if (!config.JWT_SECRET) {
    throw new ConfigError(['the API needs JWT_SECRET (HS256 shared secret, ≥ 32 characters) or JWKS_URL (identity provider keys) to verify bearer tokens']);
  }
  if (config.NODE_ENV === 'production' && config.JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
    throw new ConfigError(['JWT_SECRET is the public development secret; set a secret of your own in production']);
  }
  return { kind: 'secret', secret: config.JWT_SECRET };
}

/**
 * Whether `value` can be given to `listen` as its host: an IPv4 or IPv6 address (without brackets or port), or a host
 * name of RFC 1123 labels (letters, digits, inner hyphens; at most 253 characters; not all digits and dots).
 */
export function isListenHost(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (isIP(value)) return true;
  // All digits and dots is a mistyped address (e.g. 127.0.0.300), not a name: no top-level label is numeric.
  if (/^[0-9.]+$/.test(value)) return false;
  return value.length <= 253 && /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(value);
}

/** Thrown at start-up when the environment does not make a valid {@link AppConfig}. */
export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment into an {@link AppConfig} (defaults filled in). Used as `@nestjs/config`'s
 * `validate` and by the worker.
 * @throws ConfigError naming every invalid or missing variable
 */
export function validateConfig(env: Record<string, unknown>): AppConfig {
  const known = [...Object.keys(new AppConfigDefaults()), ...WITHOUT_DEFAULT];
  const picked = Object.fromEntries(Object.entries(env).filter(([k, v]) => known.includes(k) && v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, picked, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new ConfigError(errors.flatMap((e) => (e.constraints ? Object.values(e.constraints) : [`${e.property} is invalid`])));
  }
  return config;
}

class AppConfigDefaults extends AppConfig {}

/** Variables without a default value (not own properties of a fresh {@link AppConfig} in every compiler). */
const WITHOUT_DEFAULT = ['API_HOST', 'PUBLIC_BASE_URL', 'DATABASE_URL', 'NOTIFICATION_WEBHOOK_SECRET', 'JWT_SECRET', 'JWKS_URL', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'METRICS_TOKEN'];

/**
 * The workbench's address for links in notices: PUBLIC_BASE_URL without a trailing slash, or `http://localhost:<PORT>`.
 */
export function publicBaseUrl(config: Pick<AppConfig, 'PUBLIC_BASE_URL' | 'PORT'>): string {
  return (config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}
