import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiNoSecurity } from '../common/openapi.js';

/** Metadata key of {@link Public}. */
export const IS_PUBLIC = 'approvals:public';

/**
 * Marks a handler or controller as reachable without a bearer token (only /health and the sign-in endpoints /auth/* are);
 * the OpenAPI document says so with `security: []`.
 */
export const Public = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiNoSecurity());
