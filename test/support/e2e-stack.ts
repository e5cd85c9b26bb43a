import type { Server } from 'node:http';
import { after, before } from 'node:test';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime, type Worker } from '@temporalio/worker';
import { createApp } from '../../api/app.js';
import { createApiServer } from '../../api/http-server.js';
import { temporalHealth } from '../../api/health.js';
import { LinksClient } from '../../api/links-client.js';
import { PaymentsClient } from '../../api/payments-client.js';
import { createOpsApp } from '../../api/ops/app.js';
import { ReconciliationClient } from '../../api/reconciliation-client.js';
import { SandboxLedgerSource } from '../../activities/wallet-ledger.js';
import { loadConfig, type GatewayConfig } from '../../domain/config.js';
import { MerchantDirectory } from '../../domain/merchants.js';
import { createLogger } from '../../platform/logger.js';
import { GatewayMetrics } from '../../platform/metrics.js';
import { gatewayDataConverter } from '../../platform/payload-codec.js';
import { loadSandboxConfig } from '../../sandbox/config.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/listen.js';
import { resolveTemporalCli } from '../../scripts/temporal-binaries.js';
import { createPaymentWorker } from '../../workers/create-worker.js';
import { startMetricsServer, type RunningMetricsServer } from '../../workers/metrics-server.js';
import { buildWalletRegistry } from '../../workers/wallets.js';
import { WalletCatalog } from '../../wallets/catalog.js';
import type { WalletModule } from '../../wallets/module.js';
import { defaultWallets } from '../../wallets/registry.js';
import { TASK_QUEUE } from '../../workflows/messages.js';
import { searchAttributeFlags } from '../../workflows/search-attributes.js';
import { freePort } from './free-port.js';
import { MerchantServer } from './merchant-server.js';
import { NicepayTestClient, waitFor } from './nicepay-client.js';
import type { ReceivedNotification } from './merchant-server.js';

/**
 * The whole gateway for end-to-end tests, all over real HTTP: a Temporal dev server (the CLI's
 * `start-dev`, in memory), the worker with real activities, the API, the sandbox wallets and a merchant.
 */
export class E2eStack {
  private constructor(
    readonly env: TestWorkflowEnvironment,
    /** A client with the gateway's payload codec: `env.client` sees only encrypted payloads. */
    readonly client: Client,
    readonly dataConverter: DataConverter,
    readonly config: GatewayConfig,
    readonly apiUrl: string,
    readonly sandbox: RunningSandbox,
    readonly merchant: MerchantServer,
    private readonly apiServer: Server,
    private worker: Worker,
    private workerRun: Promise<void>,
    private readonly startWorker: () => Promise<Worker>,
    /** The worker's `/metrics` (its own registry; the SDK's metrics buffer is not installed in tests). */
    readonly workerMetrics: RunningMetricsServer,
    /** The operations listener (`/ops`, the API's `/metrics`): served apart from `apiUrl`, as api/server.ts does. */
    readonly opsUrl: string,
    private readonly opsServer: Server,
  ) {}

