import { Client, type ConnectionLike } from '@temporalio/client';
import type { GatewayConfig } from '../domain/config.js';
import { LazyNativeConnection } from './lazy-native-connection.js';
import { gatewayDataConverter } from './payload-codec.js';

/**
 * The API's one connection and client, shared by its routes. Native (the SDK's Rust core: half the client CPU per
 * call of the JavaScript gRPC client), and lazy: the API starts (and answers /health with 503) even while Temporal
 * is still coming up.
 */
export function connectClient(config: GatewayConfig): { client: Client; connection: LazyNativeConnection } {
  const connection = new LazyNativeConnection({ address: config.temporal.address });
  return { client: clientOn(connection, config), connection };
}

/** A client with the gateway's namespace and payload codec on a connection the process already has (the worker's). */
export function clientOn(connection: ConnectionLike, config: GatewayConfig): Client {
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: gatewayDataConverter(config.payloadKeys) });
}
