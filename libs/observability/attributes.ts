/**
 * Span attribute names of this project's own (not OpenTelemetry semantic conventions), shared by the API, the worker
 * and the workflow interceptors (bundled into the workflow sandbox: this module imports nothing).
 */

/** The correlation id of the HTTP request a span serves (X-Request-Id; `correlationId` in the logs). */
export const CORRELATION_ID_ATTRIBUTE = 'correlation.id';

/** The project code a span acts on (`:code` of the route; the workflow id is `project:<code>`). */
export const PROJECT_CODE_ATTRIBUTE = 'project.code';
