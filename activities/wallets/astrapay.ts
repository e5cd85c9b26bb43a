import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { WalletCredentials } from '../../domain/config.js';
import {
  CallbackRejectedError,
  WalletRejectedError,
  WalletUnavailableError,
  type AccountLinkProvider,
  type CreateLinkRequest,
  type CreateLinkResult,
  type CreatePaymentRequest,
  type CreatePaymentResult,
  type LinkCallback,
  type LinkStatusResult,
  type RawCallback,
  type RefundRequest,
  type RefundResult,
  type VoidResult,
  type WalletAdapter,
  type WalletCallback,
  type WalletPaymentState,
  type WalletStatusResult,
} from './adapter.js';
import { hmac, parseCallbackJson, requireFresh, requireSignature } from './callback-verify.js';
import { headerValue, readBody, walletRequest, type WalletHttpResponse } from './http.js';

/** AstraPay's payment statuses mapped to ours: the one table for this wallet. */
const stateOf: Record<AstraPayStatus, Exclude<WalletPaymentState, 'NOT_FOUND'>> = {
  PENDING: 'PENDING',
  SUCCESS: 'PAID',
  REFUNDED: 'PAID',
  FAILED: 'FAILED',
  CANCELLED: 'FAILED',
  VOIDED: 'VOIDED',
  EXPIRED: 'VOIDED',
};

/** Our reason when AstraPay gives none. */
const defaultReason: Partial<Record<AstraPayStatus, string>> = {
  CANCELLED: 'cancelled by the customer',
  EXPIRED: 'expired at the wallet',
};

const astraPayStatus = z.enum(['PENDING', 'SUCCESS', 'FAILED', 'CANCELLED', 'VOIDED', 'EXPIRED', 'REFUNDED']);
type AstraPayStatus = z.infer<typeof astraPayStatus>;
const linkStatus = z.enum(['PENDING', 'ACTIVE', 'FAILED', 'EXPIRED', 'REVOKED']);

const problem = z.object({ code: z.string(), message: z.string().optional() });
const created = z.object({ paymentId: z.string(), verificationUrl: z.string() });
const payment = z.object({ paymentId: z.string(), status: astraPayStatus, amount: z.number().int(), reason: z.string().optional() });
const refunded = z.object({ refundId: z.string() });
const linkCreated = z.object({ linkId: z.string(), registrationUrl: z.string() });
const link = z.object({ linkId: z.string(), status: linkStatus, accountToken: z.string().optional(), reason: z.string().optional() });

/** Every AstraPay callback (links and payments) says what it is about. */
const envelope = z.object({ type: z.string() });
const paymentCallback = z.object({
  type: z.literal('payment'),
  merchantTransId: z.string(),
  paymentId: z.string(),
  amount: z.number().int(),
  status: astraPayStatus,
  reason: z.string().optional(),
  eventTime: z.string().optional(),
});
const linkCallback = z.object({
  type: z.literal('account_link'),
  linkRequestId: z.string(),
  linkId: z.string(),
  status: z.enum(['ACTIVE', 'FAILED', 'EXPIRED']),
  accountToken: z.string().min(1).optional(),
  reason: z.string().optional(),
  eventTime: z.string().optional(),
});

const WALLET = 'AstraPay';

/**
 * AstraPay: the customer links an account once on AstraPay's registration page; each payment then runs on the
 * link's account token and is confirmed with the PIN on AstraPay's verification page (a redirect). Requests are
 * HMAC-signed, hex. The account token is a secret: it goes in request bodies only, never in a message.
 */
export class AstraPayAdapter implements WalletAdapter, AccountLinkProvider {
  readonly mitraCd = 'ASTR' as const;
  readonly flow = 'redirect' as const;

  constructor(private readonly config: WalletCredentials, private readonly fetchImpl: typeof fetch = fetch) {}

  // ---- payments ----

