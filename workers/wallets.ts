import type { GatewayConfig } from '../domain/config.js';
import { AstraPayAdapter } from '../activities/wallets/astrapay.js';
import { DanaAdapter } from '../activities/wallets/dana.js';
import { LinkAjaAdapter } from '../activities/wallets/linkaja.js';
import { OvoAdapter } from '../activities/wallets/ovo.js';
import { WalletRegistry } from '../activities/wallets/registry.js';
import { ShopeePayAdapter } from '../activities/wallets/shopeepay.js';

/** One line per wallet: its adapter, configured from the gateway's config. */
export function buildWalletRegistry(config: GatewayConfig, fetchImpl: typeof fetch = fetch): WalletRegistry {
  return new WalletRegistry([
    new OvoAdapter(config.ovo, fetchImpl),
    new DanaAdapter(config.dana, fetchImpl),
    new ShopeePayAdapter(config.shopeepay, fetchImpl),
    new LinkAjaAdapter(config.linkaja, fetchImpl),
    new AstraPayAdapter(config.astrapay, fetchImpl),
  ]);
}
