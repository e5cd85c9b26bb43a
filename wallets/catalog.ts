import type { CallbackVerifier } from '../activities/wallets/adapter.js';
import type { ConfiguredWallet } from '../domain/config.js';
import type { WalletDescriptor } from './descriptor.js';

/** A wallet as the API knows it: what it is, and what verifies its callbacks. */
export interface CatalogWallet {
  readonly descriptor: WalletDescriptor;
  readonly verifier: CallbackVerifier;
}

/**
 * The API's wallets: descriptors and callback verifiers, built from public settings only. The API never builds an
 * adapter, so it never needs a key that signs a call to a wallet.
 */
export class WalletCatalog {
  readonly #byMitraCd: ReadonlyMap<string, CatalogWallet>;
  readonly #byCallbackPath: ReadonlyMap<string, CatalogWallet>;

  constructor(wallets: readonly ConfiguredWallet[]) {
    const entries = wallets.map(({ module, settings }) => ({ descriptor: module, verifier: module.verifier(settings.endpoint) }));
    this.#byMitraCd = new Map(entries.map((w) => [w.descriptor.mitraCd, w]));
    this.#byCallbackPath = new Map(entries.map((w) => [w.descriptor.callbackPath, w]));
  }

  byMitraCd(mitraCd: string): WalletDescriptor | undefined {
    return this.#byMitraCd.get(mitraCd)?.descriptor;
  }

  /** The wallet whose callbacks arrive at `/callbacks/<path>`. */
  byCallbackPath(path: string): CatalogWallet | undefined {
    return this.#byCallbackPath.get(path);
  }

  all(): WalletDescriptor[] {
    return [...this.#byMitraCd.values()].map((w) => w.descriptor);
  }
}
