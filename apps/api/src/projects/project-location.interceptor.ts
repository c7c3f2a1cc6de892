import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { tap, type Observable } from 'rxjs';

/**
 * `Location` of a registered project (RFC 9110 §15.3.2: a 201 names the resource it created):
 * `/api/v1/projects/{code}` beside the project's body. It sits outside the Idempotency-Key interceptor, so a replayed
 * registration (its stored 201 answered again) names the same project. Answers other than a 201 with a project code
 * (a refusal, a replayed refusal) get no `Location`.
 */
@Injectable()
export class ProjectLocationInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = ctx.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      tap((body) => {
        const code = (body as { code?: unknown } | null)?.code;
        if (res.statusCode === 201 && typeof code === 'string' && !res.headersSent) {
          res.setHeader('Location', `/api/v1/projects/${encodeURIComponent(code)}`);
        }
      }),
    );
  }
}
