import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { CallbackRejectedError, type CallbackVerifier, type RawCallback, type WalletCallback } from '../adapter.js';
import { parseCallbackJson, requireFresh } from '../callback-verify.js';
import { headerValue } from '../http.js';
import { fromSnapMoney, snapMoneyField } from './money.js';
import { verifyAsymmetricSignature } from './notify.js';
import { publicKeyOf, type PublicKeyInput } from './signature.js';
import { parseSnapTimestamp } from './timestamp.js';
import { walletStateOfSnapStatus } from './transaction-status.js';

/** The acknowledgement of a notify (service 56), the same at every SNAP wallet (DANA publishes it). */
export const snapNotifyAcknowledgement = { responseCode: '2005600', responseMessage: 'Successful' } as const;

/** What verifies one wallet's SNAP notifies: public values only. */
export interface SnapNotifyVerification {
  readonly mitraCd: string;
  /** For messages: `DANA`, `ShopeePay`. */
  readonly name: string;
  /** The wallet's public key. */
  readonly publicKey: PublicKeyInput;
  /** The gateway's notify URL as given to the wallet: the wallet signs its path. */
  readonly notifyUrl: string;
  /** The merchant id the gateway's orders carry: a notify naming another is not ours. */
  readonly merchantId: string;
  /** DANA always names the merchant in its notify; the standard leaves it optional. */
  readonly notifyNamesMerchant: boolean;
}

const notifyFields = {
  // Any string: an unknown transaction is the route's 404, not a malformed notify.
  originalPartnerReferenceNo: z.string(),
  originalReferenceNo: z.string(),
  amount: snapMoneyField,
  latestTransactionStatus: z.string(),
  transactionStatusDesc: z.string().optional(),
  finishedTime: z.string().optional(),
};
const notifyNamingMerchant = z.object({ ...notifyFields, merchantId: z.string() });
const notify = z.object({ ...notifyFields, merchantId: z.string().optional() });

/**
 * A SNAP wallet's notify (service 56): SHA256withRSA by the wallet over `POST:<our notify path>:sha256(body):X-TIMESTAMP`,
 * fresh, for our merchant id, with a known `latestTransactionStatus`.
 */
export class SnapNotifyVerifier implements CallbackVerifier {
  readonly mitraCd: string;
  readonly callbackAcknowledgement = snapNotifyAcknowledgement;
  protected readonly name: string;
  protected readonly merchantId: string;
  readonly #publicKey: KeyObject;
  readonly #notifyPath: string;
  readonly #notifyNamesMerchant: boolean;

  constructor(o: SnapNotifyVerification) {
    this.mitraCd = o.mitraCd;
    this.name = o.name;
    this.merchantId = o.merchantId;
    this.#publicKey = publicKeyOf(o.publicKey);
    this.#notifyPath = new URL(o.notifyUrl).pathname;
    this.#notifyNamesMerchant = o.notifyNamesMerchant;
  }

  parseCallback(cb: RawCallback): WalletCallback {
    this.verifySignature(cb);
    const n = parseCallbackJson(this.name, this.#notifyNamesMerchant ? notifyNamingMerchant : notify, cb.rawBody);
    this.requireOurs(n.merchantId);
    const state = walletStateOfSnapStatus(n.latestTransactionStatus);
    if (state === undefined || state === 'NOT_FOUND') throw new CallbackRejectedError(`${this.name} notify with latestTransactionStatus ${n.latestTransactionStatus}`, 400);
    const reason = state === 'FAILED' || state === 'VOIDED' ? n.transactionStatusDesc : undefined;
    const occurredAt = parseSnapTimestamp(n.finishedTime);
    return {
      tXid: n.originalPartnerReferenceNo,
      state,
      amount: fromSnapMoney(n.amount),
      providerRef: n.originalReferenceNo,
      ...(reason ? { reason } : {}),
      ...(occurredAt !== undefined ? { occurredAt: new Date(occurredAt).toISOString() } : {}),
    };
  }

  /** Signed by the wallet over our notify path, and fresh; throws `CallbackRejectedError` otherwise. */
  protected verifySignature(cb: RawCallback): void {
    const timestamp = headerValue(cb.headers, 'x-timestamp');
    const signed = verifyAsymmetricSignature(this.#publicKey, { method: 'POST', path: this.#notifyPath, timestamp, signature: headerValue(cb.headers, 'x-signature'), rawBody: cb.rawBody.toString('utf8') });
    if (!signed) throw new CallbackRejectedError(`bad ${this.name} notify signature`);
    requireFresh(this.name, parseSnapTimestamp(timestamp) ?? Number.NaN);
  }

  protected requireOurs(merchantId: string | undefined): void {
    if (merchantId !== undefined && merchantId !== this.merchantId) throw new CallbackRejectedError(`${this.name} notify for another merchant`, 400);
  }
}
