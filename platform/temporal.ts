import { Client } from '@temporalio/client';
import type { GatewayConfig } from '../domain/config.js';
import { LazyNativeConnection } from './lazy-native-connection.js';
import { gatewayDataConverter } from './payload-codec.js';

/**
 * One connection and client per process, shared by API routes; the worker makes its own NativeConnection.
 * Native (the SDK's Rust core: half the client CPU per call of the JavaScript gRPC client), and lazy: the API starts
 * (and answers /health with 503) even while Temporal is still coming up.
 */
export function connectClient(config: GatewayConfig): { client: Client; connection: LazyNativeConnection } {
  const connection = new LazyNativeConnection({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: gatewayDataConverter(config.payloadKeys) });
  return { client, connection };
}
