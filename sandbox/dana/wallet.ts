import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CheckoutBrand } from '../checkout/pages.js';
import { CheckoutState, type CallbackStatus, type CheckoutPayment } from '../checkout/schemas.js';
import type { CheckoutWalletSpec } from '../checkout/simulator.js';
import { randomDigits, redirectWallet, withQuery, type RedirectWallet, type RedirectWalletDeps } from '../checkout/wallet.js';
import type { DanaSandboxConfig } from '../config.js';
import { createDanaApiRouter, DANA_API_BASE, danaMoney, danaStatus, danaStatusDesc } from './api.js';
import { ExternalIds } from '../snap/external-ids.js';
import { jakartaTime } from '../snap/time.js';
import { snapNotifySigner } from '../snap/notify-headers.js';

export const danaBrand: CheckoutBrand = { name: 'DANA', color: '#118EEA', dark: '#0A68B5', soft: '#E6F3FD', balanceLabel: 'DANA balance' };

/** DANA's slice of the state file: the checkout core's, and the `X-EXTERNAL-ID`s seen today. */
export const DanaState = CheckoutState.extend({ externalIds: z.record(z.string(), z.string()).default({}) });
export type DanaState = z.infer<typeof DanaState>;

/** The status a notify reports: the stale "pending" of magic 004 is DANA's 01 (initiated). */
const notifyStatus: Record<CallbackStatus, string> = { PAID: danaStatus.PAID, FAILED: danaStatus.FAILED, CANCELLED: danaStatus.CANCELLED, PENDING: danaStatus.PENDING };

/**
 * DANA's finish notify: to the order's NOTIFICATION url (else the gateway's `/callbacks/dana`), signed SHA256withRSA
 * with DANA's key over that url's path, with DANA's headers.
 */
export function danaSpec(dana: DanaSandboxConfig): CheckoutWalletSpec {
  return {
    wallet: 'DANA',
    key: 'dana',
    newWalletRef: () => `DANA${randomDigits(16)}`,
    // SNAP: `partnerRefundNo` is the merchant's, unique across its orders.
    refundIdScope: 'merchant',
    callback: {
      path: '/callbacks/dana',
      sign: snapNotifySigner(dana.privateKey, dana.partnerId),
      render: (p, status, eventTime) => ({
        status: notifyStatus[status],
        body: notifyBody(p, status, eventTime, dana.merchantId),
        ...(p.notifyUrl !== undefined ? { url: p.notifyUrl } : {}),
      }),
    },
  };
}

function notifyBody(p: CheckoutPayment, status: CallbackStatus, eventTime: string, merchantId: string): object {
  const finished = jakartaTime(eventTime);
  return {
    originalPartnerReferenceNo: p.merchantRef,
    originalReferenceNo: p.walletRef,
    merchantId,
    amount: danaMoney(p.amount),
    latestTransactionStatus: notifyStatus[status],
    transactionStatusDesc: status === 'PENDING' ? 'INIT' : danaStatusDesc(p),
    createdTime: jakartaTime(p.createdAt),
    finishedTime: finished,
    ...(status === 'PAID'
      ? {
          additionalInfo: {
            paymentInfo: {
              cashierRequestId: randomBytes(8).toString('hex'),
              paidTime: finished,
              payOptionInfos: [{ payMethod: 'BALANCE', transAmount: danaMoney(p.amount) }],
            },
          },
        }
      : {}),
  };
}

/** DANA at `/dana`: its API under `/payment-gateway/v1.0/debit`, the checkout pages under `/checkout`. */
export function createDanaWallet(deps: Omit<RedirectWalletDeps, 'initial'> & { readonly initial?: DanaState | undefined }): RedirectWallet<DanaState> {
  const externalIds = new ExternalIds(deps.initial?.externalIds);
  const wallet = redirectWallet({
    spec: danaSpec(deps.config.dana),
    deps,
    api: (simulator) => ({ [DANA_API_BASE]: createDanaApiRouter(simulator, deps, externalIds) }),
    brand: danaBrand,
    returnUrl: (p) => withQuery(p.successUrl, { originalPartnerReferenceNo: p.merchantRef, status: danaStatus[p.status] }),
  });
  return { ...wallet, toJSON: () => ({ ...wallet.simulator.toJSON(), externalIds: externalIds.toJSON() }) };
}
