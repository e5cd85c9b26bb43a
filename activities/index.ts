import type { MerchantDirectory } from '../domain/merchants.js';
import { createLinkActivities } from './link-activities.js';
import { createNotifyActivities } from './notify-merchant.js';
import { createWalletActivities } from './wallet-activities.js';
import type { WalletRegistry } from './wallets/registry.js';

/** Everything activities need, built by the worker from the config; tests pass fakes of the same shape. */
export interface ActivityDeps {
  readonly wallets: WalletRegistry;
  readonly merchants: MerchantDirectory;
  readonly publicBaseUrl: string;
  readonly pageSigningSecret: string;
  /** Seals and opens AstraPay account tokens (base64, 32 bytes). */
  readonly accountTokenKey: string;
  readonly fetch?: typeof fetch;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createWalletActivities(deps.wallets, deps.publicBaseUrl, deps.pageSigningSecret, deps.accountTokenKey),
    ...createLinkActivities(deps.wallets, deps.publicBaseUrl, deps.pageSigningSecret, deps.accountTokenKey),
    ...createNotifyActivities(deps.merchants, deps.fetch),
  };
}

export type Activities = ReturnType<typeof createActivities>;
