import type { CheckoutBrand } from '../checkout/pages.js';
import type { CheckoutWalletSpec } from '../checkout/simulator.js';
import { randomDigits, redirectWallet, withQuery, type RedirectWallet, type RedirectWalletDeps } from '../checkout/wallet.js';
import type { WalletSecrets } from '../config.js';
import { createDanaApiRouter, danaMoney, danaStatus } from './api.js';
import { signDanaCallback } from './auth.js';

export const danaBrand: CheckoutBrand = { name: 'DANA', color: '#118EEA', dark: '#0A68B5', soft: '#E6F3FD', balanceLabel: 'DANA balance' };

/** DANA's ids and callbacks: JSON, signed with `X-DANA-TIMESTAMP` + `X-DANA-SIGNATURE` (base64). */
export function danaSpec(secrets: WalletSecrets): CheckoutWalletSpec {
  return {
    wallet: 'DANA',
    key: 'dana',
    newWalletRef: () => `DANA${randomDigits(16)}`,
    callback: {
      path: '/callbacks/dana',
      sign: (rawBody, timestampMs) => {
        const timestamp = new Date(timestampMs).toISOString();
        return { 'X-DANA-TIMESTAMP': timestamp, 'X-DANA-SIGNATURE': signDanaCallback({ timestamp, rawBody, secret: secrets.callbackSecret }) };
      },
      render: (p, status, eventTime) => {
        const wire = danaStatus[status];
        const withReason = (status === 'FAILED' || status === 'CANCELLED') && p.reason !== undefined;
        return {
          status: wire,
          body: {
            merchantTransId: p.merchantRef,
            acquirementId: p.walletRef,
            status: wire,
            amount: danaMoney(p.amount),
            ...(withReason ? { reason: p.reason } : {}),
            eventTime,
          },
        };
      },
    },
  };
}

/** DANA at `/dana`: the API under `/v1.0`, the checkout pages under `/checkout`. */
export function createDanaWallet(deps: RedirectWalletDeps): RedirectWallet {
  return redirectWallet({
    spec: danaSpec(deps.config.dana),
    deps,
    api: (simulator) => ({ '/v1.0': createDanaApiRouter(simulator, deps) }),
    brand: danaBrand,
    returnUrl: (p) => withQuery(p.successUrl, { merchantTransId: p.merchantRef, status: danaStatus[p.status] }),
  });
}
