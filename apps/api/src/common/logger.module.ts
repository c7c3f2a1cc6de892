import {
  Global,
  Inject,
  Injectable,
  Module,
  RequestMethod,
  type DynamicModule,
  type LoggerService,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DestinationStream, Logger as Pino } from 'pino';
import { pinoHttp, type HttpLogger, type Options as PinoHttpOptions } from 'pino-http';

/**
 * The API's structured logs: pino, with pino-http's request logging (request id, response time, status). Written for
 * this project in place of the nestjs-pino package, whose releases for NestJS 12 declare Node ≥ 22.12 while this
 * project runs on Node ≥ 20.19 (README); the options and the two exports used (`LoggerModule`, `Logger`) keep
 * nestjs-pino's shape: `LoggerModule.forRoot({ pinoHttp })` or `forRootAsync({ inject, useFactory })`, and
 * `app.useLogger(app.get(Logger))`.
 */
export interface LoggerParams {
  /** pino-http's options (pino's, plus genReqId, customProps, autoLogging, …). */
  pinoHttp?: PinoHttpOptions;
  /** Where the lines go; standard output when not given (a test passes a stream to read them). */
  stream?: DestinationStream;
}

const PARAMS = Symbol('LoggerParams');

/** The logger of the request being served (pino-http's `req.log`, with its id and custom props). */
const requestLogger = new AsyncLocalStorage<Pino>();

/** pino-http built once from the module's parameters; its `logger` is the root logger. */
@Injectable()
export class HttpLogging {
  readonly http: HttpLogger;

  constructor(@Inject(PARAMS) params: LoggerParams) {
    this.http = params.stream ? pinoHttp(params.pinoHttp ?? {}, params.stream) : pinoHttp(params.pinoHttp ?? {});
  }

  /** The logger of the request being served, else the root logger. */
  current(): Pino {
    return requestLogger.getStore() ?? this.http.logger;
  }
}

/** Express middleware: logs the request and its response (pino-http) and serves the rest of it with its logger. */
@Injectable()
class RequestLoggingMiddleware implements NestMiddleware {
  constructor(private readonly logging: HttpLogging) {}

  use(req: Request, res: Response, next: NextFunction): void {
    this.logging.http(req, res);
    requestLogger.run((req as Request & { log: Pino }).log, next);
  }
}

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's LoggerService over pino. A line written while a request is served carries that request's id (and the custom
 * props of pino-http, e.g. projectCode). Nest's call shapes are kept: the last extra argument of a `new Logger(Context)`
 * call is its context (logged as `context`); an object or Error first is pino's merging object (`err` for an Error),
 * so `logger.error({ err, correlationId }, 'detail')` logs both; Nest's exception handlers' `(message, stack)` becomes
 * an `err` with that stack.
 */
@Injectable()
export class Logger implements LoggerService {
  constructor(private readonly logging: HttpLogging) {}

  verbose(message: unknown, ...optional: unknown[]): void {
    this.write('trace', message, optional);
  }
  debug(message: unknown, ...optional: unknown[]): void {
    this.write('debug', message, optional);
  }
  log(message: unknown, ...optional: unknown[]): void {
    this.write('info', message, optional);
  }
  warn(message: unknown, ...optional: unknown[]): void {
    this.write('warn', message, optional);
  }
  error(message: unknown, ...optional: unknown[]): void {
    this.write('error', message, optional);
  }
  fatal(message: unknown, ...optional: unknown[]): void {
    this.write('fatal', message, optional);
  }

  private write(level: Level, message: unknown, optional: unknown[]): void {
    const logger = this.logging.current();
    const merge: Record<string, unknown> = {};
    let rest = optional;
    if (optional.length > 0) {
      merge.context = optional[optional.length - 1];
      rest = optional.slice(0, -1);
    }
    if (message instanceof Error) {
      merge.err = message;
      logger[level](merge, ...(rest as [string?]));
    } else if (typeof message === 'object' && message !== null) {
      logger[level]({ ...merge, ...message }, ...(rest as [string?]));
    } else if (level === 'error' && typeof message === 'string' && rest.length === 1 && typeof rest[0] === 'string' && /\n\s*at /.test(rest[0])) {
      const err = new Error(message);
      err.stack = rest[0];
      logger.error({ ...merge, err });
    } else {
      logger[level](merge, String(message), ...rest);
    }
  }
}

/** Registers {@link HttpLogging}, {@link Logger} and the request-logging middleware on every route of the API. */
@Global()
@Module({})
export class LoggerModule implements NestModule {
  /** With the parameters as given. */
  static forRoot(params: LoggerParams = {}): DynamicModule {
    return LoggerModule.with({ provide: PARAMS, useValue: params });
  }

  /** With the parameters from `useFactory` (e.g. reading ConfigService, listed in `inject`). */
  static forRootAsync(options: { inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>; useFactory: (...args: never[]) => LoggerParams | Promise<LoggerParams> }): DynamicModule {
    return LoggerModule.with({ provide: PARAMS, inject: options.inject ?? [], useFactory: options.useFactory });
  }

  private static with(params: DynamicModule['providers'] extends Array<infer P> | undefined ? P : never): DynamicModule {
    return { module: LoggerModule, providers: [params, HttpLogging, Logger], exports: [Logger, HttpLogging] };
  }

  configure(consumer: MiddlewareConsumer): void {
    // `{/*splat}` (no leading slash) also matches the global prefix's own root, as nestjs-pino routes it.
    consumer.apply(RequestLoggingMiddleware).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
