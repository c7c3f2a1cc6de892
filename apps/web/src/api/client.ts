import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

/** Schemas of the API's OpenAPI document (generated into schema.d.ts by `npm run web:client`). */
export type Schemas = components['schemas'];

/** The RFC 9457 problem the API answers on every error. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: Array<{ field: string; message: string }>;
}

/** Thrown by {@link unwrap} when the API answers an error: carries the problem, so a dialog can show its `detail`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

let currentToken: () => string | null = () => null;
let onUnauthenticated: () => void = () => undefined;

/**
 * Connects the client to the session: where the bearer token comes from, and what to do on a 401
 * (the session module sends the person back to sign-in, keeping the page they were on).
 */
export function bindSession(token: () => string | null, unauthenticated: () => void): void {
  currentToken = token;
  onUnauthenticated = unauthenticated;
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = currentToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && currentToken()) onUnauthenticated();
    return response;
  },
};

/**
 * The typed client of /api/v1, generated from the OpenAPI document; same origin as the page. `fetch` is looked up
 * on each request (not captured once), so tests can stub `globalThis.fetch`.
 */
export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? 'http://localhost',
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(auth);

/**
 * The data of an openapi-fetch answer, or an {@link ApiError} with the API's problem.
 * @throws ApiError on any non-2xx answer
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, (error ?? {}) as Problem);
  return data as T;
}