  async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    if (!req.accountToken) throw new WalletRejectedError('AstraPay payment without a linked account', 'no linked AstraPay account');
    const res = await this.call('POST', '/v1/payments', {
      idempotencyKey: req.tXid,
      body: {
        merchantTransId: req.tXid,
        accountToken: req.accountToken,
        amount: req.amount,
        description: req.goodsName,
        merchantName: req.merchantName,
        returnUrl: req.returnUrl,
        // Fixed by the workflow, never read from the clock here: a retried call must send the very same body.
        expiresAt: req.expiresAt,
      },
    });
    if (res.status === 200 || res.status === 201) {
      const body = readBody(WALLET, created, res);
      return { providerRef: body.paymentId, redirectUrl: body.verificationUrl };
    }
    throw this.refusal('create payment', res);
  }

  async checkStatus(tXid: string): Promise<WalletStatusResult> {
    const res = await this.call('GET', `/v1/payments/${encodeURIComponent(tXid)}`);
    if (res.status === 404) return { state: 'NOT_FOUND' };
    if (res.status !== 200) throw this.refusal('query payment', res);
    const p = readBody(WALLET, payment, res);
    const reason = p.reason ?? defaultReason[p.status];
    return { state: stateOf[p.status], amount: p.amount, providerRef: p.paymentId, ...(reason ? { reason } : {}) };
  }

  async voidPayment(tXid: string): Promise<VoidResult> {
    const res = await this.call('POST', `/v1/payments/${encodeURIComponent(tXid)}/void`);
    if (res.status === 200 || res.status === 404) return { outcome: 'VOIDED' };
    if (res.status === 409 && code(res) === 'ALREADY_PAID') return { outcome: 'ALREADY_PAID' };
    throw this.refusal('void payment', res);
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const res = await this.call('POST', `/v1/payments/${encodeURIComponent(req.tXid)}/refunds`, {
      idempotencyKey: req.idempotencyKey,
      body: { amount: req.amount, reason: req.reason },
    });
    if (res.status === 200 || res.status === 201) return { outcome: 'REFUNDED', refundRef: readBody(WALLET, refunded, res).refundId };
    throw this.refusal('refund', res);
  }

  parseCallback(cb: RawCallback): WalletCallback {
    const type = this.verifiedType(cb);
    if (type === 'account_link') throw new CallbackRejectedError('AstraPay callback is about an account link, not a payment', 400);
    const c = parseCallbackJson(WALLET, paymentCallback, cb.rawBody);
    const reason = c.reason ?? defaultReason[c.status];
    return {
      tXid: c.merchantTransId,
      state: stateOf[c.status],
      amount: c.amount,
      providerRef: c.paymentId,
      ...(reason ? { reason } : {}),
      ...(c.eventTime ? { occurredAt: c.eventTime } : {}),
    };
  }

  // ---- account links ----

  async createLink(req: CreateLinkRequest): Promise<CreateLinkResult> {
    const res = await this.call('POST', '/v1/account-links', {
      body: { linkRequestId: req.mandateID, phone: req.phone, name: req.name, email: req.email, returnUrl: req.returnUrl, expiresAt: req.expiresAt },
    });
    if (res.status === 200 || res.status === 201) {
      const body = readBody(WALLET, linkCreated, res);
      return { providerRef: body.linkId, registrationUrl: body.registrationUrl };
    }
    throw this.refusal('create account link', res);
  }

  async checkLink(mandateID: string): Promise<LinkStatusResult> {
    const res = await this.call('GET', `/v1/account-links/${encodeURIComponent(mandateID)}`);
    if (res.status === 404) return { state: 'NOT_FOUND' };
    if (res.status !== 200) throw this.refusal('query account link', res);
    const l = readBody(WALLET, link, res);
    return {
      state: l.status,
      providerRef: l.linkId,
      ...(l.status === 'ACTIVE' && l.accountToken ? { accountToken: l.accountToken } : {}),
      ...(l.reason ? { reason: l.reason } : {}),
    };
  }

  async revokeLink(mandateID: string): Promise<void> {
    const res = await this.call('POST', `/v1/account-links/${encodeURIComponent(mandateID)}/revoke`);
    if (res.status === 200 || res.status === 404) return;
    throw this.refusal('revoke account link', res);
  }

  parseLinkCallback(cb: RawCallback): LinkCallback | undefined {
    const type = this.verifiedType(cb);
    if (type === 'payment') return undefined;
    const c = parseCallbackJson(WALLET, linkCallback, cb.rawBody);
    if (c.status === 'ACTIVE' && c.accountToken === undefined) throw new CallbackRejectedError(`malformed ${WALLET} callback: accountToken`, 400);
    return {
      mandateID: c.linkRequestId,
      state: c.status,
      providerRef: c.linkId,
      ...(c.status === 'ACTIVE' && c.accountToken ? { accountToken: c.accountToken } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.eventTime ? { occurredAt: c.eventTime } : {}),
    };
  }

  /**
   * The signature (hex HMAC of `${timestamp}.${rawBody}`) and freshness of a callback, then its `type`:
   * `payment` or `account_link`; anything else is refused.
   */
  private verifiedType(cb: RawCallback): 'payment' | 'account_link' {
    const timestamp = headerValue(cb.headers, 'x-astrapay-timestamp') ?? '';
    const expected = hmac(this.config.callbackSecret, Buffer.concat([Buffer.from(`${timestamp}.`), cb.rawBody]), 'hex');
    requireSignature(WALLET, expected, headerValue(cb.headers, 'x-astrapay-signature'));
    requireFresh(WALLET, /^\d{1,12}$/.test(timestamp) ? Number(timestamp) * 1000 : Number.NaN);
    const { type } = parseCallbackJson(WALLET, envelope, cb.rawBody);
    if (type === 'payment' || type === 'account_link') return type;
    throw new CallbackRejectedError(`${WALLET} callback of an unknown type`, 400);
  }

  /** One signed call: `${METHOD}|${pathAndQuery}|${unix seconds}|${sha256hex(rawBody)}`, hex HMAC with the client secret. */
  private async call(method: 'GET' | 'POST', path: string, opts: { body?: unknown; idempotencyKey?: string } = {}): Promise<WalletHttpResponse> {
    const url = new URL(`${this.config.baseUrl.replace(/\/$/, '')}${path}`);
    const rawBody = opts.body === undefined ? '' : JSON.stringify(opts.body);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const bodyHash = createHash('sha256').update(rawBody).digest('hex');
    // Signed over the path and query as the URL will send them (percent-encoded ids included).
    const signature = hmac(this.config.clientSecret, `${method}|${url.pathname}${url.search}|${timestamp}|${bodyHash}`, 'hex');
    const headers: Record<string, string> = { 'x-astrapay-client': this.config.clientId, 'x-astrapay-timestamp': timestamp, 'x-astrapay-signature': signature };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.idempotencyKey !== undefined) headers['idempotency-key'] = opts.idempotencyKey;
    return walletRequest(url.toString(), { method, headers, ...(opts.body !== undefined ? { body: rawBody } : {}) }, this.fetchImpl);
  }

  /** A 4xx answer: our credentials (unavailable: fix the configuration, then retry) or a refusal for good. Never echoes request data. */
  private refusal(what: string, res: WalletHttpResponse): Error {
    const c = code(res) ?? `HTTP_${res.status}`;
    if (res.status === 401 || res.status === 403) return new WalletUnavailableError(`${WALLET} refused our credentials on ${what} (${c})`, res.status);
    return new WalletRejectedError(`${WALLET} refused ${what}: ${c}`, reasonFor(c, res));
  }
}

