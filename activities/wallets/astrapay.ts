import { z } from 'zod';
import type { WalletEndpoint } from '../../domain/wallet-settings.js';
import {
  WalletRejectedError,
  type AccountLinkProvider,
  type CreateLinkRequest,
  type CreateLinkResult,
  type CreatePaymentRequest,
  type CreatePaymentResult,
  type LinkStatusResult,
} from './adapter.js';
import { readBody } from './http.js';
import { SnapDirectDebitAdapter, type SymmetricCredentials } from './snap/direct-debit-adapter.js';
import { externalIdFor, randomExternalId } from './snap/external-id.js';
import { snapTimestamp } from './snap/timestamp.js';

/** SNAP account binding's standard paths (WALLET-APIS.md; NICEPAY documents them for `ASTR`), signed exactly so. */
export const bindingPaths = {
  bind: '/v1.0/registration-account-binding',
  inquiry: '/v1.0/registration-account-inquiry',
  unbind: '/v1.0/registration-account-unbinding',
} as const;

const WALLET = 'AstraPay';
const REMARK_MAX = 256;
/** `X-DEVICE-ID` of a call on a bound account: the gateway's server (the standard asks for the device making the call). */
const DEVICE_ID = 'ewallet-gateway';

/** A binding's status in `additionalInfo.bindingStatus` (the standard has no field for it; REVOKED: unbound). */
const bindingStatus = z.enum(['PENDING', 'ACTIVE', 'FAILED', 'EXPIRED', 'REVOKED']);

const bound = z.object({ referenceNo: z.string().min(1), redirectUrl: z.string().min(1) });
const inquiry = z.object({
  referenceNo: z.string().optional(),
  accessToken: z.string().min(1).optional(),
  additionalInfo: z.object({ bindingStatus, reason: z.string().optional() }),
});
const redirected = z.object({ referenceNo: z.string().min(1), webRedirectUrl: z.string().min(1) });

/**
 * AstraPay on SNAP, as NICEPAY documents it for `ASTR`: the customer's account is bound once (account binding 07,
 * registration page with OTP, result by notify carrying the customer token), then each payment is SNAP Direct Debit on
 * the bound account with `Authorization-Customer: Bearer <customer token>`, confirmed with the PIN on AstraPay's page.
 * Status, cancel, refund and the payment notify are the Direct Debit adapter's. The customer token is a secret: it
 * travels in that header only, never in a message.
 */
export class AstraPayAdapter extends SnapDirectDebitAdapter implements AccountLinkProvider {
  /** `mitraCd`: NICEPAY's for AstraPay, which its binding calls carry in `additionalInfo` (as NICEPAY documents). */
  constructor(mitraCd: string, endpoint: WalletEndpoint, credentials: SymmetricCredentials, fetchImpl: typeof fetch = fetch) {
    super({ mitraCd, name: WALLET }, endpoint, credentials, fetchImpl);
  }

  // ---- payments on a bound account ----

  override async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    if (!req.accountToken) throw new WalletRejectedError('AstraPay payment without a linked account', 'no linked AstraPay account');
    // The account, and so the phone, is the bound one: the customer token names it.
    const res = await this.postOrder(req, 'PAY_NOTIFY', { mitraCd: this.mitraCd, remark: req.goodsName.slice(0, REMARK_MAX) }, customerHeaders(req.accountToken));
    if (res.outcome.kind === 'success') {
      const body = readBody(this.name, redirected, res);
      return { providerRef: body.referenceNo, redirectUrl: body.webRedirectUrl };
    }
    // 401xx02: the customer token is no longer valid (unbound at AstraPay): the payment cannot run on this link.
    if (res.outcome.kind === 'unauthorized' && res.outcome.code.case === '02') {
      throw new WalletRejectedError(`${WALLET} refused the customer token on create payment (${res.outcome.code.code})`, 'the AstraPay account link is no longer active');
    }
    throw this.refusal('create payment', res);
  }

  // ---- account binding ----

  async createLink(req: CreateLinkRequest): Promise<CreateLinkResult> {
    const res = await this.client.post(
      bindingPaths.bind,
      {
        partnerReferenceNo: req.mandateID,
        merchantId: this.merchantId,
        phoneNo: req.phone,
        additionalData: { userId: req.name, email: req.email },
        // `validUpTo` is the gateway's: neither the standard nor NICEPAY has a field for a binding's deadline.
        additionalInfo: { mitraCd: this.mitraCd, callbackUrl: req.returnUrl, validUpTo: snapTimestamp(Date.parse(req.expiresAt)) },
      },
      externalIdFor(req.mandateID, 'bind'),
    );
    if (res.outcome.kind === 'success') {
      const body = readBody(this.name, bound, res);
      return { providerRef: body.referenceNo, registrationUrl: body.redirectUrl };
    }
    throw this.refusal('account binding', res);
  }

  async checkLink(mandateID: string): Promise<LinkStatusResult> {
    const res = await this.client.post(bindingPaths.inquiry, { partnerReferenceNo: mandateID, merchantId: this.merchantId, additionalInfo: { mitraCd: this.mitraCd } }, randomExternalId());
    if (res.outcome.kind === 'not-found') return { state: 'NOT_FOUND' };
    if (res.outcome.kind !== 'success') throw this.refusal('binding inquiry', res);
    const b = readBody(this.name, inquiry, res);
    const state = b.additionalInfo.bindingStatus;
    return {
      state,
      ...(b.referenceNo ? { providerRef: b.referenceNo } : {}),
      ...(state === 'ACTIVE' && b.accessToken ? { accountToken: b.accessToken } : {}),
      ...(b.additionalInfo.reason ? { reason: b.additionalInfo.reason } : {}),
    };
  }

  /**
   * Unbinds with the binding's customer token, which the workflow keeps sealed and the activity does not pass: the
   * inquiry gives it. A binding AstraPay does not know, or one without a token (never activated), needs nothing more.
   */
  async revokeLink(mandateID: string): Promise<void> {
    const now = await this.checkLink(mandateID);
    if (now.state === 'NOT_FOUND' || now.state === 'REVOKED') return;
    const res = await this.client.post(
      bindingPaths.unbind,
      { partnerReferenceNo: mandateID, merchantId: this.merchantId, additionalInfo: { mitraCd: this.mitraCd, ...(now.providerRef ? { referenceNo: now.providerRef } : {}) } },
      externalIdFor(mandateID, 'unbind'),
      now.accountToken ? customerHeaders(now.accountToken) : undefined,
    );
    if (res.outcome.kind === 'success' || res.outcome.kind === 'not-found') return;
    throw this.refusal('unbinding', res);
  }
}

/** The headers of a call on a bound account (SNAP): the customer token, and the device the call comes from. */
function customerHeaders(customerToken: string): Record<string, string> {
  return { 'Authorization-Customer': `Bearer ${customerToken}`, 'X-DEVICE-ID': DEVICE_ID };
}
