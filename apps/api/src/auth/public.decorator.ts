import { SetMetadata } from '@nestjs/common';

/** Metadata key of {@link Public}. */
export const IS_PUBLIC = 'approvals:public';

/** Marks a handler or controller as reachable without a bearer token (only /health and the sign-in endpoints /auth/* are). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
