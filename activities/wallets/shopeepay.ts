import { randomUUID } from 'node:crypto';
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
import { hmac, parseCallbackJson, requireFresh, requireSignature } from './callback-verify.js';
import { headerValue, walletRequest } from './http.js';

/** ShopeePay's transaction statuses (check API) mapped to ours: the one table for this wallet. */
const stateOfTransaction: Record<number, Exclude<WalletPaymentState, 'NOT_FOUND'>> = {
  1: 'PENDING',
  2: 'PENDING',
  3: 'PAID',
  4: 'FAILED',
  5: 'FAILED',
  6: 'VOIDED',
  7: 'PAID',
};
/** ShopeePay's callback `payment_status` mapped to ours. */
const stateOfCallback: Record<number, Exclude<WalletPaymentState, 'NOT_FOUND'>> = { 0: 'PENDING', 1: 'PAID', 2: 'FAILED', 3: 'FAILED' };

/** Business errors come back as HTTP 200 with a non-zero errcode (ShopeePay's convention). */
const ErrCode = { Ok: 0, Duplicate: 7, AlreadySuccessful: 9, NotFound: 11 } as const;

const envelope = z.object({ errcode: z.number().int(), debug_msg: z.string().optional() });
const created = envelope.extend({ redirect_url_http: z.string(), transaction_sn: z.string() });
const checked = envelope.extend({
  transaction: z.object({ transaction_sn: z.string(), amount: z.number().int(), status: z.number().int(), reason: z.string().optional() }),
});
const refunded = envelope.extend({ refund: z.object({ refund_reference_id: z.string() }) });
const callback = z.object({
  payment_reference_id: z.string(),
  transaction_sn: z.string(),
  amount: z.number().int(),
  payment_status: z.number().int().refine((s) => s in stateOfCallback, 'unknown payment_status'),
  reason: z.string().optional(),
  updated_at: z.number().optional(),
});

/** ShopeePay amounts are hundredths of a rupiah. */
/** ShopeePay counts hundredths. Never rounded back: 1499950 is 14999.5 rupiah, which no whole-rupiah order matches. */
const toCents = (rupiah: number) => Math.round(rupiah * 100);
const fromCents = (cents: number) => cents / 100;

/** ShopeePay: redirect checkout; the request body is signed (base64 HMAC); errors travel in `errcode`. */
export class ShopeePayAdapter implements WalletAdapter {
  readonly mitraCd = 'ESHP' as const;
  readonly flow = 'redirect' as const;

  constructor(private readonly config: WalletCredentials, private readonly fetchImpl: typeof fetch = fetch) {}

  async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    const body = await this.call('/v3/merchant-host/order/create', {
      payment_reference_id: req.tXid,
      merchant_ext_id: this.config.clientId,
      store_ext_id: 'ewallet-gateway',
      amount: toCents(req.amount),
      currency: 'IDR',
      return_url: req.returnUrl,
      expiry_time: Math.floor(Date.parse(req.expiresAt) / 1000),
      additional_info: { merchant_name: req.merchantName, description: req.goodsName, phone: req.phone },
    });
    const ok = this.expect(created, body, 'create order');
    return { providerRef: ok.transaction_sn, redirectUrl: ok.redirect_url_http };
  }

  async checkStatus(tXid: string): Promise<WalletStatusResult> {
    const body = await this.call('/v3/merchant-host/transaction/check', { reference_id: tXid, transaction_type: 13 });
    if (errcode(body) === ErrCode.NotFound) return { state: 'NOT_FOUND' };
    const t = this.expect(checked, body, 'check transaction').transaction;
    const state = stateOfTransaction[t.status];
    if (!state) throw new WalletUnavailableError(`ShopeePay answered an unknown transaction status ${t.status}`);
    const reason = t.reason ?? (t.status === 5 ? 'cancelled by the customer' : undefined);
    return { state, amount: fromCents(t.amount), providerRef: t.transaction_sn, ...(reason ? { reason } : {}) };
  }

  async voidPayment(tXid: string): Promise<VoidResult> {
    const body = await this.call('/v3/merchant-host/transaction/void/create', { reference_id: tXid, void_reference_id: `void-${tXid}` });
    const code = errcode(body);
    if (code === ErrCode.Ok || code === ErrCode.NotFound) return { outcome: 'VOIDED' };
    if (code === ErrCode.AlreadySuccessful) return { outcome: 'ALREADY_PAID' };
    throw refusal('void', body);
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const body = await this.call('/v3/merchant-host/transaction/refund/create', { reference_id: req.tXid, refund_reference_id: req.idempotencyKey, amount: toCents(req.amount) });
    return { outcome: 'REFUNDED', refundRef: this.expect(refunded, body, 'refund').refund.refund_reference_id };
  }

  parseCallback(cb: RawCallback): WalletCallback {
    requireSignature('ShopeePay', hmac(this.config.callbackSecret, cb.rawBody, 'base64'), headerValue(cb.headers, 'x-airpay-req-h'));
    const c = parseCallbackJson('ShopeePay', callback, cb.rawBody);
    // Its signature covers only the body, so the event time inside it is what dates the callback: a replay is refused.
    requireFresh('ShopeePay', c.updated_at === undefined ? Number.NaN : c.updated_at * 1000);
    const state = stateOfCallback[c.payment_status] ?? 'PENDING';
    const reason = c.reason || (c.payment_status === 3 ? 'cancelled by the customer' : undefined);
    return {
      tXid: c.payment_reference_id,
      state,
      amount: fromCents(c.amount),
      providerRef: c.transaction_sn,
      ...(reason ? { reason } : {}),
      ...(c.updated_at !== undefined ? { occurredAt: new Date(c.updated_at * 1000).toISOString() } : {}),
    };
  }

  private async call(path: string, fields: Record<string, unknown>): Promise<unknown> {
    const rawBody = JSON.stringify({ request_id: randomUUID(), ...fields });
    const res = await walletRequest(
      `${this.config.baseUrl.replace(/\/$/, '')}${path}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-airpay-clientid': this.config.clientId, 'x-airpay-req-h': hmac(this.config.clientSecret, rawBody, 'base64') },
        body: rawBody,
      },
      this.fetchImpl,
    );
    if (res.status === 401 || res.status === 403) throw new WalletUnavailableError(`ShopeePay refused our credentials (HTTP ${res.status})`, res.status);
    if (res.status !== 200) throw new WalletUnavailableError(`ShopeePay answered HTTP ${res.status}`, res.status);
    return res.body;
  }

  private expect<T extends { errcode: number }>(schema: z.ZodType<T>, body: unknown, what: string): T {
    if (errcode(body) !== ErrCode.Ok) throw refusal(what, body);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new WalletUnavailableError(`ShopeePay answered ${what} with an unexpected body`);
    return parsed.data;
  }
}

function errcode(body: unknown): number | undefined {
  const parsed = envelope.safeParse(body);
  return parsed.success ? parsed.data.errcode : undefined;
}

function refusal(what: string, body: unknown): Error {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) return new WalletUnavailableError(`ShopeePay answered ${what} with an unexpected body`);
  const message = parsed.data.debug_msg ?? `errcode ${parsed.data.errcode}`;
  return new WalletRejectedError(`ShopeePay refused ${what}: errcode ${parsed.data.errcode} (${message})`, message);
}
