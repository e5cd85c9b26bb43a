import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../domain/config.js';
import { MerchantDirectory } from '../domain/merchants.js';
import { createLogger } from '../platform/logger.js';
import { GatewayMetrics } from '../platform/metrics.js';
import { connectClient } from '../platform/temporal.js';
import { WalletCatalog } from '../wallets/catalog.js';
import { TASK_QUEUE } from '../workflows/messages.js';
import { createApp } from './app.js';
import { temporalHealth } from './health.js';
import type { ApiDeps } from './deps.js';
import { createApiServer } from './http-server.js';
import { LinksClient } from './links-client.js';
import { createOpsApp } from './ops/app.js';
import { PaymentsClient } from './payments-client.js';
import { ReconciliationClient } from './reconciliation-client.js';

// The API verifies callbacks; it never reads a variable that signs a call to a wallet (only the worker calls them).
const config = loadConfig(process.env, { role: 'api' });
const logger = createLogger('api', config.logLevel);

// The client connects lazily and reconnects by itself; the API answers /health with 503 until Temporal is up.
const { client, connection } = connectClient(config);
const deps: ApiDeps = {
  config,
  merchants: new MerchantDirectory(config.merchants),
  wallets: new WalletCatalog(config.wallets),
  payments: new PaymentsClient(client),
  links: new LinksClient(client),
  reconciliation: new ReconciliationClient(client, TASK_QUEUE),
  health: temporalHealth(client, config.temporal.namespace, TASK_QUEUE),
  logger,
  metrics: new GatewayMetrics('api'),
};

/** Listens; a port already taken stops the process with the variable to change (rather than an unhandled error). */
function listen(server: Server, what: string, variable: string, host: string, port: number): Server {
  server.once('error', (err: NodeJS.ErrnoException) => {
    logger.fatal({ err, host, port }, `${what} cannot listen on ${host}:${port}${err.code === 'EADDRINUSE' ? ` (in use: set ${variable})` : ''}`);
    process.exit(1);
  });
  return server.listen(port, host, () => {
    const address = server.address() as AddressInfo;
    logger.info({ url: `http://${host}:${address.port}` }, `${what} listening`);
  });
}

// One process, two listeners: the public API, and the operations listener (`/ops`, `/metrics`) that only the
// private network reaches (CONTRACT §1). They share the clients and the metrics registry.
const servers = [
  listen(createApiServer(createApp(deps)), 'API', 'API_PORT', config.api.host, config.api.port),
  listen(createApiServer(createOpsApp(deps)), 'operations listener', 'OPS_PORT', config.ops.host, config.ops.port),
];

/** Both listeners stop taking connections and finish the requests they have; then the Temporal connection closes. */
function shutdown(signal: string): void {
  logger.info({ signal }, 'API shutting down');
  const closed = servers.map(
    (server) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  );
  void Promise.all(closed).then(() => connection.close().finally(() => process.exit(0)));
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
