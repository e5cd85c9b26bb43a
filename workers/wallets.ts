import type { GatewayConfig } from '../domain/config.js';
import { WalletRegistry } from '../activities/wallets/registry.js';

/** Every configured wallet's adapter (wallets/registry.ts): the worker's, the only process holding signing keys. */
export function buildWalletRegistry(config: GatewayConfig, fetchImpl: typeof fetch = fetch): WalletRegistry {
  return new WalletRegistry(
    config.wallets.map(({ module, settings }) => {
      if (settings.credentials === undefined) throw new Error(`${module.name}: no credentials (configuration loaded for the API, which never calls a wallet)`);
      return module.adapter(settings.endpoint, settings.credentials, fetchImpl);
    }),
  );
}
