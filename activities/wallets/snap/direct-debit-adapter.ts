import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { SnapWalletConfig } from '../../../domain/config.js';
import type { MitraCd } from '../../../domain/wallets.js';
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
} from '../adapter.js';
import { parseCallbackJson, requireFresh } from '../callback-verify.js';
import { headerValue, readBody } from '../http.js';
import { SnapClient, type SnapReply } from './client.js';
import { externalIdFor, randomExternalId } from './external-id.js';
import { verifyAsymmetricSignature } from './notify.js';
import { publicKeyOf } from './signature.js';
import { parseSnapTimestamp, snapTimestamp } from './timestamp.js';
import { walletStateOfSnapStatus } from './transaction-status.js';

/** SNAP Direct Debit's standard paths (WALLET-APIS.md), under the wallet's base URL, signed exactly so. */
export const directDebitPaths = {
  token: '/v1.0/access-token/b2b',
  create: '/v1.0/debit/payment-host-to-host',
  status: '/v1.0/debit/status',
  cancel: '/v1.0/debit/cancel',
  refund: '/v1.0/debit/refund',
} as const;

/** The acknowledgement of a notify (service 56). */
export const snapNotifyAcknowledgement = { responseCode: '2005600', responseMessage: 'Successful' } as const;

/** `CHANNEL-ID`: 5 characters in the standard; the value SNAP providers' examples use. */
const CHANNEL_ID = '95221';
/** Caps of the fields we fill (the standard's lengths for additionalInfo are the wallet's; these are conservative). */
const REMARK_MAX = 256;

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
  merchantId: z.string().optional(),
  amount: money,
  latestTransactionStatus: z.string(),
  transactionStatusDesc: z.string().optional(),
  finishedTime: z.string().optional(),
});

/** Never rounded: "14999.50" is not 15000, so a notify or status for it fails the amount check instead of passing it. */
const toSnap = (rupiah: number) => ({ value: rupiah.toFixed(2), currency: 'IDR' as const });
const fromSnap = (m: { value: string }) => Number(m.value);

export interface DirectDebitWallet {
  readonly mitraCd: MitraCd;
  /** For messages: `ShopeePay`. */
  readonly name: string;
}

/**
 * A wallet on SNAP Direct Debit (symmetric profile): a B2B access token (RSA-signed request, cached, refreshed on
 * `401xx01`), then every call HMAC-SHA512-signed with the client secret; the customer is redirected to the wallet's
 * `webRedirectUrl`; the wallet's notify is verified with its public key over the gateway's own notify path.
 * `X-EXTERNAL-ID` of a money-moving call is derived from the call, so a retry is recognisably the same call.
 */
export class SnapDirectDebitAdapter implements WalletAdapter {
  readonly mitraCd: MitraCd;
  readonly flow = 'redirect' as const;
  readonly callbackAcknowledgement = snapNotifyAcknowledgement;
  readonly #name: string;
  readonly #client: SnapClient;
  readonly #publicKey: KeyObject;
  readonly #notifyPath: string;

