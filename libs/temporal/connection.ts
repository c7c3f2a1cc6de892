import { Client, Connection } from '@temporalio/client';

/** Where the Temporal frontend is. */
export interface TemporalTarget {
  /** host:port */
  address: string;
  namespace: string;
}

/**
 * The one place that builds Temporal client connections.
 * @throws the SDK's connection error when the frontend cannot be reached within `connectTimeout`
 */
export async function connectTemporal(target: TemporalTarget, connectTimeout = '10 seconds'): Promise<Connection> {
  return Connection.connect({ address: target.address, connectTimeout });
}

/** A workflow client over `connection` for `namespace`. */
export function createTemporalClient(connection: Connection, namespace: string): Client {
  return new Client({ connection, namespace });
}
