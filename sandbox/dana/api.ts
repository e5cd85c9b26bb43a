import { randomBytes } from 'node:crypto';
import type { Request, Router } from 'express';
import { z } from 'zod';
import { checkoutApiRouter, jsonBody, parseFields } from '../checkout/api.js';
import type { CheckoutError, CheckoutErrorKind } from '../checkout/errors.js';
import type { CheckoutPayment, CheckoutStatus } from '../checkout/schemas.js';
import type { CheckoutSimulator } from '../checkout/simulator.js';
import type { RedirectWalletDeps } from '../checkout/wallet.js';
import { sandboxPublicUrl } from '../public-url.js';
import type { WireReply } from '../wallet-api.js';
import { danaAuthProblem } from './auth.js';

/** DANA's order statuses: the one table from the core's. CLOSED is voided by the merchant or expired. */
export const danaStatus: Record<CheckoutStatus, DanaStatus> = {
  PENDING: 'INIT',
  PAID: 'SUCCESS',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
  VOIDED: 'CLOSED',
  EXPIRED: 'CLOSED',
  REFUNDED: 'REFUNDED',
};
export type DanaStatus = 'INIT' | 'SUCCESS' | 'FAILED' | 'CANCELLED' | 'CLOSED' | 'REFUNDED';

/** DANA's answers to the core's errors: HTTP status and `resultCode`. */
const errorTable: Record<CheckoutErrorKind, readonly [number, string]> = {
  invalid: [400, 'INVALID_PARAMETER'],
  'invalid-phone': [400, 'INVALID_PARAMETER'],
  duplicate: [409, 'DUPLICATE_ORDER'],
  'not-found': [404, 'ORDER_NOT_FOUND'],
  'already-paid': [409, 'ORDER_IS_PAID'],
  'not-paid': [409, 'ORDER_NOT_PAID'],
  'refund-exceeds': [422, 'REFUND_AMOUNT_EXCEED'],
  'refund-not-allowed': [422, 'REFUND_NOT_ALLOWED'],
  outage: [500, 'INTERNAL_SERVER_ERROR'],
  'no-endpoint': [404, 'NOT_FOUND'],
};

function errorReply(error: CheckoutError): WireReply {
  const [http, resultCode] = errorTable[error.kind];
  // A paid order stays paid whatever happened since (a refund included): the void came too late.
  const extra = error.kind === 'already-paid' ? { status: 'SUCCESS' } : {};
  return { http: error.httpStatus ?? http, body: { resultCode, resultMessage: error.message, ...extra } };
}

/** `{ value: "15000.00", currency: "IDR" }`: a decimal string with exactly two decimals, whole rupiah only. */
const Money = z.object({
  value: z
    .string()
    .regex(/^(0|[1-9]\d{0,14})\.\d{2}$/, 'a decimal string with exactly 2 decimals, e.g. "15000.00"')
    .refine((v) => v.endsWith('.00') && v !== '0.00', 'a positive whole number of rupiah ("….00")'),
  currency: z.literal('IDR'),
});
type Money = z.infer<typeof Money>;

export const danaMoney = (rupiah: number): Money => ({ value: `${rupiah}.00`, currency: 'IDR' });
const rupiahOf = (money: Money): number => Number(money.value.slice(0, -3));

const CreateOrder = z.object({
  merchantTransId: z.string().min(1).max(64),
  amount: Money,
  orderTitle: z.string().max(256),
  merchantName: z.string().max(256),
  customerPhone: z.string(),
  returnUrl: z.url({ protocol: /^https?$/ }),
  validUpTo: z.iso.datetime({ offset: true }),
});
const OrderRef = z.object({ merchantTransId: z.string().min(1) });
const CancelOrder = OrderRef.extend({ reason: z.string().max(256).optional() });
const RefundOrder = OrderRef.extend({ refundRequestId: z.string().min(1).max(64), amount: Money, reason: z.string().max(256).optional() });

const ok = (fields: Record<string, unknown>): WireReply => ({ http: 200, body: { resultCode: 'SUCCESS', resultMessage: 'success', ...fields } });

/** The DANA merchant API, mounted at `/dana/v1.0` (see sandbox/README.md for the wire format). */
export function createDanaApiRouter(simulator: CheckoutSimulator, deps: RedirectWalletDeps): Router {
  const { config } = deps;
  return checkoutApiRouter(
    {
      wallet: 'DANA',
      deps,
      authenticate: (req) => {
        const problem = danaAuthProblem(req, config.dana);
        return problem === undefined ? undefined : { http: 401, body: { resultCode: 'INVALID_SIGNATURE', resultMessage: problem } };
      },
      errorReply,
    },
    (routes) => {
      routes.post('/orders', (req) => {
        const raw = jsonBody(req);
        const body = parseFields(CreateOrder, raw);
        const input = {
          merchantRef: body.merchantTransId,
          amount: rupiahOf(body.amount),
          phone: body.customerPhone,
          merchantName: body.merchantName,
          description: body.orderTitle,
          successUrl: body.returnUrl,
          failureUrl: body.returnUrl,
          expiresAt: body.validUpTo,
        };
        const { reply } = simulator.create(input, raw, (p) => ({
          acquirementId: p.walletRef,
          checkoutUrl: `${sandboxPublicUrl(config, req)}/dana/checkout/${p.walletRef}`,
        }));
        return ok(reply);
      });

      routes.post('/orders/query', (req) => ok(orderView(simulator.find(orderRef(req)))));

      routes.post('/orders/cancel', (req) => {
        const body = parseFields(CancelOrder, jsonBody(req));
        return ok({ status: danaStatus[simulator.voidPayment(body.merchantTransId).status] });
      });

      routes.post('/orders/refund', (req) => {
        const body = parseFields(RefundOrder, jsonBody(req));
        const { reply } = simulator.refund(body.merchantTransId, body.refundRequestId, rupiahOf(body.amount), (p) => ({
          refundId: `DR${randomBytes(8).toString('hex').toUpperCase()}`,
          refundedAmount: danaMoney(p.refundedAmount),
        }));
        return ok(reply);
      });
    },
  );
}

function orderRef(req: Request): string {
  return parseFields(OrderRef, jsonBody(req)).merchantTransId;
}

function orderView(p: Readonly<CheckoutPayment>): Record<string, unknown> {
  return {
    acquirementId: p.walletRef,
    merchantTransId: p.merchantRef,
    status: danaStatus[p.status],
    amount: danaMoney(p.amount),
    refundedAmount: danaMoney(p.refundedAmount),
    ...(p.reason !== undefined ? { reason: p.reason } : {}),
  };
}

