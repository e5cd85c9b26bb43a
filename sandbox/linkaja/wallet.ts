import { z } from 'zod';
import type { CheckoutBrand } from '../checkout/pages.js';
import { CheckoutState } from '../checkout/schemas.js';
import type { CheckoutWalletSpec } from '../checkout/simulator.js';
import { randomDigits, redirectWallet, withQuery, type RedirectWallet, type RedirectWalletDeps } from '../checkout/wallet.js';
import type { WalletSecrets } from '../config.js';
import { createLinkAjaApiRouter } from './api.js';
import { createLinkAjaTokenRouter, LinkAjaToken, LinkAjaTokens, signLinkAjaCallback } from './oauth.js';

export const linkAjaBrand: CheckoutBrand = { name: 'LinkAja', color: '#E82529', dark: '#B5161B', soft: '#FDE9EA', balanceLabel: 'LinkAja balance' };

/** LinkAja's slice of the state file: the checkout core's, plus the access tokens. */
export const LinkAjaState = CheckoutState.extend({ tokens: z.array(LinkAjaToken).default([]) });
export type LinkAjaState = z.infer<typeof LinkAjaState>;

/** LinkAja's ids and callbacks: form-encoded, signed in the `signature` field. */
export function linkAjaSpec(secrets: WalletSecrets): CheckoutWalletSpec {
  return {
    wallet: 'LINKAJA',
    key: 'linkaja',
    newWalletRef: () => `LA${randomDigits(12)}`,
    callback: {
      path: '/callbacks/linkaja',
      contentType: 'application/x-www-form-urlencoded',
      sign: () => ({}),
      render: (p, status, eventTime) => {
        const fields = { trxId: p.merchantRef, refNum: p.walletRef, total: String(p.amount), status, eventTime };
        const reason = status === 'FAILED' || status === 'CANCELLED' ? (p.reason ?? '') : '';
        const signature = signLinkAjaCallback(fields, secrets.callbackSecret);
        return { status, body: new URLSearchParams({ ...fields, reason, signature }).toString() };
      },
    },
  };
}

/** LinkAja at `/linkaja`: tokens at `/oauth/token`, the API under `/api/v1`, the checkout pages under `/checkout`. */
export function createLinkAjaWallet(deps: RedirectWalletDeps & { readonly initial?: LinkAjaState | undefined }): RedirectWallet<LinkAjaState> {
  const tokens = new LinkAjaTokens(deps.initial?.tokens ?? [], deps.onChange);
  const wallet = redirectWallet({
    spec: linkAjaSpec(deps.config.linkaja),
    deps,
    api: (simulator) => ({ '/oauth': createLinkAjaTokenRouter(deps.config.linkaja, tokens), '/api/v1': createLinkAjaApiRouter(simulator, tokens, deps) }),
    brand: linkAjaBrand,
    // After Pay the successUrl, after anything else the failedUrl.
    returnUrl: (p) => withQuery(p.status === 'PAID' || p.status === 'REFUNDED' ? p.successUrl : p.failureUrl, { trxId: p.merchantRef }),
  });
  return { ...wallet, toJSON: () => ({ ...wallet.toJSON(), tokens: tokens.toJSON() }) };
}
