import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import type { CheckoutBrand } from '../checkout/pages.js';
import { CheckoutState, type CallbackStatus, type CheckoutPayment } from '../checkout/schemas.js';
import type { CheckoutWalletSpec } from '../checkout/simulator.js';
import { randomDigits, redirectWallet, withQuery, type RedirectWallet, type RedirectWalletDeps } from '../checkout/wallet.js';
import type { SnapWalletSandboxConfig } from '../config.js';
import type { SandboxWallet } from '../wallets.js';
import { createDirectDebitRouter, DIRECT_DEBIT_BASE } from './direct-debit.js';
import { snapStatusDesc, snapStatusOf } from './direct-debit-status.js';
import { ExternalIds } from './external-ids.js';
import { snapMoney } from './money.js';
import { signAsymmetric } from './signature.js';
import { jakartaTime } from './time.js';
import { createB2bTokenRouter } from './token-endpoint.js';
import { B2bToken, B2bTokens } from './tokens.js';

/** A SNAP Direct Debit wallet's slice of the state file: the checkout core's, the B2B tokens, today's external ids. */
export const DirectDebitState = CheckoutState.extend({
  // `catch`: a state file from before SNAP holds another kind of token, which no partner can use any more.
  tokens: z.array(B2bToken).default([]).catch([]),
  externalIds: z.record(z.string(), z.string()).default({}),
});
export type DirectDebitState = z.infer<typeof DirectDebitState>;

/** What one SNAP Direct Debit wallet is besides the standard. */
export interface DirectDebitWalletOptions {
  readonly wallet: SandboxWallet;
  /** `shopeepay`: the URL prefix and callback path `/callbacks/<key>`. */
  readonly key: string;
  readonly brand: CheckoutBrand;
  readonly config: SnapWalletSandboxConfig;
  /** A fresh wallet-side id (`referenceNo`). */
  readonly newWalletRef: () => string;
  /** Waits before each notify retry; `[]`: the notify is sent once, never retried (ShopeePay, WALLET-APIS.md). */
  readonly notifyRetryDelaysMs?: readonly number[];
}

/** The stale "pending" of magic 004 is SNAP's 01 (initiated). */
const notifyStatus: Record<CallbackStatus, string> = { PAID: '00', FAILED: '06', CANCELLED: '06', PENDING: '01' };

/**
 * The wallet → merchant notify (service 56): to the order's `PAY_NOTIFY` url (else `/callbacks/<key>`), signed as
 * SNAP notifies are, SHA256withRSA with the wallet's key over `POST:<the merchant's path>:sha256(body):X-TIMESTAMP`.
 */
export function directDebitSpec(o: DirectDebitWalletOptions): CheckoutWalletSpec {
  const key = createPrivateKey(o.config.privateKey);
  return {
    wallet: o.wallet,
    key: o.key,
    newWalletRef: o.newWalletRef,
    // SNAP: `partnerRefundNo` is the merchant's, unique across its orders.
    refundIdScope: 'merchant',
    callback: {
      path: `/callbacks/${o.key}`,
      ...(o.notifyRetryDelaysMs !== undefined ? { retryDelaysMs: o.notifyRetryDelaysMs } : {}),
      sign: (rawBody, timestampMs, url) => {
        const timestamp = jakartaTime(timestampMs);
        return {
          'X-TIMESTAMP': timestamp,
          'X-SIGNATURE': signAsymmetric(key, 'POST', new URL(url).pathname, rawBody, timestamp),
          'X-PARTNER-ID': o.config.clientId,
          'X-EXTERNAL-ID': randomDigits(32),
          'CHANNEL-ID': '95221',
        };
      },
      render: (p, status, eventTime) => ({
        status: notifyStatus[status],
        body: notifyBody(p, status, eventTime, o.config.clientId),
        ...(p.notifyUrl !== undefined ? { url: p.notifyUrl } : {}),
      }),
    },
  };
}

function notifyBody(p: CheckoutPayment, status: CallbackStatus, eventTime: string, merchantId: string): object {
  return {
    originalPartnerReferenceNo: p.merchantRef,
    originalReferenceNo: p.walletRef,
    merchantId,
    amount: snapMoney(p.amount),
    latestTransactionStatus: notifyStatus[status],
    transactionStatusDesc: status === 'PENDING' ? 'Initiated' : snapStatusDesc(p),
    createdTime: jakartaTime(p.createdAt),
    finishedTime: jakartaTime(eventTime),
  };
}

/** A SNAP Direct Debit wallet at `/<key>`: the B2B token, the API under `/v1.0/debit`, the checkout pages under `/checkout`. */
export function createDirectDebitWallet(
  o: DirectDebitWalletOptions,
  deps: Omit<RedirectWalletDeps, 'initial'> & { readonly initial?: DirectDebitState | undefined },
): RedirectWallet<DirectDebitState> {
  const tokens = new B2bTokens(deps.initial?.tokens ?? [], deps.onChange);
  const externalIds = new ExternalIds(deps.initial?.externalIds);
  const client = { clientId: o.config.clientId, clientSecret: o.config.clientSecret };
  const wallet = redirectWallet({
    spec: directDebitSpec(o),
    deps,
    api: (simulator) => ({
      '/': createB2bTokenRouter({ clientId: o.config.clientId, partnerPublicKey: createPublicKey(o.config.partnerPublicKey) }, tokens),
      [DIRECT_DEBIT_BASE]: createDirectDebitRouter(simulator, deps, { wallet: o.wallet, prefix: `/${o.key}`, client, merchantName: o.config.merchantName, tokens, externalIds }),
    }),
    brand: o.brand,
    returnUrl: (p) => withQuery(p.successUrl, { originalPartnerReferenceNo: p.merchantRef, latestTransactionStatus: snapStatusOf(p) }),
  });
  return { ...wallet, toJSON: () => ({ ...wallet.simulator.toJSON(), tokens: tokens.toJSON(), externalIds: externalIds.toJSON() }) };
}
