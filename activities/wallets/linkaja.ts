import { z } from 'zod';
import type { WalletCredentials } from '../../domain/config.js';
import {
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
  type WalletPaymentState,
  type WalletStatusResult,
} from './adapter.js';
import { hmac, parseCallbackFields, requireFresh, requireSignature } from './callback-verify.js';
import { readBody, walletRequest, type WalletHttpResponse } from './http.js';

/** LinkAja's transaction statuses mapped to ours: the one table for this wallet. */
const stateOf: Record<LinkAjaStatus, Exclude<WalletPaymentState, 'NOT_FOUND'>> = {
  PENDING: 'PENDING',
  PAID: 'PAID',
  REFUNDED: 'PAID',
  FAILED: 'FAILED',
  CANCELLED: 'FAILED',
  VOIDED: 'VOIDED',
  EXPIRED: 'VOIDED',
};

const linkAjaStatus = z.enum(['PENDING', 'PAID', 'FAILED', 'CANCELLED', 'VOIDED', 'EXPIRED', 'REFUNDED']);
type LinkAjaStatus = z.infer<typeof linkAjaStatus>;
const answer = z.object({ status: z.string(), message: z.string().optional() });
const token = z.object({ access_token: z.string(), expires_in: z.number() });
const created = answer.extend({ refNum: z.string(), checkoutUrl: z.string() });
const inquiry = answer.extend({ refNum: z.string(), total: z.coerce.number(), trxStatus: linkAjaStatus, reason: z.string().optional() });
const refunded = answer.extend({ refundRefNum: z.string() });
const callback = z.object({
  trxId: z.string(),
  refNum: z.string(),
  total: z.coerce.number().int(),
  status: z.enum(['PAID', 'FAILED', 'CANCELLED', 'PENDING']),
  reason: z.string().optional(),
  eventTime: z.string(),
  signature: z.string(),
});

/** A token is renewed this long before LinkAja says it expires. */
const TOKEN_MARGIN_MS = 30_000;

/** LinkAja: redirect checkout; OAuth2 client-credentials bearer tokens, form bodies, callbacks signed in the body. */
export class LinkAjaAdapter implements WalletAdapter {
  readonly mitraCd = 'LINK' as const;
  readonly flow = 'redirect' as const;
  #token: { value: string; until: number } | undefined;

  constructor(private readonly config: WalletCredentials, private readonly fetchImpl: typeof fetch = fetch) {}

  async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    const res = await this.call('POST', '/api/v1/checkout', {
      trxId: req.tXid,
      total: String(req.amount),
      msisdn: req.phone,
      merchantName: req.merchantName,
      items: JSON.stringify([{ name: req.goodsName, price: req.amount, qty: 1 }]),
      successUrl: req.returnUrl,
      failedUrl: req.returnUrl,
      expiredSeconds: String(Math.ceil(req.expirySeconds)),
    });
    if (res.status !== 200) throw this.refusal('checkout', res);
    const body = readBody('LinkAja', created, res);
    return { providerRef: body.refNum, redirectUrl: body.checkoutUrl };
  }

  async checkStatus(tXid: string): Promise<WalletStatusResult> {
    const res = await this.call('GET', `/api/v1/checkout/${encodeURIComponent(tXid)}`);
    if (res.status === 404) return { state: 'NOT_FOUND' };
    if (res.status !== 200) throw this.refusal('inquiry', res);
    const t = readBody('LinkAja', inquiry, res);
    const reason = t.reason || (t.trxStatus === 'CANCELLED' ? 'cancelled by the customer' : undefined);
    return { state: stateOf[t.trxStatus], amount: t.total, providerRef: t.refNum, ...(reason ? { reason } : {}) };
  }

  async voidPayment(tXid: string): Promise<VoidResult> {
    const res = await this.call('POST', `/api/v1/checkout/${encodeURIComponent(tXid)}/cancel`, {});
    if (res.status === 200 || res.status === 404) return { outcome: 'VOIDED' };
    if (res.status === 409 && code(res) === '21') return { outcome: 'ALREADY_PAID' };
    throw this.refusal('cancel', res);
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const res = await this.call('POST', `/api/v1/checkout/${encodeURIComponent(req.tXid)}/refund`, { refundId: req.idempotencyKey, amount: String(req.amount), reason: req.reason });
    if (res.status !== 200) throw this.refusal('refund', res);
    return { outcome: 'REFUNDED', refundRef: readBody('LinkAja', refunded, res).refundRefNum };
  }

  parseCallback(cb: RawCallback): WalletCallback {
    const fields = Object.fromEntries(new URLSearchParams(cb.rawBody.toString('utf8')));
    const c = parseCallbackFields('LinkAja', callback, fields);
    requireSignature('LinkAja', hmac(this.config.callbackSecret, `${c.trxId}|${c.refNum}|${fields.total}|${c.status}|${c.eventTime}`, 'hex'), c.signature);
    requireFresh('LinkAja', Date.parse(c.eventTime));
    const reason = c.reason || (c.status === 'CANCELLED' ? 'cancelled by the customer' : undefined);
    return { tXid: c.trxId, state: stateOf[c.status], amount: c.total, providerRef: c.refNum, occurredAt: c.eventTime, ...(reason ? { reason } : {}) };
  }

  private async call(method: 'GET' | 'POST', path: string, form?: Record<string, string>, retried = false): Promise<WalletHttpResponse> {
    const res = await walletRequest(
      `${this.config.baseUrl.replace(/\/$/, '')}${path}`,
      {
        method,
        headers: { authorization: `Bearer ${await this.accessToken()}`, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      },
      this.fetchImpl,
    );
    // A token LinkAja forgot (a restart on its side) is renewed once.
    if (res.status === 401 && !retried) {
      this.#token = undefined;
      return this.call(method, path, form, true);
    }
    return res;
  }

  private async accessToken(): Promise<string> {
    if (this.#token && this.#token.until > Date.now()) return this.#token.value;
    const res = await walletRequest(
      `${this.config.baseUrl.replace(/\/$/, '')}/oauth/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.config.clientId, client_secret: this.config.clientSecret }).toString(),
      },
      this.fetchImpl,
    );
    if (res.status !== 200) throw new WalletUnavailableError(`LinkAja refused our client credentials (HTTP ${res.status})`, res.status);
    const t = readBody('LinkAja', token, res);
    this.#token = { value: t.access_token, until: Date.now() + t.expires_in * 1000 - TOKEN_MARGIN_MS };
    return t.access_token;
  }


  private refusal(what: string, res: WalletHttpResponse): Error {
    const c = code(res) ?? `HTTP ${res.status}`;
    if (res.status === 401 || res.status === 403) return new WalletUnavailableError(`LinkAja refused our token on ${what}`, res.status);
    const message = answer.safeParse(res.body).data?.message ?? c;
    return new WalletRejectedError(`LinkAja refused ${what}: ${c} (${message})`, message);
  }
}

function code(res: WalletHttpResponse): string | undefined {
  return answer.safeParse(res.body).data?.status;
}
