import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { GatewayMode } from '../domain/config.js';
import type { MerchantDirectory } from '../domain/merchants.js';
import { ReconciliationNotConfigured } from '../domain/reconciliation.js';
import type { ActivityMetrics } from '../platform/metrics.js';
import { createLinkActivities } from './link-activities.js';
import type { HostResolver } from './notify-destination.js';
import { createNotifyActivities } from './notify-merchant.js';
import { createReconciliationActivities, type ReconciliationActivities } from './reconciliation.js';
import { createWalletActivities } from './wallet-activities.js';
import type { WalletLedgerSource } from './wallet-ledger.js';
import type { WalletRegistry } from './wallets/registry.js';

/** Everything activities need, built by the worker from the config; tests pass fakes of the same shape. */
export interface ActivityDeps {
  readonly wallets: WalletRegistry;
  readonly merchants: MerchantDirectory;
  readonly publicBaseUrl: string;
  readonly pageSigningSecret: string;
  /** Seals and opens AstraPay account tokens (base64, 32 bytes). */
  readonly accountTokenKey: string;
  /** Decides where merchant notifications may go (production: public addresses only; domain/public-address.ts). */
  readonly mode: GatewayMode;
  /** Resolves notification hosts; tests pass a fake so that nothing real is ever resolved or contacted. */
  readonly resolveHost?: HostResolver;
  /** The daily reconciliation's reach: a Temporal client (visibility, queries) and the wallets' ledgers. Optional. */
  readonly reconciliation?: { readonly client: Client; readonly ledger: WalletLedgerSource };
  /** Notification attempts and wallet calls are counted here when present (platform/metrics.ts). */
  readonly metrics?: ActivityMetrics;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createWalletActivities(deps.wallets, deps.publicBaseUrl, deps.pageSigningSecret, deps.accountTokenKey, deps.metrics),
    ...createLinkActivities(deps.wallets, deps.publicBaseUrl, deps.pageSigningSecret, deps.accountTokenKey),
    ...createNotifyActivities(deps.merchants, { mode: deps.mode, ...(deps.resolveHost ? { resolve: deps.resolveHost } : {}) }, deps.metrics),
    ...(deps.reconciliation ? createReconciliationActivities(deps.reconciliation) : reconciliationNotConfigured),
  };
}

/** A worker without reconciliation deps still registers the activities (typing), failing them for good, clearly. */
const reconciliationNotConfigured: ReconciliationActivities = {
  reconcileWindow: notConfigured,
};

function notConfigured(): Promise<never> {
  return Promise.reject(ApplicationFailure.nonRetryable('reconciliation is not configured on this worker', ReconciliationNotConfigured));
}

export type Activities = ReturnType<typeof createActivities>;
