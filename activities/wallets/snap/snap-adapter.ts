import { z } from 'zod';
import type { ApprovalFlow } from '../../../domain/wallets.js';
import {
  WalletRejectedError,
  WalletUnavailableError,
  type CreatePaymentRequest,
  type CreatePaymentResult,
  type RefundRequest,
  type RefundResult,
  type VoidResult,
  type WalletAdapter,
  type WalletStatusResult,
} from '../adapter.js';
import { readBody } from '../http.js';
import { SnapClient, type SnapClientOptions, type SnapReply } from './client.js';
import { externalIdFor, randomExternalId } from './external-id.js';
import { fromSnapMoney, snapMoneyField, toSnapMoney } from './money.js';
import { snapTimestamp } from './timestamp.js';
import { walletStateOfSnapStatus } from './transaction-status.js';


/** Where one wallet publishes the four calls, signed exactly as written here (no base-URL prefix). */
export interface SnapPaths {
  readonly create: string;
  readonly status: string;
  readonly cancel: string;
  readonly refund: string;
}

export interface SnapAdapterOptions {
  readonly mitraCd: string;
  /** For messages: `DANA`, `ShopeePay`. */
  readonly name: string;
  readonly flow: ApprovalFlow;
  readonly paths: SnapPaths;
  /** The body's `merchantId`: DANA's merchant id; the client id at the Direct Debit wallets. */
  readonly merchantId: string;
  /** The client: every option but the wallet's name, which is `name`. */
  readonly client: Omit<SnapClientOptions, 'wallet'>;
  /** The gateway's notify URL, given to the wallet with every order. */
  readonly notifyUrl: string;
}

const status = z.object({
  latestTransactionStatus: z.string(),
  originalReferenceNo: z.string().optional(),
  transactionStatusDesc: z.string().optional(),
  amount: snapMoneyField.optional(),
  transAmount: snapMoneyField.optional(),
});
const refunded = z.object({ refundNo: z.string().min(1) });
/**
 * What every SNAP wallet does alike (DANA's Payment Gateway and SNAP Direct Debit): status (55), cancel (57), refund
 * (58), the notify (56) verified with the wallet's public key over the gateway's own notify path, and the refusals
 * read into our errors. A wallet adds its create call, whose body is where they differ. `X-EXTERNAL-ID` of a
 * money-moving call is derived from the call, so a retry is recognisably the same call at the wallet.
 */
export abstract class SnapAdapter implements WalletAdapter {
  readonly mitraCd: string;
  readonly flow: ApprovalFlow;
  protected readonly name: string;
  protected readonly client: SnapClient;
  protected readonly merchantId: string;
  protected readonly paths: SnapPaths;
  protected readonly notifyUrl: string;

  constructor(o: SnapAdapterOptions) {
    this.mitraCd = o.mitraCd;
    this.flow = o.flow;
    this.name = o.name;
    this.paths = o.paths;
    this.merchantId = o.merchantId;
    this.client = new SnapClient({ ...o.client, wallet: o.name });
    this.notifyUrl = o.notifyUrl;
  }

  abstract createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult>;

  /**
   * POSTs the create call (54): the order fields every SNAP wallet shares, then the wallet's `additionalInfo`.
   * `notifyType` is the wallet's word for the notify URL (DANA `NOTIFICATION`, the standard `PAY_NOTIFY`).
   */
  protected postOrder(req: CreatePaymentRequest, notifyType: string, additionalInfo: object, extraHeaders?: Readonly<Record<string, string>>): Promise<SnapReply> {
    return this.client.post(
      this.paths.create,
      {
        partnerReferenceNo: req.tXid,
        merchantId: this.merchantId,
        amount: toSnapMoney(req.amount),
        // Fixed by the workflow, never read from the clock here: a retried call must send the very same body.
        validUpTo: snapTimestamp(Date.parse(req.expiresAt)),
        urlParams: [
          { url: req.returnUrl, type: 'PAY_RETURN', isDeeplink: 'N' },
          { url: this.notifyUrl, type: notifyType, isDeeplink: 'N' },
        ],
        additionalInfo,
      },
      // One submission of the payment is one logical call: its retries send this very body (the workflow fixes the
      // deadline) and so this id. A later submission after "nothing was charged" has a new deadline, so a new body: it
      // needs a new id, or the wallet's same-day X-EXTERNAL-ID check would refuse it (409xx00) all day.
      externalIdFor(req.tXid, 'create', req.expiresAt),
      extraHeaders,
    );
  }

