import { createPublicKey, randomBytes } from 'node:crypto';
import express, { type Router } from 'express';
import type { CallbackSource } from '../control.js';
import type { CheckoutBrand } from '../checkout/pages.js';
import { CheckoutSimulator, type CheckoutWalletSpec } from '../checkout/simulator.js';
import type { RedirectWalletDeps } from '../checkout/wallet.js';
import type { SnapWalletSandboxConfig } from '../config.js';
import { createDirectDebitRouter, DIRECT_DEBIT_BASE } from '../snap/direct-debit.js';
import { directDebitSpec } from '../snap/direct-debit-wallet.js';
import { ExternalIds } from '../snap/external-ids.js';
import { createB2bTokenRouter } from '../snap/token-endpoint.js';
import { B2bTokens } from '../snap/tokens.js';
import { createAstraPayBindingRouter, createAstraPayPayRouter } from './api.js';
import { AstraPayLinks } from './links.js';
import { createAstraPayPagesRouter } from './pages.js';
import type { AstraPayState } from './schemas.js';
import { snapNotifySigner } from '../snap/notify-headers.js';

export const astraPayBrand: CheckoutBrand = { name: 'AstraPay', color: '#1B3A6B', dark: '#12294D', soft: '#FBF3DF', balanceLabel: 'AstraPay balance' };

/** AstraPay's payments: SNAP Direct Debit's (ids `AP` + 16 hex), notified to the order's PAY_NOTIFY url, RSA-signed. */
export function astraPaySpec(config: SnapWalletSandboxConfig): CheckoutWalletSpec {
  return directDebitSpec({ wallet: 'ASTRAPAY', key: 'astrapay', brand: astraPayBrand, config, newWalletRef: () => `AP${randomBytes(8).toString('hex').toUpperCase()}` });
}


export interface AstraPayWallet {
  readonly simulator: CheckoutSimulator;
  readonly links: AstraPayLinks;
  /** `/astrapay`: the B2B token, account binding, Direct Debit, the registration and verification pages. */
  readonly router: Router;
  readonly callbackSources: readonly CallbackSource[];
  resume(): void;
  close(): Promise<void>;
  toJSON(): AstraPayState;
}

/**
 * AstraPay at `/astrapay` on SNAP, as NICEPAY documents it for `ASTR`: account binding (links.ts) and Direct Debit on
 * a bound account (`Authorization-Customer`), whose payments are the redirect checkout core's with a PIN page instead
 * of a login; the magic values of a payment follow the bound account's phone.
 */
export function createAstraPayWallet(deps: RedirectWalletDeps & { readonly initial?: AstraPayState | undefined }): AstraPayWallet {
  const config = deps.config.astrapay;
  const simulator = new CheckoutSimulator(astraPaySpec(config), deps);
  const links = new AstraPayLinks({ ...deps, sign: snapNotifySigner(config.privateKey, config.clientId), merchantId: config.clientId });
  const tokens = new B2bTokens(deps.initial?.tokens ?? [], deps.onChange);
  const externalIds = new ExternalIds(deps.initial?.externalIds);
  const client = { clientId: config.clientId, clientSecret: config.clientSecret };
  const api = { simulator, links, deps, client, tokens, externalIds };
  const router = express.Router();
  router.use('/', createB2bTokenRouter({ clientId: config.clientId, partnerPublicKey: createPublicKey(config.partnerPublicKey) }, tokens));
  // The pay call is AstraPay's own (the bound account); status, cancel and refund are the standard's, shared.
  router.use(`${DIRECT_DEBIT_BASE}/payment-host-to-host`, createAstraPayPayRouter(api));
  router.use(DIRECT_DEBIT_BASE, createDirectDebitRouter(simulator, deps, { wallet: 'ASTRAPAY', prefix: '/astrapay', client, merchantName: config.merchantName, tokens, externalIds }));
  router.use('/v1.0', createAstraPayBindingRouter(api));
  router.use(createAstraPayPagesRouter({ simulator, links }));
  return {
    simulator,
    links,
    router,
    callbackSources: [simulator, links],
    resume: () => {
      simulator.resume();
      links.resume();
    },
    close: async () => {
      await Promise.all([simulator.close(), links.close()]);
    },
    toJSON: () => ({ ...simulator.toJSON(), tokens: tokens.toJSON(), externalIds: externalIds.toJSON(), ...links.toJSON() }),
  };
}
