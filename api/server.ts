import type { AddressInfo } from 'node:net';
import { loadConfig } from '../domain/config.js';
import { MerchantDirectory } from '../domain/merchants.js';
import { createLogger } from '../platform/logger.js';
import { GatewayMetrics } from '../platform/metrics.js';
import { connectClient } from '../platform/temporal.js';
import { buildWalletRegistry } from '../workers/wallets.js';
import { TASK_QUEUE } from '../workflows/messages.js';
import { createApp } from './app.js';
import { temporalHealth } from './health.js';
import { createApiServer } from './http-server.js';
import { LinksClient } from './links-client.js';
import { PaymentsClient } from './payments-client.js';
import { ReconciliationClient } from './reconciliation-client.js';

const config = loadConfig();
const logger = createLogger('api', config.logLevel);

// The client connects lazily and reconnects by itself; the API answers /health with 503 until Temporal is up.
const { client, connection } = connectClient(config);
const app = createApp({
  config,
  merchants: new MerchantDirectory(config.merchants),
  wallets: buildWalletRegistry(config),
  payments: new PaymentsClient(client),
  links: new LinksClient(client),
  reconciliation: new ReconciliationClient(client, TASK_QUEUE),
  health: temporalHealth(client, config.temporal.namespace, TASK_QUEUE),
  logger,
  metrics: new GatewayMetrics('api'),
});

const server = createApiServer(app).listen(config.api.port, config.api.host, () => {
  const { port } = server.address() as AddressInfo;
  logger.info({ url: `http://${config.api.host}:${port}` }, 'API listening');
});

function shutdown(signal: string): void {
  logger.info({ signal }, 'API shutting down');
  server.close(() => {
    void connection.close().finally(() => process.exit(0));
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
