import type { GatewayConfig } from '../domain/config.js';
import type { MerchantDirectory } from '../domain/merchants.js';
import type { WalletCatalog } from '../wallets/catalog.js';
import type { Logger } from '../platform/logger.js';
import type { ApiMetrics } from '../platform/metrics.js';
import type { LinksClient } from './links-client.js';
import type { PaymentsClient } from './payments-client.js';
import type { ReconciliationClient } from './reconciliation-client.js';

export interface HealthReport {
  readonly ok: boolean;
  readonly temporal: 'ok' | 'unreachable';
  readonly workers: number;
}

/** What the app needs, built by server.ts (or a test); the app itself holds no state. */
export interface ApiDeps {
  readonly config: GatewayConfig;
  readonly merchants: MerchantDirectory;
  /** The wallets' descriptors and callback verifiers: no adapter, so no key that signs a call to a wallet. */
  readonly wallets: WalletCatalog;
  readonly payments: Pick<PaymentsClient, 'register' | 'view' | 'standing' | 'viewByReference' | 'registered' | 'awaitFinal' | 'submit' | 'deliverCallback' | 'cancel' | 'resendNotification'>;
  readonly links: Pick<LinksClient, 'enable' | 'view' | 'disable' | 'authorizePayment' | 'deliverCallback'>;
  /** Operators' reconciliation reports (`/ops/reconciliation`, on the operations listener). */
  readonly reconciliation?: Pick<ReconciliationClient, 'latest' | 'runNow'>;
  readonly health: () => Promise<HealthReport>;
  readonly logger: Logger;
  /** Prometheus metrics, recorded by the public app and scraped at `GET /metrics` on the operations listener; absent, nothing is recorded. */
  readonly metrics?: ApiMetrics;
}
