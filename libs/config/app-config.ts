import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min, MinLength, ValidateBy, ValidateIf, validateSync } from 'class-validator';
import { parseChannelMap, type NotificationChannelMap } from '../notifications/channel-routing.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const toNumber = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? Number(value) : value);

const toChannelMap = ({ value }: { value: unknown }): unknown => (value === undefined ? {} : (parseChannelMap(value).channels ?? value));

/** True when the (valid) channel map configures at least one webhook. */
const hasWebhook = (channels: unknown): boolean =>
  channels !== null && typeof channels === 'object' && !Array.isArray(channels) && Object.keys(channels).length > 0;

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

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Whether the API applies pending migrations at start (the worker never does). */
  @Transform(toBool)
  @IsBoolean()
  RUN_MIGRATIONS = true;

  /**
   * Notification channels (worker): a JSON object from department key or `supervisors` to a webhook URL,
   * e.g. `{"natural_resources":"https://hooks.example.org/nr","supervisors":"https://hooks.example.org/po"}`.
   * A key left out delivers to the log.
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
  @ValidateIf((o: AppConfig) => hasWebhook(o.NOTIFICATION_CHANNELS))
  @IsString({ message: 'NOTIFICATION_WEBHOOK_SECRET is required when NOTIFICATION_CHANNELS configures a webhook (the HMAC-SHA256 key of X-Signature-SHA256)' })
  @MinLength(16, { message: 'NOTIFICATION_WEBHOOK_SECRET must be at least 16 characters' })
  NOTIFICATION_WEBHOOK_SECRET?: string;

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
const WITHOUT_DEFAULT = ['DATABASE_URL', 'NOTIFICATION_WEBHOOK_SECRET'];
