import { Client, type Connection } from '@temporalio/client';

/**
 * A workflow client over `connection` for `namespace`: the one place that builds the client the API starts,
 * updates, queries and signals project workflows with. The caller owns the connection (the API's module opens
 * it lazily, so the API starts while Temporal is down, and closes it on shutdown).
 */
export function createTemporalClient(connection: Connection, namespace: string): Client {
  return new Client({ connection, namespace });
}
