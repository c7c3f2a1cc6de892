import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Logger as NestLogger, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { Logger, LoggerModule } from '../../apps/api/src/common/logger.module.js';

/*
 * The API's logger (apps/api/src/common/logger.module.ts, in place of nestjs-pino): request lines from pino-http with the
 * request id and custom props, application lines written during a request carrying that request, Nest's call shapes.
 */
describe('LoggerModule', () => {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  let app: INestApplication;
  let base: string;

  @Controller('demo')
  class DemoController {
    private readonly logger = new NestLogger('Demo');

    @Get()
    demo(): { ok: true } {
      this.logger.log('inside the request');
      this.logger.error({ err: new Error('boom'), correlationId: 'c-1' }, 'a failure with its detail');
      return { ok: true };
    }
  }

  beforeAll(async () => {
    let n = 0;
    @Module({
      imports: [
        LoggerModule.forRoot({
          pinoHttp: { level: 'info', base: { service: 'api' }, genReqId: () => `req-${++n}`, customProps: () => ({ projectCode: '2022-330602-39-03-000101' }) },
          stream,
        }),
      ],
      controllers: [DemoController],
    })
    class DemoModule {}
    app = await NestFactory.create(DemoModule, { bufferLogs: true, abortOnError: false });
    app.useLogger(app.get(Logger));
    app.setGlobalPrefix('api/v1');
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  }, 30_000);
  afterAll(async () => app?.close());

  it('logs a request with its id and custom props, and lines written during it carry the request', async () => {
    lines.length = 0;
    expect((await request(base).get('/api/v1/demo')).status).toBe(200);
    await new Promise((r) => setImmediate(r));
    const inside = lines.find((l) => l.msg === 'inside the request');
    expect(inside).toMatchObject({ level: 30, service: 'api', context: 'Demo', req: { id: 'req-1' }, projectCode: '2022-330602-39-03-000101' });
    const failure = lines.find((l) => l.msg === 'a failure with its detail');
    expect(failure).toMatchObject({ level: 50, context: 'Demo', correlationId: 'c-1', err: { message: 'boom' }, req: { id: 'req-1' } });
    const done = lines.find((l) => l.msg === 'request completed');
    expect(done).toMatchObject({ level: 30, req: { id: 'req-1', url: '/api/v1/demo' }, res: { statusCode: 200 }, projectCode: '2022-330602-39-03-000101' });
  });

  it('logs outside a request on the root logger, with the context', () => {
    lines.length = 0;
    app.get(Logger).warn('outside', 'Boot');
    expect(lines).toEqual([expect.objectContaining({ level: 40, msg: 'outside', context: 'Boot', service: 'api' })]);
    expect(lines[0]).not.toHaveProperty('req');
  });
});
