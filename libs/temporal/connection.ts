import { Client, type Connection, type WorkflowClientInterceptor } from '@temporalio/client';

/**
 * A workflow client over `connection` for `namespace`: the one place that builds the client the API starts,
 * updates, queries and signals project workflows with. The caller owns the connection (the API's module opens
 * it lazily, so the API starts while Temporal is down, and closes it on shutdown). `interceptors` wrap the client's
 * workflow calls (the API's adds the request's correlation id as a header).
 */
export function createTemporalClient(connection: Connection, namespace: string, interceptors: WorkflowClientInterceptor[] = []): Client {
  return new Client({ connection, namespace, interceptors: { workflow: interceptors } });
}
