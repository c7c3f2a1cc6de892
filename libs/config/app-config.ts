import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min, validateSync } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
  const known = Object.keys(new AppConfigDefaults());
  const picked = Object.fromEntries(Object.entries(env).filter(([k, v]) => (known.includes(k) || k === 'DATABASE_URL') && v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, picked, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new ConfigError(errors.flatMap((e) => (e.constraints ? Object.values(e.constraints) : [`${e.property} is invalid`])));
  }
  return config;
}

class AppConfigDefaults extends AppConfig {}
