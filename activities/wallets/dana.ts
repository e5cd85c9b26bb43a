import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { DanaConfig } from '../../domain/config.js';
import {
  CallbackRejectedError,
  WalletRejectedError,
  WalletUnavailableError,
  type CreatePaymentRequest,
  type CreatePaymentResult,
  type RawCallback,
  type RefundRequest,
  type RefundResult,
  type VoidResult,
  type WalletAdapter,
  type WalletCallback,
  type WalletStatusResult,
} from './adapter.js';
import { parseCallbackJson, requireFresh } from './callback-verify.js';
import { headerValue, readBody } from './http.js';
import { SnapClient, type SnapReply } from './snap/client.js';
import { externalIdFor, randomExternalId } from './snap/external-id.js';
import { verifyAsymmetricSignature } from './snap/notify.js';
import { publicKeyOf } from './snap/signature.js';
import { parseSnapTimestamp, snapTimestamp } from './snap/timestamp.js';
import { walletStateOfSnapStatus } from './snap/transaction-status.js';

/** DANA's published Payment Gateway paths (WALLET-APIS.md), signed exactly so: no base-URL prefix. */
export const danaPaths = {
  create: '/payment-gateway/v1.0/debit/payment-host-to-host.htm',
  status: '/payment-gateway/v1.0/debit/status.htm',
  cancel: '/payment-gateway/v1.0/debit/cancel.htm',
  refund: '/payment-gateway/v1.0/debit/refund.htm',
} as const;

/** `CHANNEL-ID` as DANA's Python SDK sends it. */
const CHANNEL_ID = '95221';
/**
 * The merchant category code DANA requires on every order. DANA fixes the real one when it onboards the merchant;
 * 5999 (miscellaneous retail) is the neutral value for a gateway that sells nothing itself.
 */
const MCC = '5999';
/** DANA's SDK caps `order.orderTitle` at 64 characters. */
const ORDER_TITLE_MAX = 64;

/** The answer DANA expects to its finish notify (service 56). */
export const danaNotifyAcknowledgement = { responseCode: '2005600', responseMessage: 'Successful' } as const;

const money = z.object({ value: z.string().regex(/^\d+\.\d{2}$/), currency: z.literal('IDR') });
const created = z.object({ referenceNo: z.string().min(1), webRedirectUrl: z.string().min(1) });
const status = z.object({
  latestTransactionStatus: z.string(),
  originalReferenceNo: z.string().optional(),
  transactionStatusDesc: z.string().optional(),
  amount: money.optional(),
  transAmount: money.optional(),
});
const refunded = z.object({ refundNo: z.string().min(1) });
const notify = z.object({
  // Any string: an unknown transaction is the route's 404, not a malformed notify.
  originalPartnerReferenceNo: z.string(),
  originalReferenceNo: z.string(),
  merchantId: z.string(),
  amount: money,
  latestTransactionStatus: z.string(),
  transactionStatusDesc: z.string().optional(),
  finishedTime: z.string().optional(),
});

/**
 * DANA amounts are decimal strings with two places; the gateway's are whole rupiah. Never rounded: "14999.50" is
 * not 15000, so a notify or status for it fails the amount check instead of passing it.
 */
const toDana = (rupiah: number) => ({ value: rupiah.toFixed(2), currency: 'IDR' as const });
const fromDana = (m: { value: string }) => Number(m.value);

/**
 * DANA's Payment Gateway (SNAP, asymmetric profile): the customer is redirected to DANA's checkout. Every call is
 * SHA256withRSA-signed with the gateway's key; DANA's finish notify is verified with DANA's public key over the
 * gateway's own notify path. `X-EXTERNAL-ID` of a money-moving call is derived from the call, so a retry is
 * recognisably the same call at DANA.
 */
export class DanaAdapter implements WalletAdapter {
  readonly mitraCd = 'DANA' as const;
  readonly flow = 'redirect' as const;
  readonly callbackAcknowledgement = danaNotifyAcknowledgement;
  readonly #client: SnapClient;
  readonly #publicKey: KeyObject;
  readonly #notifyPath: string;

