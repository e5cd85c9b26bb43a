import type { CheckoutBrand } from '../checkout/pages.js';
import type { CallbackStatus, CheckoutStatus } from '../checkout/schemas.js';
import type { CheckoutWalletSpec } from '../checkout/simulator.js';
import { randomDigits, redirectWallet, withQuery, type RedirectWallet, type RedirectWalletDeps } from '../checkout/wallet.js';
import type { WalletSecrets } from '../config.js';
import { createShopeePayApiRouter } from './api.js';
import { signShopeePayBody } from './auth.js';

export const shopeePayBrand: CheckoutBrand = { name: 'ShopeePay', color: '#EE4D2D', dark: '#C73A1D', soft: '#FDECE8', balanceLabel: 'ShopeePay balance' };

/** The callback's `payment_status`: 1 success, 2 failed, 3 cancelled by the customer, 0 pending (the stale one of 004). */
const paymentStatus: Record<CallbackStatus, number> = { PAID: 1, FAILED: 2, CANCELLED: 3, PENDING: 0 };

/** The `result` of the browser's return: success, cancelled (by the customer), or failed (anything else). */
const browserResult: Record<CheckoutStatus, string> = {
  PENDING: 'failed',
  PAID: 'success',
  REFUNDED: 'success',
  CANCELLED: 'cancelled',
  FAILED: 'failed',
  VOIDED: 'failed',
  EXPIRED: 'failed',
};

/** ShopeePay's ids and callbacks: JSON with snake_case, amounts in hundredths, signed in `X-Airpay-Req-H`. */
export function shopeePaySpec(secrets: WalletSecrets): CheckoutWalletSpec {
  return {
    wallet: 'SHOPEEPAY',
    key: 'shopeepay',
    newWalletRef: () => randomDigits(18),
    callback: {
      path: '/callbacks/shopeepay',
      sign: (rawBody) => ({ 'X-Airpay-Req-H': signShopeePayBody(rawBody, secrets.callbackSecret) }),
      render: (p, status, eventTime) => {
        const withReason = (status === 'FAILED' || status === 'CANCELLED') && p.reason !== undefined;
        const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
        // ShopeePay counts in whole seconds: the stale pending of 004 is still older than the outcome.
        const updatedAt = status === 'PENDING' ? Math.min(seconds(eventTime), seconds(p.updatedAt) - 1) : seconds(eventTime);
        return {
          status: String(paymentStatus[status]),
          body: {
            payment_reference_id: p.merchantRef,
            transaction_sn: p.walletRef,
            amount: p.amount * 100,
            payment_status: paymentStatus[status],
            ...(withReason ? { reason: p.reason } : {}),
            updated_at: updatedAt,
          },
        };
      },
    },
  };
}

/** ShopeePay at `/shopeepay`: the API under `/v3`, the checkout pages under `/checkout`. */
export function createShopeePayWallet(deps: RedirectWalletDeps): RedirectWallet {
  return redirectWallet({
    spec: shopeePaySpec(deps.config.shopeepay),
    deps,
    api: (simulator) => ({ '/v3': createShopeePayApiRouter(simulator, deps) }),
    brand: shopeePayBrand,
    returnUrl: (p) => withQuery(p.successUrl, { reference_id: p.merchantRef, result: browserResult[p.status] }),
  });
}
