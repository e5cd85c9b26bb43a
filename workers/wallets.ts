import type { GatewayConfig } from '../domain/config.js';
import { OvoAdapter } from '../activities/wallets/ovo.js';
import { WalletRegistry } from '../activities/wallets/registry.js';

/** The one line per wallet: its adapter, configured from the gateway's config. */
export function buildWalletRegistry(config: GatewayConfig, fetchImpl: typeof fetch = fetch): WalletRegistry {
  return new WalletRegistry([new OvoAdapter(config.ovo, fetchImpl)]);
}
