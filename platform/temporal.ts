import { Client, Connection } from '@temporalio/client';
import type { GatewayConfig } from '../domain/config.js';
import { gatewayDataConverter } from './payload-codec.js';

/**
 * One connection and client per process, shared by API routes; the worker makes its own NativeConnection.
 * Lazy: the API starts (and answers /health with 503) even while Temporal is still coming up.
 */
export function connectClient(config: GatewayConfig): { client: Client; connection: Connection } {
  const connection = Connection.lazy({ address: config.temporal.address, connectTimeout: '5 seconds' });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: gatewayDataConverter(config.payloadKeys) });
  return { client, connection };
}