  constructor(
    wallet: DirectDebitWallet,
    private readonly config: SnapWalletConfig,
    fetchImpl: typeof fetch = fetch,
  ) {
    this.mitraCd = wallet.mitraCd;
    this.#name = wallet.name;
    this.#client = new SnapClient({
      wallet: wallet.name,
      baseUrl: config.baseUrl,
      partnerId: config.clientId,
      channelId: CHANNEL_ID,
      privateKey: config.privateKey,
      profile: { kind: 'symmetric-b2b', clientSecret: config.clientSecret, tokenPath: directDebitPaths.token },
      fetchImpl,
    });
    this.#publicKey = publicKeyOf(config.publicKey);
    this.#notifyPath = new URL(config.notifyUrl).pathname;
  }

  async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    const res = await this.#client.post(
      directDebitPaths.create,
      {
        partnerReferenceNo: req.tXid,
        merchantId: this.config.clientId,
        amount: toSnap(req.amount),
        // Fixed by the workflow, never read from the clock here: a retried call must send the very same body.
        validUpTo: snapTimestamp(Date.parse(req.expiresAt)),
        urlParams: [
          { url: req.returnUrl, type: 'PAY_RETURN', isDeeplink: 'N' },
          { url: this.config.notifyUrl, type: 'PAY_NOTIFY', isDeeplink: 'N' },
        ],
        // The standard has no field for the customer's phone or the order's title; `phoneNo` is SNAP's own name for a
        // customer's phone (account binding).
        additionalInfo: { phoneNo: req.phone, remark: req.goodsName.slice(0, REMARK_MAX) },
      },
      externalIdFor(req.tXid, 'create'),
    );
    if (res.outcome.kind === 'success') {
      const body = readBody(this.#name, created, res);
      return { providerRef: body.referenceNo, redirectUrl: body.webRedirectUrl };
    }
    throw this.#refusal('create payment', res);
  }

  async checkStatus(tXid: string): Promise<WalletStatusResult> {
    const res = await this.#client.post(directDebitPaths.status, { originalPartnerReferenceNo: tXid, serviceCode: '54', merchantId: this.config.clientId }, randomExternalId());
    if (res.outcome.kind === 'not-found') return { state: 'NOT_FOUND' };
    if (res.outcome.kind !== 'success') throw this.#refusal('status', res);
    const s = readBody(this.#name, status, res);
    const state = walletStateOfSnapStatus(s.latestTransactionStatus);
    if (state === undefined) throw new WalletUnavailableError(`${this.#name} answered an unknown latestTransactionStatus ${s.latestTransactionStatus}`, res.status);
    if (state === 'NOT_FOUND') return { state };
    const amount = s.amount ?? s.transAmount;
    const reason = state === 'FAILED' || state === 'VOIDED' ? s.transactionStatusDesc : undefined;
    return {
      state,
      ...(amount ? { amount: fromSnap(amount) } : {}),
      ...(s.originalReferenceNo ? { providerRef: s.originalReferenceNo } : {}),
      ...(reason ? { reason } : {}),
    };
  }

  async voidPayment(tXid: string): Promise<VoidResult> {
    const res = await this.#client.post(directDebitPaths.cancel, { originalPartnerReferenceNo: tXid, merchantId: this.config.clientId, reason: 'not paid in time' }, externalIdFor(tXid, 'cancel'));
    if (res.outcome.kind === 'success' || res.outcome.kind === 'not-found') return { outcome: 'VOIDED' };
    const reusedId = res.outcome.kind === 'unknown' && res.outcome.code?.http === 409;
    if (res.outcome.kind === 'rejected' || reusedId) {
      // The standard has no code of its own for "already paid", and a repeated cancel may meet the same-day
      // X-EXTERNAL-ID check: either way the status says where the order stands.
      const now = await this.checkStatus(tXid);
      if (now.state === 'PAID') return { outcome: 'ALREADY_PAID' };
      if (now.state === 'VOIDED' || now.state === 'FAILED' || now.state === 'NOT_FOUND') return { outcome: 'VOIDED' };
    }
    throw this.#refusal('cancel', res);
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const res = await this.#client.post(
      directDebitPaths.refund,
      {
        originalPartnerReferenceNo: req.tXid,
        merchantId: this.config.clientId,
        partnerRefundNo: req.idempotencyKey,
        refundAmount: toSnap(req.amount),
        reason: req.reason.slice(0, 256),
      },
      externalIdFor(req.tXid, 'refund', req.idempotencyKey),
    );
    if (res.outcome.kind === 'success') return { outcome: 'REFUNDED', refundRef: readBody(this.#name, refunded, res).refundNo };
    throw this.#refusal('refund', res);
  }

  /** The wallet's notify (service 56), signed by the wallet over the path of the PAY_NOTIFY URL we gave it. */
  parseCallback(cb: RawCallback): WalletCallback {
    const timestamp = headerValue(cb.headers, 'x-timestamp');
    const rawBody = cb.rawBody.toString('utf8');
    const signed = verifyAsymmetricSignature(this.#publicKey, { method: 'POST', path: this.#notifyPath, timestamp, signature: headerValue(cb.headers, 'x-signature'), rawBody });
    if (!signed) throw new CallbackRejectedError(`bad ${this.#name} notify signature`);
    requireFresh(this.#name, parseSnapTimestamp(timestamp) ?? Number.NaN);
    const n = parseCallbackJson(this.#name, notify, cb.rawBody);
    if (n.merchantId !== undefined && n.merchantId !== this.config.clientId) throw new CallbackRejectedError(`${this.#name} notify for another merchant`, 400);
    const state = walletStateOfSnapStatus(n.latestTransactionStatus);
    if (state === undefined || state === 'NOT_FOUND') throw new CallbackRejectedError(`${this.#name} notify with latestTransactionStatus ${n.latestTransactionStatus}`, 400);
    const reason = state === 'FAILED' || state === 'VOIDED' ? n.transactionStatusDesc : undefined;
    const occurredAt = parseSnapTimestamp(n.finishedTime);
    return {
      tXid: n.originalPartnerReferenceNo,
      state,
      amount: fromSnap(n.amount),
      providerRef: n.originalReferenceNo,
      ...(reason ? { reason } : {}),
      ...(occurredAt !== undefined ? { occurredAt: new Date(occurredAt).toISOString() } : {}),
    };
  }

  /**
   * Refusals in our words: a bad signature or token is our configuration, not the order (unavailable: the workflow
   * asks the status rather than failing the payment); a bad field or business refusal is for good; anything
   * unreadable is an unknown outcome.
   */
  #refusal(what: string, res: SnapReply): Error {
    const o = res.outcome;
    switch (o.kind) {
      case 'rejected':
        return new WalletRejectedError(`${this.#name} refused ${what}: ${o.code.code} ${o.reason}`, o.reason);
      case 'unauthorized':
        return new WalletUnavailableError(`${this.#name} refused our credentials on ${what} (${o.code.code} ${o.reason})`, res.status);
      case 'not-found':
        return new WalletRejectedError(`${this.#name} does not know the transaction of ${what} (${o.code.code})`, `transaction not found at ${this.#name}`);
      case 'unknown':
        return new WalletUnavailableError(`${this.#name} ${what}: outcome unknown (${o.code?.code ?? `HTTP ${res.status}`} ${o.reason})`, res.status);
      case 'success':
      case 'in-progress':
        return new WalletUnavailableError(`${this.#name} ${what}: answered ${o.code.code} where a final answer was expected`, res.status);
    }
  }
}
