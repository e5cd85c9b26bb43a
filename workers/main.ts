import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { loadConfig } from '../domain/config.js';
import { MerchantDirectory } from '../domain/merchants.js';
import { SandboxLedgerSource } from '../activities/wallet-ledger.js';
import { createLogger } from '../platform/logger.js';
import { GatewayMetrics } from '../platform/metrics.js';
import { gatewayDataConverter } from '../platform/payload-codec.js';
import { clientOn } from '../platform/temporal.js';
import { ensureReconciliationSchedule } from './schedules.js';
import { ensureSearchAttributes } from './search-attributes.js';
import { createPaymentWorker } from './create-worker.js';
import { startMetricsServer } from './metrics-server.js';
import { SdkMetrics } from './sdk-metrics.js';
import { buildWalletRegistry } from './wallets.js';
import { workerTuning } from './tuning.js';

const config = loadConfig();
const logger = createLogger('worker', config.logLevel);
// Core buffers its metrics for our /metrics rather than opening a port of its own (CONTRACT §1).
const sdkMetrics = new SdkMetrics();
sdkMetrics.drainEvery(1_000, (err) => logger.warn({ err }, 'Temporal SDK metrics not drained'));

Runtime.install({
  logger: {
    log: (level, message, meta) => logger[level === 'TRACE' ? 'trace' : level === 'DEBUG' ? 'debug' : level === 'INFO' ? 'info' : level === 'WARN' ? 'warn' : 'error'](meta ?? {}, message),
    trace: (m, meta) => logger.trace(meta ?? {}, m),
    debug: (m, meta) => logger.debug(meta ?? {}, m),
    info: (m, meta) => logger.info(meta ?? {}, m),
    warn: (m, meta) => logger.warn(meta ?? {}, m),
    error: (m, meta) => logger.error(meta ?? {}, m),
  },
  telemetryOptions: {
    logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
    metrics: sdkMetrics.exporter,
  },
});
const metrics = new GatewayMetrics('worker');
// A busy metrics port must not stop payments: the worker runs on, unscraped, and says so.
const metricsServer = await startMetricsServer({
  host: config.metrics.host,
  port: config.metrics.workerPort,
  metrics: () => metrics.metrics(),
  sdkMetrics: () => sdkMetrics.text(),
}).catch((err: unknown) => logger.error({ err, port: config.metrics.workerPort }, 'worker metrics not served'));
if (metricsServer) logger.info({ url: metricsServer.url }, 'worker metrics listening');

const connection = await connectWithRetry();
// Reconciliation reads payments through a client (with the same codec, on the worker's own connection) and registers
// its daily schedule.
const client = clientOn(connection, config);
// Payments are searchable by tXid, referenceNo, iMid, mitraCd, status and amount (any server: also PostgreSQL-backed).
await ensureSearchAttributes(connection, config.temporal.namespace).catch((err: unknown) => logger.warn({ err }, 'search attributes not registered'));
const worker = await createPaymentWorker({
  connection,
  namespace: config.temporal.namespace,
  dataConverter: gatewayDataConverter(config.payloadKeys),
  logger,
  tuning: workerTuning(config.worker),
  deps: {
    wallets: buildWalletRegistry(config),
    merchants: new MerchantDirectory(config.merchants),
    publicBaseUrl: config.api.publicBaseUrl,
    pageSigningSecret: config.pageSigningSecret,
    accountTokenKey: config.accountLinks.tokenKey,
    mode: config.mode,
    // The sandbox's ledger stands in for the wallets' settlement reports (same interface in production).
    reconciliation: { client, ledger: new SandboxLedgerSource(config.sandbox.baseUrl, config.wallets.map((w) => w.module)) },
    metrics,
  },
});
await ensureReconciliationSchedule(client, { taskQueue: worker.options.taskQueue }).catch((err: unknown) => logger.warn({ err }, 'reconciliation schedule not ensured'));
logger.info({ taskQueue: worker.options.taskQueue, temporal: config.temporal.address }, 'worker polling');
// Runtime.install shuts the worker down gracefully on SIGINT/SIGTERM: running activities finish first.
await worker.run();
await connection.close();
await metricsServer?.close();
logger.info('worker stopped');

/** The worker may start before the Temporal server answers (npm start, compose): wait for it rather than crash. */
async function connectWithRetry(): Promise<NativeConnection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await NativeConnection.connect({ address: config.temporal.address });
    } catch (err) {
      if (attempt >= 60) throw err;
      logger.warn({ attempt, address: config.temporal.address }, 'Temporal not reachable yet, retrying');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
