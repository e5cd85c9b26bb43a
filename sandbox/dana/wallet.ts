import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CheckoutBrand } from '../checkout/pages.js';
import { CheckoutState, type CallbackStatus, type CheckoutPayment } from '../checkout/schemas.js';
import type { CheckoutWalletSpec } from '../checkout/simulator.js';
import { randomDigits, redirectWallet, withQuery } from '../checkout/wallet.js';
import { checkoutWalletSimulator, parseSlice, type SimulatorKind } from '../simulator-kind.js';
import { asymmetricKeys, type AsymmetricWalletKeys } from '../wallet-config.js';
import type { WalletDescriptor } from '../../wallets/descriptor.js';
import { createDanaApiRouter, DANA_API_BASE, danaMoney, danaStatus, danaStatusDesc } from './api.js';
import { ExternalIds } from '../snap/external-ids.js';
import { jakartaTime } from '../snap/time.js';
import { snapNotifySigner } from '../snap/notify-headers.js';

const brand = (d: WalletDescriptor): CheckoutBrand => ({ name: d.name, color: '#118EEA', dark: '#0A68B5', soft: '#E6F3FD', balanceLabel: `${d.name} balance` });

/** DANA's slice of the state file: the checkout core's, and the `X-EXTERNAL-ID`s seen today. */
export const DanaState = CheckoutState.extend({ externalIds: z.record(z.string(), z.string()).default({}) });
export type DanaState = z.infer<typeof DanaState>;

/** The status a notify reports: the stale "pending" of magic 004 is DANA's 01 (initiated). */
const notifyStatus: Record<CallbackStatus, string> = { PAID: danaStatus.PAID, FAILED: danaStatus.FAILED, CANCELLED: danaStatus.CANCELLED, PENDING: danaStatus.PENDING };

/**
 * DANA's finish notify: to the order's NOTIFICATION url (else the gateway's `/callbacks/<callbackPath>`), signed
 * SHA256withRSA with DANA's key over that url's path, with DANA's headers.
 */
function danaSpec(d: WalletDescriptor, dana: AsymmetricWalletKeys): CheckoutWalletSpec {
  return {
    wallet: d.ledgerName,
    key: d.callbackPath,
    newWalletRef: () => `DANA${randomDigits(16)}`,
    // SNAP: `partnerRefundNo` is the merchant's, unique across its orders.
    refundIdScope: 'merchant',
    callback: {
      path: `/callbacks/${d.callbackPath}`,
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

/** DANA (SNAP, asymmetric): its API under `/payment-gateway/v1.0/debit`, the checkout pages under `/checkout`. */
export const danaSimulator: SimulatorKind = {
  brand,
  page: (d) => ({
    description: `Redirect checkout on ${d.name}'s Payment Gateway (SNAP, every call SHA256withRSA-signed): the customer logs in on the ${d.name} page (PIN 123456) and pays or cancels.`,
    links: [
      { label: 'Latest checkouts', href: `/${d.callbackPath}/checkout` },
      { label: 'API', href: `#${d.callbackPath}-api` },
    ],
    api: {
      auth: `${d.name}'s Payment Gateway (SNAP): X-TIMESTAMP, X-PARTNER-ID, X-EXTERNAL-ID, CHANNEL-ID, X-SIGNATURE = base64 SHA256withRSA(partner key, METHOD:published path:sha256hex(minified body):X-TIMESTAMP)`,
      calls: ['payment-host-to-host', 'status', 'cancel', 'refund'].map((call) => `POST /${d.callbackPath}${DANA_API_BASE}/${call}.htm`),
    },
  }),
  create: (d, deps, slice) => {
    const initial = parseSlice(DanaState, slice, d, deps.logger);
    const keys = asymmetricKeys(deps.config, d);
    const externalIds = new ExternalIds(initial?.externalIds);
    const wallet = redirectWallet({
      spec: danaSpec(d, keys),
      deps: { ...deps, initial },
      api: (simulator) => ({ [DANA_API_BASE]: createDanaApiRouter(simulator, deps, { keys, merchantName: deps.config.merchantName, externalIds }) }),
      brand: brand(d),
      returnUrl: (p) => withQuery(p.successUrl, { originalPartnerReferenceNo: p.merchantRef, status: danaStatus[p.status] }),
    });
    return checkoutWalletSimulator(d, { ...wallet, toJSON: () => ({ ...wallet.simulator.toJSON(), externalIds: externalIds.toJSON() }) });
  },
};
