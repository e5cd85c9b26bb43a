import { randomBytes } from 'node:crypto';
import express, { type Router } from 'express';
import type { CallbackSource } from '../control.js';
import { CheckoutSimulator, type CheckoutWalletSpec } from '../checkout/simulator.js';
import type { RedirectWalletDeps } from '../checkout/wallet.js';
import type { WalletSecrets } from '../config.js';
import { astraPayStatus, createAstraPayApiRouter } from './api.js';
import { signAstraPayCallback } from './auth.js';
import { AstraPayLinks } from './links.js';
import { createAstraPayPagesRouter } from './pages.js';
import type { AstraPayState, IdempotentCreate } from './schemas.js';

/** The callback headers of AstraPay (links and payments): unix seconds and hex HMAC of `${timestamp}.${rawBody}`. */
function callbackHeaders(secrets: WalletSecrets): (rawBody: string, timestampMs: number) => Record<string, string> {
  return (rawBody, timestampMs) => {
    const timestamp = String(Math.floor(timestampMs / 1000));
    return { 'X-AstraPay-Timestamp': timestamp, 'X-AstraPay-Signature': signAstraPayCallback({ timestamp, rawBody, secret: secrets.callbackSecret }) };
  };
}

/** AstraPay's payments on the checkout core: ids `AP` + 16 hex, JSON callbacks of `type` `payment`. */
export function astraPaySpec(secrets: WalletSecrets): CheckoutWalletSpec {
  return {
    wallet: 'ASTRAPAY',
    key: 'astrapay',
    newWalletRef: () => `AP${randomBytes(8).toString('hex').toUpperCase()}`,
    callback: {
      path: '/callbacks/astrapay',
      sign: callbackHeaders(secrets),
      render: (p, status, eventTime) => {
        const wire = astraPayStatus[status];
        const withReason = (status === 'FAILED' || status === 'CANCELLED') && p.reason !== undefined;
        return {
          status: wire,
          body: { type: 'payment', merchantTransId: p.merchantRef, paymentId: p.walletRef, amount: p.amount, status: wire, ...(withReason ? { reason: p.reason } : {}), eventTime },
        };
      },
    },
  };
}

export interface AstraPayWallet {
  readonly simulator: CheckoutSimulator;
  readonly links: AstraPayLinks;
  /** `/astrapay`: the API under `/v1`, the registration and verification pages. */
  readonly router: Router;
  readonly callbackSources: readonly CallbackSource[];
  resume(): void;
  close(): Promise<void>;
  toJSON(): AstraPayState;
}

/**
 * AstraPay at `/astrapay`: account links (links.ts) and payments on a linked account, which are the redirect
 * checkout core's payments whose page asks for the PIN instead of a login; the magic values of a payment follow
 * the linked account's phone.
 */
export function createAstraPayWallet(deps: RedirectWalletDeps & { readonly initial?: AstraPayState | undefined }): AstraPayWallet {
  const secrets = deps.config.astrapay;
  const simulator = new CheckoutSimulator(astraPaySpec(secrets), deps);
  const links = new AstraPayLinks({ ...deps, sign: callbackHeaders(secrets) });
  const paymentKeys = new Map<string, IdempotentCreate>((deps.initial?.paymentKeys ?? []).map((r) => [r.key, r]));
  const router = express.Router();
  router.use('/v1', createAstraPayApiRouter({ simulator, links, paymentKeys, deps }));
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
    toJSON: () => ({ ...simulator.toJSON(), paymentKeys: [...paymentKeys.values()], ...links.toJSON() }),
  };
}