  /** `wallets`: the registry the gateway and the sandbox serve (a test may add a wallet of its own). */
  static async start(settings: Record<string, string> = {}, wallets: readonly WalletModule[] = defaultWallets): Promise<E2eStack> {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } } });
    const cli = await resolveTemporalCli();
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: cli }, ip: '127.0.0.1', extraArgs: ['--log-level', 'error', ...searchAttributeFlags()] },
    });
    const [apiPort, sandboxPort, opsPort] = [await freePort(), await freePort(), await freePort()];
    const vars: Record<string, string> = {
      API_PORT: String(apiPort),
      OPS_PORT: String(opsPort),
      SANDBOX_PORT: String(sandboxPort),
      TEMPORAL_ADDRESS: env.address,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
      SANDBOX_APPROVE_DELAY_MS: '300',
      OVO_PUSH_TIMEOUT_SECONDS: '4',
      CHECKOUT_TIMEOUT_SECONDS: '4',
      LINK_TIMEOUT_SECONDS: '4',
      SANDBOX_LATE_APPROVE_MS: '6000',
      SETTLEMENT_WINDOW_SECONDS: '60',
      GATEWAY_BASE_URL: `http://127.0.0.1:${apiPort}`,
      ...settings,
    };
    const config = loadConfig(vars, { wallets });
    const sandbox = await startSandbox(loadSandboxConfig(vars, wallets), { persist: false });
    const merchant = await MerchantServer.start();
    const logger = createLogger('e2e', config.logLevel);
    const merchants = new MerchantDirectory(config.merchants);
    const adapters = buildWalletRegistry(config);
    const dataConverter = gatewayDataConverter(config.payloadKeys);
    const namespace = env.namespace ?? 'default';
    const client = new Client({ connection: env.connection, namespace, dataConverter });
    const metrics = { api: new GatewayMetrics('api'), worker: new GatewayMetrics('worker') };
    const workerMetrics = await startMetricsServer({ host: '127.0.0.1', port: 0, metrics: () => metrics.worker.metrics() });

    const startWorker = () =>
      createPaymentWorker({
        connection: env.nativeConnection,
        namespace,
        dataConverter,
        deps: {
          wallets: adapters,
          merchants,
          publicBaseUrl: config.api.publicBaseUrl,
          pageSigningSecret: config.pageSigningSecret,
          accountTokenKey: config.accountLinks.tokenKey,
          mode: config.mode,
          reconciliation: { client, ledger: new SandboxLedgerSource(sandbox.baseUrl, wallets) },
          metrics: metrics.worker,
        },
      });
    const worker = await startWorker();
    const workerRun = worker.run();

    const apiDeps = {
      config,
      merchants,
      // What api/server.ts holds: descriptors and callback verifiers (public keys), no adapter.
      wallets: new WalletCatalog(loadConfig(vars, { wallets, role: 'api' }).wallets),
      payments: new PaymentsClient(client),
      links: new LinksClient(client),
      reconciliation: new ReconciliationClient(client, TASK_QUEUE),
      health: temporalHealth(client, namespace, TASK_QUEUE),
      logger,
      metrics: metrics.api,
    };
    const apiServer = createApiServer(createApp(apiDeps));
    await new Promise<void>((resolve) => apiServer.listen(apiPort, '127.0.0.1', resolve));
    const opsServer = createApiServer(createOpsApp(apiDeps));
    await new Promise<void>((resolve) => opsServer.listen(config.ops.port, config.ops.host, resolve));
    const opsUrl = `http://${config.ops.host}:${config.ops.port}`;
    const stack = new E2eStack(env, client, dataConverter, config, `http://127.0.0.1:${apiPort}`, sandbox, merchant, apiServer, worker, workerRun, startWorker, workerMetrics, opsUrl, opsServer);
    await stack.waitHealthy();
    return stack;
  }

  /** A merchant integration talking to this stack, notified at the stack's test merchant. */
  merchantClient(): NicepayTestClient {
    return new NicepayTestClient(this.apiUrl, `${this.merchant.url}/notify`, `${this.merchant.url}/return`);
  }

  /** Stops the worker (its cached workflows are gone) and starts a fresh one, as after a crash or a deploy. */
  async restartWorker(): Promise<void> {
    await this.stopWorker();
    await this.startWorkerAgain();
  }

  /** Stops the worker: what still answers is the API and the Temporal server alone. */
  async stopWorker(): Promise<void> {
    this.worker.shutdown();
    await this.workerRun;
  }

  async startWorkerAgain(): Promise<void> {
    this.worker = await this.startWorker();
    this.workerRun = this.worker.run();
  }

  /** The sandbox ledger's entries (charges and refunds) for one transaction. */
  async ledger(tXid: string): Promise<LedgerEntry[]> {
    const res = await fetch(`${this.sandbox.baseUrl}/sandbox/ledger?merchantInvoice=${encodeURIComponent(tXid)}`);
    return ((await res.json()) as { entries: LedgerEntry[] }).entries;
  }

  /** Waits until the test merchant has received a notification with this status for the transaction. */
  notified(tXid: string, status: string, timeoutMs = 20_000): Promise<ReceivedNotification> {
    return waitFor(() => this.merchant.for(tXid).find((n) => n.fields.status === status), `notification ${status} for ${tXid}`, timeoutMs);
  }

  private async waitHealthy(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${this.apiUrl}/health`).catch(() => undefined);
      if (res?.status === 200) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('gateway never became healthy');
  }

  async stop(): Promise<void> {
    for (const server of [this.apiServer, this.opsServer]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.worker.shutdown();
    await this.workerRun;
    await this.workerMetrics.close();
    await this.sandbox.close();
    await this.merchant.close();
    await this.env.teardown();
  }
}

export interface LedgerEntry {
  readonly type: 'charge' | 'refund';
  readonly amount: number;
  readonly merchantInvoice: string;
}

/** One stack for a describe block: started before its tests, stopped after them. */
export function useE2eStack(settings: Record<string, string> = {}, wallets: readonly WalletModule[] = defaultWallets): { readonly stack: E2eStack; readonly client: NicepayTestClient } {
  let stack: E2eStack | undefined;
  let client: NicepayTestClient | undefined;
  before(async () => {
    stack = await E2eStack.start(settings, wallets);
    client = stack.merchantClient();
  });
  after(async () => {
    await stack?.stop();
  });
  return {
    get stack() {
      if (!stack) throw new Error('the e2e stack is not started');
      return stack;
    },
    get client() {
      if (!client) throw new Error('the e2e stack is not started');
      return client;
    },
  };
}