  async checkStatus(tXid: string): Promise<WalletStatusResult> {
    const res = await this.client.post(this.paths.status, { originalPartnerReferenceNo: tXid, serviceCode: '54', merchantId: this.merchantId }, randomExternalId());
    if (res.outcome.kind === 'not-found') return { state: 'NOT_FOUND' };
    if (res.outcome.kind !== 'success') throw this.refusal('status', res);
    const s = readBody(this.name, status, res);
    const state = walletStateOfSnapStatus(s.latestTransactionStatus);
    if (state === undefined) throw new WalletUnavailableError(`${this.name} answered an unknown latestTransactionStatus ${s.latestTransactionStatus}`, res.status);
    if (state === 'NOT_FOUND') return { state };
    const amount = s.amount ?? s.transAmount;
    const reason = state === 'FAILED' || state === 'VOIDED' ? s.transactionStatusDesc : undefined;
    return {
      state,
      ...(amount ? { amount: fromSnapMoney(amount) } : {}),
      ...(s.originalReferenceNo ? { providerRef: s.originalReferenceNo } : {}),
      ...(reason ? { reason } : {}),
    };
  }

  async voidPayment(tXid: string): Promise<VoidResult> {
    const res = await this.client.post(this.paths.cancel, { originalPartnerReferenceNo: tXid, merchantId: this.merchantId, reason: 'not paid in time' }, externalIdFor(tXid, 'cancel'));
    if (res.outcome.kind === 'success' || res.outcome.kind === 'not-found') return { outcome: 'VOIDED' };
    const reusedId = res.outcome.kind === 'unknown' && res.outcome.code?.http === 409;
    if (res.outcome.kind === 'rejected' || reusedId) {
      // SNAP has no code of its own for "already paid", and a repeated cancel may meet the same-day X-EXTERNAL-ID
      // check: either way the status says where the order stands.
      const now = await this.checkStatus(tXid);
      if (now.state === 'PAID') return { outcome: 'ALREADY_PAID' };
      if (now.state === 'VOIDED' || now.state === 'FAILED' || now.state === 'NOT_FOUND') return { outcome: 'VOIDED' };
    }
    throw this.refusal('cancel', res);
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const res = await this.client.post(
      this.paths.refund,
      {
        originalPartnerReferenceNo: req.tXid,
        merchantId: this.merchantId,
        partnerRefundNo: req.idempotencyKey,
        refundAmount: toSnapMoney(req.amount),
        reason: req.reason.slice(0, 256),
      },
      externalIdFor(req.tXid, 'refund', req.idempotencyKey),
    );
    if (res.outcome.kind === 'success') return { outcome: 'REFUNDED', refundRef: readBody(this.name, refunded, res).refundNo };
    throw this.refusal('refund', res);
  }

  /**
   * Refusals in our words: a bad signature or token is our configuration, not the order (unavailable: the workflow
   * asks the status rather than failing the payment); a bad field, an inconsistent request or a business refusal is
   * for good; anything unreadable is an unknown outcome.
   */
  protected refusal(what: string, res: SnapReply): Error {
    const o = res.outcome;
    switch (o.kind) {
      case 'rejected':
        return new WalletRejectedError(`${this.name} refused ${what}: ${o.code.code} ${o.reason}`, o.reason);
      case 'unauthorized':
        return new WalletUnavailableError(`${this.name} refused our credentials on ${what} (${o.code.code} ${o.reason})`, res.status);
      case 'not-found':
        return new WalletRejectedError(`${this.name} does not know the transaction of ${what} (${o.code.code})`, `transaction not found at ${this.name}`);
      case 'unknown':
        return new WalletUnavailableError(`${this.name} ${what}: outcome unknown (${o.code?.code ?? `HTTP ${res.status}`} ${o.reason})`, res.status);
      case 'success':
      case 'in-progress':
        return new WalletUnavailableError(`${this.name} ${what}: answered ${o.code.code} where a final answer was expected`, res.status);
    }
  }
}
