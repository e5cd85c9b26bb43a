import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { WalletCredentials } from '../../domain/config.js';
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
  type WalletPaymentState,
  type WalletStatusResult,
} from './adapter.js';
import { headerValue, readBody, walletRequest, type WalletHttpResponse } from './http.js';

export type OvoConfig = WalletCredentials;

/** OVO's statuses mapped to ours: the one table for this wallet. */
const stateOf: Record<OvoStatus, WalletPaymentState> = {
  PENDING: 'PENDING',
  SUCCESS: 'PAID',
  REFUNDED: 'PAID',
  DECLINED: 'FAILED',
  INSUFFICIENT_BALANCE: 'FAILED',
  VOIDED: 'VOIDED',
  EXPIRED: 'VOIDED',
};

const reasonOf: Partial<Record<OvoStatus, string>> = {
  DECLINED: 'declined by the customer',
  INSUFFICIENT_BALANCE: 'insufficient balance',
  EXPIRED: 'expired at the wallet',
};

const ovoStatus = z.enum(['PENDING', 'SUCCESS', 'DECLINED', 'INSUFFICIENT_BALANCE', 'VOIDED', 'EXPIRED', 'REFUNDED']);
type OvoStatus = z.infer<typeof ovoStatus>;

const ovoPayment = z.object({ paymentId: z.string(), merchantInvoice: z.string(), amount: z.number().int(), status: ovoStatus, reason: z.string().optional() });
const ovoError = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });
const ovoRefund = z.object({ refundId: z.string() });
const ovoCallback = z.object({
  event: z.literal('payment.updated'),
  paymentId: z.string(),
  merchantInvoice: z.string(),
  amount: z.number().int(),
  status: ovoStatus,
  reason: z.string().optional(),
  occurredAt: z.string().optional(),
});

const CALLBACK_MAX_AGE_MS = 10 * 60 * 1000;

/** OVO push payments: the customer approves a push in the OVO app. Requests are HMAC-signed (OVO's scheme). */
export class OvoAdapter implements WalletAdapter {
  readonly mitraCd = 'OVOE' as const;
  readonly flow = 'push' as const;

  constructor(private readonly config: OvoConfig, private readonly fetchImpl: typeof fetch = fetch) {}

  async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    const res = await this.call('POST', '/api/v1/payments', {
      body: {
        merchantInvoice: req.tXid,
        referenceNo: req.referenceNo,
        amount: req.amount,
        phone: req.phone,
        merchantName: req.merchantName,
        description: req.goodsName,
        expirySeconds: Math.ceil(req.expirySeconds),
      },
      idempotencyKey: req.tXid,
    });
    if (res.status === 200 || res.status === 201) return { providerRef: readBody('OVO', ovoPayment, res).paymentId };
    throw this.refusal('create payment', res);
  }

  async checkStatus(tXid: string): Promise<WalletStatusResult> {
    const res = await this.call('GET', `/api/v1/payments/${encodeURIComponent(tXid)}`);
    if (res.status === 404) return { state: 'NOT_FOUND' };
    if (res.status !== 200) throw this.refusal('status check', res);
    const p = readBody('OVO', ovoPayment, res);
    const reason = p.reason ?? reasonOf[p.status];
    return { state: stateOf[p.status], amount: p.amount, providerRef: p.paymentId, ...(reason ? { reason } : {}) };
  }

  async voidPayment(tXid: string): Promise<VoidResult> {
    const res = await this.call('POST', `/api/v1/payments/${encodeURIComponent(tXid)}/void`, { body: {} });
    if (res.status === 200 || res.status === 404) return { outcome: 'VOIDED' };
    if (res.status === 409 && errorCode(res) === 'ALREADY_PAID') return { outcome: 'ALREADY_PAID' };
    throw this.refusal('void', res);
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const res = await this.call('POST', `/api/v1/payments/${encodeURIComponent(req.tXid)}/refunds`, {
      body: { amount: req.amount, reason: req.reason },
      idempotencyKey: req.idempotencyKey,
    });
    if (res.status === 200 || res.status === 201) return { outcome: 'REFUNDED', refundRef: readBody('OVO', ovoRefund, res).refundId };
    throw this.refusal('refund', res);
  }

  parseCallback(cb: RawCallback): WalletCallback {
    const timestamp = headerValue(cb.headers, 'x-callback-timestamp');
    const signature = headerValue(cb.headers, 'x-callback-signature');
    if (!timestamp || !signature) throw new CallbackRejectedError('missing OVO callback signature headers');
    const expected = createHmac('sha256', this.config.callbackSecret).update(`${timestamp}.`).update(cb.rawBody).digest();
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new CallbackRejectedError('bad OVO callback signature');
    if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() - Number(timestamp)) > CALLBACK_MAX_AGE_MS) {
      throw new CallbackRejectedError('OVO callback timestamp too old or in the future');
    }
    let json: unknown;
    try {
      json = JSON.parse(cb.rawBody.toString('utf8'));
    } catch {
      throw new CallbackRejectedError('OVO callback body is not JSON', 400);
    }
    const parsed = ovoCallback.safeParse(json);
    if (!parsed.success) throw new CallbackRejectedError(`malformed OVO callback: ${parsed.error.issues[0]?.path.join('.') ?? 'body'}`, 400);
    const c = parsed.data;
    const state = stateOf[c.status];
    if (state === 'NOT_FOUND') throw new CallbackRejectedError('impossible status', 400);
    const reason = c.reason ?? reasonOf[c.status];
    return {
      tXid: c.merchantInvoice,
      state,
      amount: c.amount,
      providerRef: c.paymentId,
      ...(reason ? { reason } : {}),
      ...(c.occurredAt ? { occurredAt: c.occurredAt } : {}),
    };
  }

  private async call(method: 'GET' | 'POST', path: string, opts: { body?: unknown; idempotencyKey?: string } = {}): Promise<WalletHttpResponse> {
    const url = new URL(`${this.config.baseUrl.replace(/\/$/, '')}${path}`);
    const rawBody = opts.body === undefined ? '' : JSON.stringify(opts.body);
    const timestamp = String(Date.now());
    const bodyHash = createHash('sha256').update(rawBody).digest('hex');
    const signature = createHmac('sha256', this.config.clientSecret)
      .update(`${method}\n${url.pathname}${url.search}\n${timestamp}\n${bodyHash}`)
      .digest('hex');
    const headers: Record<string, string> = { 'x-client-id': this.config.clientId, 'x-timestamp': timestamp, 'x-signature': signature };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    return walletRequest(url.toString(), { method, headers, ...(opts.body !== undefined ? { body: rawBody } : {}) }, this.fetchImpl);
  }


  private refusal(what: string, res: WalletHttpResponse): Error {
    const code = errorCode(res) ?? `HTTP_${res.status}`;
    if (res.status === 401 || res.status === 403) return new WalletUnavailableError(`OVO refused our credentials on ${what} (${code})`, res.status);
    return new WalletRejectedError(`OVO refused ${what}: ${code}`, reasonFor(code));
  }
}

function errorCode(res: WalletHttpResponse): string | undefined {
  const parsed = ovoError.safeParse(res.body);
  return parsed.success ? parsed.data.error.code : undefined;
}

function reasonFor(code: string): string {
  switch (code) {
    case 'INVALID_PHONE':
      return 'billingPhone is not an OVO account';
    case 'REFUND_EXCEEDS':
      return 'refund exceeds the paid amount';
    case 'NOT_PAID':
      return 'payment is not paid';
    default:
      return code.toLowerCase().replace(/_/g, ' ');
  }
}
