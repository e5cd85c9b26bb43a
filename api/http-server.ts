import { createServer, type Server } from 'node:http';
import type { Express } from 'express';

/**
 * The API's HTTP server, with deliberate limits: a client gets 10 s to send its headers and 30 s for the whole
 * request (bodies are at most 64 kB), checked every second, so slow or stalled clients cannot hold connections.
 * These bound receiving the request only; a handler may wait longer for the wallet (a cancel up to 25 s). The app
 * itself gives a body much less (`API_BODY_TIMEOUT_MS`, api/read-body.ts) and admits a request only once its body
 * is in, so 30 s is the outer bound for what the app never sees (a body sent to a path nobody reads).
 */
export const SERVER_LIMITS = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 } as const;

export function createApiServer(app: Express): Server {
  const server = createServer({ requestTimeout: SERVER_LIMITS.requestTimeout, headersTimeout: SERVER_LIMITS.headersTimeout, connectionsCheckingInterval: SERVER_LIMITS.connectionsCheckingInterval }, app);
  server.keepAliveTimeout = SERVER_LIMITS.keepAliveTimeout;
  return server;
}
