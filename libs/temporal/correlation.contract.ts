/**
 * The Temporal header that carries an HTTP request's correlation id (X-Request-Id; `req.id` in the API's logs) from
 * the API's workflow start, Update or signal into the workflow, and from the workflow into the activities it schedules
 * on that request's behalf. Imported by the API's client interceptor, the workflow interceptors (bundled: pure) and
 * the worker's activity interceptor. Wire name: never rename.
 */
export const CORRELATION_HEADER = 'correlation-id';
