import { createPublicKey } from 'node:crypto';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { CheckoutBrand } from '../checkout/pages.js';
import { CheckoutState, type CallbackStatus, type CheckoutPayment } from '../checkout/schemas.js';
import { CheckoutSimulator, type CheckoutWalletSpec } from '../checkout/simulator.js';
import { redirectWallet, withQuery, type RedirectWallet, type RedirectWalletDeps } from '../checkout/wallet.js';
import { parseSlice, type WalletSimulatorDeps } from '../simulator-kind.js';
import { symmetricKeys, type SymmetricWalletKeys } from '../wallet-config.js';
import type { WalletDescriptor } from '../../wallets/descriptor.js';
import { createDirectDebitRouter, DIRECT_DEBIT_BASE } from './direct-debit.js';
import { snapStatusDesc, snapStatusOf } from './direct-debit-status.js';
import { ExternalIds } from './external-ids.js';
import { snapMoney } from './money.js';
import { jakartaTime } from './time.js';
import { createB2bTokenRouter } from './token-endpoint.js';
import { B2bToken, B2bTokens } from './tokens.js';
import { snapNotifySigner } from './notify-headers.js';

/** A SNAP Direct Debit wallet's slice of the state file: the checkout core's, the B2B tokens, today's external ids. */
export const DirectDebitState = CheckoutState.extend({
  tokens: z.array(B2bToken).default([]),
  externalIds: z.record(z.string(), z.string()).default({}),
});
export type DirectDebitState = z.infer<typeof DirectDebitState>;

/** What one SNAP Direct Debit wallet is besides the standard. */
export interface DirectDebitWalletOptions {
  /** The wallet's ledger name. */
  readonly wallet: string;
  /** The wallet's callbackPath, `shopeepay`: the URL prefix and callback path `/callbacks/<key>`. */
  readonly key: string;
  readonly brand: CheckoutBrand;
  /**
   * A push wallet (OVO): the customer approves in the wallet's app (`pages`, instead of the checkout pages), and the
   * 006 customer approves after the push window (`lateApproveMs`).
   */
  readonly push?: { readonly pages: (simulator: CheckoutSimulator) => Router; readonly lateApproveMs: number };
  readonly keys: SymmetricWalletKeys;
  /** The name the wallet registered for the merchant: what its checkout page shows (SNAP orders carry no name). */
  readonly merchantName: string;
  /** Where the wallet publishes its calls, when not the standard's: OVO's token under `/OVOSNAP`, Direct Debit under `/OVOSNAP/v2.0/debit`. */
  readonly paths?: { readonly tokenBase: string; readonly debitBase: string };
  /** `X-TIMESTAMP` and body times with milliseconds (OVO). */
  readonly millisecondTimestamps?: boolean;
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
  const ms = o.millisecondTimestamps === true;
  return {
    wallet: o.wallet,
    key: o.key,
    newWalletRef: o.newWalletRef,
    ...(o.push !== undefined ? { lateApproveMs: o.push.lateApproveMs } : {}),
    // SNAP: `partnerRefundNo` is the merchant's, unique across its orders.
    refundIdScope: 'merchant',
    callback: {
      path: `/callbacks/${o.key}`,
      ...(o.notifyRetryDelaysMs !== undefined ? { retryDelaysMs: o.notifyRetryDelaysMs } : {}),
      sign: snapNotifySigner(o.keys.privateKey, o.keys.clientId, { milliseconds: ms }),
      render: (p, status, eventTime) => ({
        status: notifyStatus[status],
        body: notifyBody(p, status, eventTime, o.keys.clientId, ms),
        ...(p.notifyUrl !== undefined ? { url: p.notifyUrl } : {}),
      }),
    },
  };
}

function notifyBody(p: CheckoutPayment, status: CallbackStatus, eventTime: string, merchantId: string, ms: boolean): object {
  return {
    originalPartnerReferenceNo: p.merchantRef,
    originalReferenceNo: p.walletRef,
    merchantId,
    amount: snapMoney(p.amount),
    latestTransactionStatus: notifyStatus[status],
    transactionStatusDesc: status === 'PENDING' ? 'Initiated' : snapStatusDesc(p),
    createdTime: jakartaTime(p.createdAt, ms),
    finishedTime: jakartaTime(eventTime, ms),
  };
}

/**
 * A SNAP Direct Debit wallet at `/<key>`: the B2B token, the API under `/v1.0/debit` (or the wallet's own paths), and
 * the customer's side: the shared checkout pages under `/checkout` (redirect), or the wallet's app pages (push).
 */
export function createDirectDebitWallet(
  o: DirectDebitWalletOptions,
  deps: Omit<RedirectWalletDeps, 'initial'> & { readonly initial?: DirectDebitState | undefined },
): RedirectWallet<DirectDebitState> {
  const tokens = new B2bTokens(deps.initial?.tokens ?? [], deps.onChange);
  const externalIds = new ExternalIds(deps.initial?.externalIds);
  const client = { clientId: o.keys.clientId, clientSecret: o.keys.clientSecret };
  const push = o.push;
  const paths = o.paths ?? { tokenBase: '/', debitBase: DIRECT_DEBIT_BASE };
  const api = (simulator: CheckoutSimulator): Record<string, Router> => ({
    [paths.tokenBase]: createB2bTokenRouter({ clientId: o.keys.clientId, partnerPublicKey: createPublicKey(o.keys.partnerPublicKey) }, tokens),
    [paths.debitBase]: createDirectDebitRouter(simulator, deps, { wallet: o.wallet, prefix: `/${o.key}`, client, merchantName: o.merchantName, tokens, externalIds, flow: push === undefined ? 'redirect' : 'push', millisecondTimes: o.millisecondTimestamps === true }),
  });
  const wallet =
    push === undefined
      ? redirectWallet({
          spec: directDebitSpec(o),
          deps,
          api,
          brand: o.brand,
          returnUrl: (p) => withQuery(p.successUrl, { originalPartnerReferenceNo: p.merchantRef, latestTransactionStatus: snapStatusOf(p) }),
        })
      : pushWallet(new CheckoutSimulator(directDebitSpec(o), deps), api, push.pages);
  return { ...wallet, toJSON: () => ({ ...wallet.simulator.toJSON(), tokens: tokens.toJSON(), externalIds: externalIds.toJSON() }) };
}

/** The Direct Debit wallet a descriptor names: its ledger name, path and keys, the merchant's name, its saved slice. */
export function directDebitWalletFor(
  d: WalletDescriptor,
  deps: WalletSimulatorDeps,
  slice: unknown,
  o: Omit<DirectDebitWalletOptions, 'wallet' | 'key' | 'keys' | 'merchantName'>,
): RedirectWallet<DirectDebitState> {
  const keys = symmetricKeys(deps.config, d);
  return createDirectDebitWallet(
    { ...o, wallet: d.ledgerName, key: d.callbackPath, keys, merchantName: deps.config.merchantName },
    { ...deps, initial: parseSlice(DirectDebitState, slice, d, deps.logger) },
  );
}

function pushWallet(simulator: CheckoutSimulator, api: (s: CheckoutSimulator) => Record<string, Router>, pages: (s: CheckoutSimulator) => Router): RedirectWallet {
  const router = express.Router();
  for (const [path, r] of Object.entries(api(simulator))) router.use(path, r);
  router.use(pages(simulator));
  return { simulator, router, toJSON: () => simulator.toJSON() };
}
