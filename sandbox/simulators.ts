import express, { type Router } from 'express';
import type { SimulatorSpec, WalletDescriptor } from '../wallets/descriptor.js';
import { astraPaySimulator } from './astrapay/wallet.js';
import type { CheckoutBrand } from './checkout/pages.js';
import type { CallbackSource, WaitingCustomers } from './control.js';
import { danaSimulator } from './dana/wallet.js';
import { ovoSimulator } from './ovo/wallet.js';
import type { SimulatorKind, SimulatorPage, WalletSimulator, WalletSimulatorDeps } from './simulator-kind.js';
import { snapDirectDebitSimulator } from './snap/direct-debit-simulator.js';

/** The sandbox's simulators, by the descriptor's `simulator.kind`. */
const kinds: Readonly<Record<SimulatorSpec['kind'], SimulatorKind>> = {
  ovo: ovoSimulator,
  dana: danaSimulator,
  astrapay: astraPaySimulator,
  'snap-direct-debit': snapDirectDebitSimulator,
};

export const brandOf = (d: WalletDescriptor): CheckoutBrand => kinds[d.simulator.kind].brand(d);
export const pageOf = (d: WalletDescriptor): SimulatorPage => kinds[d.simulator.kind].page(d);

/** The state file's wallet slices, by callbackPath. */
export type WalletSlices = Readonly<Record<string, unknown>>;

export interface WalletSimulators {
  /** Every wallet at `/<callbackPath>`: its API and its customer's pages. */
  readonly router: Router;
  readonly callbackSources: readonly CallbackSource[];
  readonly customers: readonly WaitingCustomers[];
  toJSON(): WalletSlices;
  /** Aborts injected latencies and callbacks in flight (undelivered ones resume on the next start). */
  close(): Promise<void>;
}

/**
 * One simulator per configured wallet (`config.wallets`), built from its saved slice and resumed at once (expiries,
 * magic customers, undelivered callbacks).
 */
export function createWalletSimulators(deps: Omit<WalletSimulatorDeps, 'signal'> & { readonly slices?: WalletSlices | undefined }): WalletSimulators {
  const shutdown = new AbortController();
  const { slices, ...shared } = deps;
  const base = { ...shared, signal: shutdown.signal };
  const wallets: WalletSimulator[] = deps.config.wallets.map((d) => kinds[d.simulator.kind].create(d, base, slices?.[d.callbackPath]));
  for (const w of wallets) w.resume();
  const router = express.Router();
  for (const w of wallets) router.use(`/${w.descriptor.callbackPath}`, w.router);
  return {
    router,
    callbackSources: wallets.flatMap((w) => w.callbackSources),
    customers: wallets.flatMap((w) => w.customers),
    toJSON: () => Object.fromEntries(wallets.map((w) => [w.descriptor.callbackPath, w.toJSON()])),
    close: async () => {
      shutdown.abort();
      await Promise.all(wallets.map((w) => w.close()));
    },
  };
}