function code(res: WalletHttpResponse): string | undefined {
  const parsed = problem.safeParse(res.body);
  return parsed.success ? parsed.data.code : undefined;
}

function reasonFor(c: string, res: WalletHttpResponse): string {
  switch (c) {
    case 'INVALID_ACCOUNT_TOKEN':
      return 'the AstraPay account link is no longer active';
    case 'INVALID_PHONE':
      return 'the phone number is not a valid AstraPay phone number';
    case 'DUPLICATE_LINK_REQUEST':
      return 'the account link was already requested with other details';
    case 'DUPLICATE_PAYMENT':
    case 'IDEMPOTENCY_MISMATCH':
      return 'the payment was already requested with other details';
    case 'NOT_PAID':
      return 'payment is not paid';
    case 'REFUND_EXCEEDS':
      return 'refund exceeds the paid amount';
    case 'INVALID_REQUEST': {
      // The message names the field (`field: problem`); only the field name is kept, never a value.
      const field = /^([A-Za-z][\w.-]{0,63}):/.exec(problem.safeParse(res.body).data?.message ?? '')?.[1];
      return field ? `AstraPay refused the request parameters (${field})` : 'AstraPay refused the request parameters';
    }
    default:
      return c.toLowerCase().replace(/_/g, ' ');
  }
}
