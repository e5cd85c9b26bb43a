import express, { type Router } from 'express';
import { createAstraPayWallet } from './astrapay/wallet.js';
import type { AstraPayState } from './astrapay/schemas.js';
import type { CallbackSource } from './control.js';
import { createDanaWallet, type DanaState } from './dana/wallet.js';
import { createLinkAjaWallet } from './linkaja/wallet.js';
import type { SimulatorDeps } from './magic-payments.js';
import { createShopeePayWallet } from './shopeepay/wallet.js';
import type { DirectDebitState } from './snap/direct-debit-wallet.js';

/** The redirect wallets' slices of the state file. */
export interface RedirectWalletsState {
  readonly dana: DanaState;
  readonly shopeepay: DirectDebitState;
  readonly linkaja: DirectDebitState;
  readonly astrapay: AstraPayState;
}

export interface RedirectWallets {
  /** `/dana`, `/shopeepay`, `/linkaja`, `/astrapay`: their APIs and customer pages. */
  readonly router: Router;
  readonly callbackSources: readonly CallbackSource[];
  toJSON(): RedirectWalletsState;
  /** Aborts injected latencies and callbacks in flight (undelivered ones resume on the next start). */
  close(): Promise<void>;
}

/**
 * DANA, ShopeePay and LinkAja: three wallets on one redirect-checkout core (sandbox/checkout/); DANA speaks its
 * published SNAP API, ShopeePay and LinkAja SNAP Direct Debit (sandbox/snap/). Built from the saved state and resumed at once (expiries, magic
 * customers, undelivered callbacks).
 */
export function createRedirectWallets(deps: SimulatorDeps & { readonly initial?: RedirectWalletsState | undefined }): RedirectWallets {
  const shutdown = new AbortController();
  const { initial, ...shared } = deps;
  const base = { ...shared, signal: shutdown.signal };
  const dana = createDanaWallet({ ...base, initial: initial?.dana });
  const shopeepay = createShopeePayWallet({ ...base, initial: initial?.shopeepay });
  const linkaja = createLinkAjaWallet({ ...base, initial: initial?.linkaja });
  const wallets = [dana, shopeepay, linkaja];
  for (const w of wallets) w.simulator.resume();
  const astrapay = createAstraPayWallet({ ...base, initial: initial?.astrapay }); // links + payments on a linked account
  astrapay.resume();

  const router = express.Router();
  for (const w of wallets) router.use(`/${w.simulator.spec.key}`, w.router);
  router.use('/astrapay', astrapay.router);
  return {
    router,
    callbackSources: [...wallets.map((w) => w.simulator), ...astrapay.callbackSources],
    toJSON: () => ({ dana: dana.toJSON(), shopeepay: shopeepay.toJSON(), linkaja: linkaja.toJSON(), astrapay: astrapay.toJSON() }),
    close: async () => {
      shutdown.abort();
      await Promise.all([...wallets.map((w) => w.simulator.close()), astrapay.close()]);
    },
  };
}
