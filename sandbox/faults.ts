import { z } from 'zod';
import { SandboxWallet, sandboxWallets } from './wallets.js';

/**
 * Faults on demand (`POST /sandbox/faults`), per wallet, for tests and chaos runs. Kept in memory only:
 * a restart clears them.
 */
export interface WalletFaults {
  /** The next n API calls to the wallet answer HTTP 500 (after authentication). */
  failNext: number;
  /** Added to every API answer of the wallet. */
  latencyMs: number;
  /** Callbacks to the gateway are dropped (recorded as dropped, never sent, never retried). */
  dropCallbacks: boolean;
}

export const FaultsRequest = z.strictObject({
  wallet: SandboxWallet,
  failNext: z.int().min(0).optional(),
  latencyMs: z.int().min(0).max(120_000).optional(),
  dropCallbacks: z.boolean().optional(),
});
export type FaultsRequest = z.infer<typeof FaultsRequest>;

const none = (): WalletFaults => ({ failNext: 0, latencyMs: 0, dropCallbacks: false });

/** Always listed by `snapshot()`: the sandbox's first wallet, listed alone before the others existed. */
const ALWAYS_LISTED: SandboxWallet = 'OVO';

export class FaultRegistry {
  readonly #faults = new Map<SandboxWallet, WalletFaults>(sandboxWallets.map((w) => [w, none()]));
  /** Wallets whose faults were set since their last reset; `snapshot()` lists these (and OVO). */
  readonly #listed = new Set<SandboxWallet>([ALWAYS_LISTED]);

  /** Sets the given fields; the ones left out keep their value. */
  set(request: FaultsRequest): WalletFaults {
    this.#listed.add(request.wallet);
    const current = this.for(request.wallet);
    if (request.failNext !== undefined) current.failNext = request.failNext;
    if (request.latencyMs !== undefined) current.latencyMs = request.latencyMs;
    if (request.dropCallbacks !== undefined) current.dropCallbacks = request.dropCallbacks;
    return { ...current };
  }

  reset(wallet?: SandboxWallet): void {
    for (const w of sandboxWallets) {
      if (wallet !== undefined && wallet !== w) continue;
      this.#faults.set(w, none());
      if (w !== ALWAYS_LISTED) this.#listed.delete(w);
    }
  }

  /** The live fault settings of one wallet (mutated by `takeFailure`). */
  for(wallet: SandboxWallet): WalletFaults {
    let faults = this.#faults.get(wallet);
    if (faults === undefined) {
      faults = none();
      this.#faults.set(wallet, faults);
    }
    return faults;
  }

  /** True when this call must fail (and uses up one of the `failNext` failures). */
  takeFailure(wallet: SandboxWallet): boolean {
    const faults = this.for(wallet);
    if (faults.failNext <= 0) return false;
    faults.failNext -= 1;
    return true;
  }

  /** OVO's faults and those of every wallet set since its last reset (untouched wallets have none). */
  snapshot(): Partial<Record<SandboxWallet, WalletFaults>> {
    return Object.fromEntries(sandboxWallets.filter((w) => this.#listed.has(w)).map((w) => [w, { ...this.for(w) }]));
  }
}
