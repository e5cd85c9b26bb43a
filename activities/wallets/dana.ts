import { createHash, randomUUID } from 'node:crypto';
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
import { headerValue, readBody, walletRequest, type WalletHttpResponse } from './http.js';

/** DANA's order statuses mapped to ours: the one table for this wallet. */
const stateOf: Record<DanaStatus, Exclude<WalletPaymentState, 'NOT_FOUND'>> = {
  INIT: 'PENDING',
  SUCCESS: 'PAID',
  REFUNDED: 'PAID',
  FAILED: 'FAILED',
  CANCELLED: 'FAILED',
  CLOSED: 'VOIDED',
};

const danaStatus = z.enum(['INIT', 'SUCCESS', 'FAILED', 'CANCELLED', 'CLOSED', 'REFUNDED']);
type DanaStatus = z.infer<typeof danaStatus>;
const money = z.object({ value: z.string().regex(/^\d+\.\d{2}$/), currency: z.literal('IDR') });
const answer = z.object({ resultCode: z.string(), resultMessage: z.string().optional() });
const created = answer.extend({ acquirementId: z.string(), checkoutUrl: z.string() });
const order = answer.extend({ acquirementId: z.string(), status: danaStatus, amount: money, reason: z.string().optional() });
const refunded = answer.extend({ refundId: z.string() });
const callback = z.object({
  merchantTransId: z.string(),
  acquirementId: z.string(),
  status: z.enum(['SUCCESS', 'FAILED', 'CANCELLED', 'INIT']),
  amount: money,
  reason: z.string().optional(),
  eventTime: z.string().optional(),
});

/**
 * DANA amounts are decimal strings with two places; the gateway's are whole rupiah. Never rounded: "14999.50" is
 * not 15000, so a callback or status for it fails the amount check instead of passing it.
 */
const toDana = (rupiah: number) => ({ value: rupiah.toFixed(2), currency: 'IDR' as const });
const fromDana = (m: { value: string }) => Number(m.value);

/** DANA: the customer is redirected to DANA's checkout, logs in and pays. Requests are HMAC-signed, base64. */
export class DanaAdapter implements WalletAdapter {
  readonly mitraCd = 'DANA' as const;
  readonly flow = 'redirect' as const;

  constructor(private readonly config: WalletCredentials, private readonly fetchImpl: typeof fetch = fetch) {}

  async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    const res = await this.call('/v1.0/orders', {
      merchantTransId: req.tXid,
      amount: toDana(req.amount),
      orderTitle: req.goodsName,
      merchantName: req.merchantName,
      customerPhone: req.phone,
      returnUrl: req.returnUrl,
      // Fixed by the workflow, never read from the clock here: a retried call must send the very same body.
      validUpTo: req.expiresAt,
    });
    if (res.status === 200) {
      const body = readBody('DANA', created, res);
      return { providerRef: body.acquirementId, redirectUrl: body.checkoutUrl };
    }
    throw this.refusal('create order', res);
  }

  async checkStatus(tXid: string): Promise<WalletStatusResult> {
    const res = await this.call('/v1.0/orders/query', { merchantTransId: tXid });
    if (res.status === 404) return { state: 'NOT_FOUND' };
    if (res.status !== 200) throw this.refusal('query order', res);
    const o = readBody('DANA', order, res);
    const reason = o.reason ?? (o.status === 'CANCELLED' ? 'cancelled by the customer' : undefined);
    return { state: stateOf[o.status], amount: fromDana(o.amount), providerRef: o.acquirementId, ...(reason ? { reason } : {}) };
  }

  async voidPayment(tXid: string): Promise<VoidResult> {
    const res = await this.call('/v1.0/orders/cancel', { merchantTransId: tXid, reason: 'not paid in time' });
    if (res.status === 200 || res.status === 404) return { outcome: 'VOIDED' };
    if (res.status === 409 && code(res) === 'ORDER_IS_PAID') return { outcome: 'ALREADY_PAID' };
    throw this.refusal('cancel order', res);
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const res = await this.call('/v1.0/orders/refund', { merchantTransId: req.tXid, refundRequestId: req.idempotencyKey, amount: toDana(req.amount), reason: req.reason });
    if (res.status === 200) return { outcome: 'REFUNDED', refundRef: readBody('DANA', refunded, res).refundId };
    throw this.refusal('refund', res);
  }

  parseCallback(cb: RawCallback): WalletCallback {
    const timestamp = headerValue(cb.headers, 'x-dana-timestamp') ?? '';
    requireSignature('DANA', hmac(this.config.callbackSecret, `${timestamp}|${cb.rawBody.toString('utf8')}`, 'base64'), headerValue(cb.headers, 'x-dana-signature'));
    requireFresh('DANA', Date.parse(timestamp));
    const c = parseCallbackJson('DANA', callback, cb.rawBody);
    const reason = c.reason ?? (c.status === 'CANCELLED' ? 'cancelled by the customer' : undefined);
    return {
      tXid: c.merchantTransId,
      state: stateOf[c.status],
      amount: fromDana(c.amount),
      providerRef: c.acquirementId,
      ...(reason ? { reason } : {}),
      ...(c.eventTime ? { occurredAt: c.eventTime } : {}),
    };
  }

  private async call(path: string, body: unknown): Promise<WalletHttpResponse> {
    const url = new URL(`${this.config.baseUrl.replace(/\/$/, '')}${path}`);
    const rawBody = JSON.stringify(body);
    const timestamp = new Date().toISOString();
    const bodyHash = createHash('sha256').update(rawBody).digest('hex');
    const signature = hmac(this.config.clientSecret, `POST:${url.pathname}${url.search}:${timestamp}:${bodyHash}`, 'base64');
    return walletRequest(
      url.toString(),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-dana-client-id': this.config.clientId, 'x-dana-timestamp': timestamp, 'x-dana-signature': signature, 'x-request-id': randomUUID() },
        body: rawBody,
      },
      this.fetchImpl,
    );
  }


  private refusal(what: string, res: WalletHttpResponse): Error {
    const c = code(res) ?? `HTTP_${res.status}`;
    if (res.status === 401 || res.status === 403) return new WalletUnavailableError(`DANA refused our credentials on ${what} (${c})`, res.status);
    return new WalletRejectedError(`DANA refused ${what}: ${c}`, c === 'INVALID_PARAMETER' ? 'DANA refused the order parameters' : c.toLowerCase().replace(/_/g, ' '));
  }
}

function code(res: WalletHttpResponse): string | undefined {
  const parsed = answer.safeParse(res.body);
  return parsed.success ? parsed.data.resultCode : undefined;
}