  constructor(
    private readonly config: DanaConfig,
    fetchImpl: typeof fetch = fetch,
  ) {
    this.#client = new SnapClient({
      wallet: 'DANA',
      baseUrl: config.baseUrl,
      partnerId: config.partnerId,
      channelId: CHANNEL_ID,
      origin: config.origin,
      privateKey: config.privateKey,
      profile: { kind: 'asymmetric' },
      fetchImpl,
    });
    this.#publicKey = publicKeyOf(config.publicKey);
    this.#notifyPath = new URL(config.notifyUrl).pathname;
  }

  async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    const res = await this.#client.post(
      danaPaths.create,
      {
        partnerReferenceNo: req.tXid,
        merchantId: this.config.merchantId,
        amount: toDana(req.amount),
        // Fixed by the workflow, never read from the clock here: a retried call must send the very same body.
        validUpTo: snapTimestamp(Date.parse(req.expiresAt)),
        urlParams: [
          { url: req.returnUrl, type: 'PAY_RETURN', isDeeplink: 'N' },
          { url: this.config.notifyUrl, type: 'NOTIFICATION', isDeeplink: 'N' },
        ],
        additionalInfo: {
          mcc: MCC,
          envInfo: { sourcePlatform: 'IPG', terminalType: 'SYSTEM' },
          order: {
            orderTitle: req.goodsName.slice(0, ORDER_TITLE_MAX),
            scenario: 'REDIRECT',
            buyer: { externalUserType: 'PHONE', externalUserId: req.phone },
          },
        },
      },
      externalIdFor(req.tXid, 'create'),
    );
    if (res.outcome.kind === 'success') {
      const body = readBody('DANA', created, res);
      return { providerRef: body.referenceNo, redirectUrl: body.webRedirectUrl };
    }
    throw refusal('create order', res);
  }

  async checkStatus(tXid: string): Promise<WalletStatusResult> {
    const res = await this.#client.post(danaPaths.status, { originalPartnerReferenceNo: tXid, serviceCode: '54', merchantId: this.config.merchantId }, randomExternalId());
    if (res.outcome.kind === 'not-found') return { state: 'NOT_FOUND' };
    if (res.outcome.kind !== 'success') throw refusal('query payment', res);
    const s = readBody('DANA', status, res);
    const state = walletStateOfSnapStatus(s.latestTransactionStatus);
    if (state === undefined) throw new WalletUnavailableError(`DANA answered an unknown latestTransactionStatus ${s.latestTransactionStatus}`, res.status);
    if (state === 'NOT_FOUND') return { state };
    const amount = s.amount ?? s.transAmount;
    const reason = state === 'FAILED' || state === 'VOIDED' ? s.transactionStatusDesc : undefined;
    return {
      state,
      ...(amount ? { amount: fromDana(amount) } : {}),
      ...(s.originalReferenceNo ? { providerRef: s.originalReferenceNo } : {}),
      ...(reason ? { reason } : {}),
    };
  }

  async voidPayment(tXid: string): Promise<VoidResult> {
    const res = await this.#client.post(danaPaths.cancel, { originalPartnerReferenceNo: tXid, merchantId: this.config.merchantId, reason: 'not paid in time' }, externalIdFor(tXid, 'cancel'));
    if (res.outcome.kind === 'success' || res.outcome.kind === 'not-found') return { outcome: 'VOIDED' };
    const reusedId = res.outcome.kind === 'unknown' && res.outcome.code?.http === 409;
    if (res.outcome.kind === 'rejected' || reusedId) {
      // DANA refuses to cancel a paid order without saying "paid" in a code of its own, and a repeated void may meet
      // its same-day X-EXTERNAL-ID check: either way its status says where the order stands.
      const now = await this.checkStatus(tXid);
      if (now.state === 'PAID') return { outcome: 'ALREADY_PAID' };
      if (now.state === 'VOIDED' || now.state === 'FAILED' || now.state === 'NOT_FOUND') return { outcome: 'VOIDED' };
    }
    throw refusal('cancel order', res);
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const res = await this.#client.post(
      danaPaths.refund,
      {
        merchantId: this.config.merchantId,
        originalPartnerReferenceNo: req.tXid,
        partnerRefundNo: req.idempotencyKey,
        refundAmount: toDana(req.amount),
        reason: req.reason.slice(0, 256),
      },
      externalIdFor(req.tXid, 'refund', req.idempotencyKey),
    );
    if (res.outcome.kind === 'success') return { outcome: 'REFUNDED', refundRef: readBody('DANA', refunded, res).refundNo };
    throw refusal('refund', res);
  }

  /** DANA's finish notify, signed by DANA over the path of the NOTIFICATION URL we gave it. */
  parseCallback(cb: RawCallback): WalletCallback {
    const timestamp = headerValue(cb.headers, 'x-timestamp');
    const rawBody = cb.rawBody.toString('utf8');
    const signed = verifyAsymmetricSignature(this.#publicKey, { method: 'POST', path: this.#notifyPath, timestamp, signature: headerValue(cb.headers, 'x-signature'), rawBody });
    if (!signed) throw new CallbackRejectedError('bad DANA notify signature');
    requireFresh('DANA', parseSnapTimestamp(timestamp) ?? Number.NaN);
    const n = parseCallbackJson('DANA', notify, cb.rawBody);
    if (n.merchantId !== this.config.merchantId) throw new CallbackRejectedError('DANA notify for another merchant', 400);
    const state = walletStateOfSnapStatus(n.latestTransactionStatus);
    if (state === undefined || state === 'NOT_FOUND') throw new CallbackRejectedError(`DANA notify with latestTransactionStatus ${n.latestTransactionStatus}`, 400);
    const reason = state === 'FAILED' || state === 'VOIDED' ? n.transactionStatusDesc : undefined;
    const occurredAt = parseSnapTimestamp(n.finishedTime);
    return {
      tXid: n.originalPartnerReferenceNo,
      state,
      amount: fromDana(n.amount),
      providerRef: n.originalReferenceNo,
      ...(reason ? { reason } : {}),
      ...(occurredAt !== undefined ? { occurredAt: new Date(occurredAt).toISOString() } : {}),
    };
  }
}

/**
 * DANA's refusals in our words: a bad signature or unknown partner is our configuration, not the order (nothing
 * happened: unavailable, so the workflow asks the status rather than failing the payment); a bad or missing field,
 * an inconsistent request or a business refusal is for good; everything unreadable is an unknown outcome.
 */
function refusal(what: string, res: SnapReply): Error {
  const o = res.outcome;
  switch (o.kind) {
    case 'rejected':
      return new WalletRejectedError(`DANA refused ${what}: ${o.code.code} ${o.reason}`, o.reason);
    case 'unauthorized':
      return new WalletUnavailableError(`DANA refused our credentials on ${what} (${o.code.code} ${o.reason})`, res.status);
    case 'not-found':
      return new WalletRejectedError(`DANA does not know the order of ${what} (${o.code.code})`, 'transaction not found at DANA');
    case 'unknown':
      return new WalletUnavailableError(`DANA ${what}: outcome unknown (${o.code?.code ?? `HTTP ${res.status}`} ${o.reason})`, res.status);
    case 'success':
    case 'in-progress':
      return new WalletUnavailableError(`DANA ${what}: answered ${o.code.code} where a final answer was expected`, res.status);
  }
}
