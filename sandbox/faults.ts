import { z } from 'zod';
import { walletName } from './wallet-names.js';

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

export interface FaultsRequest {
  readonly wallet: string;
  readonly failNext?: number | undefined;
  readonly latencyMs?: number | undefined;
  readonly dropCallbacks?: boolean | undefined;
}

const none = (): WalletFaults => ({ failNext: 0, latencyMs: 0, dropCallbacks: false });

/** The faults of the configured wallets, by ledger name. */
export class FaultRegistry {
  /** `POST /sandbox/faults`: a configured wallet's ledger name and the fields to set. */
  readonly request: z.ZodType<FaultsRequest>;
  readonly #wallets: readonly string[];
  readonly #faults: Map<string, WalletFaults>;
  /**
   * Wallets whose faults were set since their last reset; `snapshot()` lists these, and always the first wallet (the
   * sandbox's first, listed alone before the others existed: readers of `GET /sandbox/faults` expect it).
   */
  readonly #listed: Set<string>;

  constructor(wallets: readonly string[]) {
    this.#wallets = wallets;
    this.#faults = new Map(wallets.map((w) => [w, none()]));
    this.#listed = new Set(wallets.slice(0, 1));
    this.request = z.strictObject({
      wallet: walletName(wallets),
      failNext: z.int().min(0).optional(),
      latencyMs: z.int().min(0).max(120_000).optional(),
      dropCallbacks: z.boolean().optional(),
    });
  }

  /** Sets the given fields; the ones left out keep their value. */
  set(request: FaultsRequest): WalletFaults {
    this.#listed.add(request.wallet);
    const current = this.for(request.wallet);
    if (request.failNext !== undefined) current.failNext = request.failNext;
    if (request.latencyMs !== undefined) current.latencyMs = request.latencyMs;
    if (request.dropCallbacks !== undefined) current.dropCallbacks = request.dropCallbacks;
    return { ...current };
  }

  reset(wallet?: string): void {
    for (const w of this.#wallets) {
      if (wallet !== undefined && wallet !== w) continue;
      this.#faults.set(w, none());
      if (w !== this.#wallets[0]) this.#listed.delete(w);
    }
  }

  /** The live fault settings of one wallet (mutated by `takeFailure`). */
  for(wallet: string): WalletFaults {
    let faults = this.#faults.get(wallet);
    if (faults === undefined) {
      faults = none();
      this.#faults.set(wallet, faults);
    }
    return faults;
  }

  /** True when this call must fail (and uses up one of the `failNext` failures). */
  takeFailure(wallet: string): boolean {
    const faults = this.for(wallet);
    if (faults.failNext <= 0) return false;
    faults.failNext -= 1;
    return true;
  }

  /** The first wallet's faults and those of every wallet set since its last reset (untouched wallets have none). */
  snapshot(): Record<string, WalletFaults> {
    return Object.fromEntries(this.#wallets.filter((w) => this.#listed.has(w)).map((w) => [w, { ...this.for(w) }]));
  }
}
