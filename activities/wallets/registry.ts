import type { MitraCd } from '../../domain/wallets.js';
import type { WalletAdapter } from './adapter.js';

/** Adding a wallet is one adapter, one simulator and one line where the registry is built (workers/wallets.ts). */
export class WalletRegistry {
  readonly #adapters: ReadonlyMap<MitraCd, WalletAdapter>;

  constructor(adapters: readonly WalletAdapter[]) {
    this.#adapters = new Map(adapters.map((a) => [a.mitraCd, a]));
  }

  get(mitraCd: MitraCd): WalletAdapter {
    const adapter = this.#adapters.get(mitraCd);
    if (!adapter) throw new Error(`no wallet adapter for mitraCd ${mitraCd}`);
    return adapter;
  }

  find(mitraCd: string): WalletAdapter | undefined {
    return this.#adapters.get(mitraCd as MitraCd);
  }

  supported(): MitraCd[] {
    return [...this.#adapters.keys()];
  }
}
