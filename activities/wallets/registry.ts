import type { WalletAdapter } from './adapter.js';

/** The worker's adapters by `mitraCd`, built from the wallet registry (workers/wallets.ts). */
export class WalletRegistry {
  readonly #adapters: ReadonlyMap<string, WalletAdapter>;

  constructor(adapters: readonly WalletAdapter[]) {
    this.#adapters = new Map(adapters.map((a) => [a.mitraCd, a]));
  }

  get(mitraCd: string): WalletAdapter {
    const adapter = this.#adapters.get(mitraCd);
    if (!adapter) throw new Error(`no wallet adapter for mitraCd ${mitraCd}`);
    return adapter;
  }

  find(mitraCd: string): WalletAdapter | undefined {
    return this.#adapters.get(mitraCd);
  }

  supported(): string[] {
    return [...this.#adapters.keys()];
  }
}
