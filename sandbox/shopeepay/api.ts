import { z } from 'zod';
import type { Request, Router } from 'express';
import { checkoutApiRouter, jsonBody, parseFields } from '../checkout/api.js';
import type { CheckoutError, CheckoutErrorKind } from '../checkout/errors.js';
import type { CheckoutPayment, CheckoutStatus } from '../checkout/schemas.js';
import type { CheckoutSimulator } from '../checkout/simulator.js';
import type { RedirectWalletDeps } from '../checkout/wallet.js';
import { sandboxPublicUrl } from '../public-url.js';
import { rawBodyOf, type WireReply } from '../wallet-api.js';
import { shopeePayAuthProblem } from './auth.js';

/** ShopeePay's transaction statuses: the one table from the core's (a pending payment someone logged in on is 2). */
export function shopeePayStatus(p: Readonly<Pick<CheckoutPayment, 'status' | 'loggedInAt'>>): number {
  return p.status === 'PENDING' && p.loggedInAt !== undefined ? 2 : transactionStatus[p.status];
}
const transactionStatus: Record<CheckoutStatus, number> = { PENDING: 1, PAID: 3, FAILED: 4, CANCELLED: 5, VOIDED: 6, EXPIRED: 6, REFUNDED: 7 };

/**
 * ShopeePay's answers to the core's errors: business errors are HTTP 200 with a non-zero `errcode`, as ShopeePay
 * does; only outages (HTTP 500) and unknown endpoints (404) change the HTTP status.
 */
const errorTable: Record<CheckoutErrorKind, (e: CheckoutError) => readonly [number, number, string]> = {
  invalid: (e) => [200, 1, e.field === 'amount' ? 'invalid amount' : `invalid ${e.field ?? 'request'}`],
  'invalid-phone': () => [200, 2, 'invalid phone'],
  duplicate: () => [200, 7, 'duplicate payment_reference_id'],
  'already-paid': () => [200, 9, 'transaction already successful'],
  'not-paid': () => [200, 10, 'transaction not successful'],
  'not-found': () => [200, 11, 'transaction not found'],
  'refund-exceeds': () => [200, 12, 'refund amount exceeds the paid amount'],
  'refund-not-allowed': () => [200, 13, 'refund not allowed'],
  outage: (e) => [500, 500, e.message],
  'no-endpoint': (e) => [404, 404, e.message],
};

/** Every answer echoes the request's `request_id` (when it has one). */
function requestIdOf(req: Request): Record<string, string> {
  try {
    const body = JSON.parse(rawBodyOf(req).toString('utf8')) as unknown;
    const id = typeof body === 'object' && body !== null ? (body as { request_id?: unknown }).request_id : undefined;
    return typeof id === 'string' ? { request_id: id } : {};
  } catch {
    return {};
  }
}

const answer = (req: Request, http: number, errcode: number, debugMsg: string, fields: Record<string, unknown> = {}): WireReply => ({
  http,
  body: { ...requestIdOf(req), errcode, debug_msg: debugMsg, ...fields },
});
const ok = (req: Request, fields: Record<string, unknown>): WireReply => answer(req, 200, 0, 'success', fields);

/** Amounts are integers in hundredths of a rupiah: a positive multiple of 100 (`1500000` = Rp 15.000). */
const Hundredths = z.int().positive().multipleOf(100);
const RequestId = z.string().min(1).max(128);

const CreateOrder = z.object({
  request_id: RequestId,
  payment_reference_id: z.string().min(1).max(64),
  merchant_ext_id: z.string().max(64),
  store_ext_id: z.string().max(64),
  amount: Hundredths,
  currency: z.literal('IDR'),
  return_url: z.url({ protocol: /^https?$/ }),
  expiry_time: z.int().positive(),
  additional_info: z.object({ merchant_name: z.string().max(256), description: z.string().max(256), phone: z.string() }),
});
const CheckTransaction = z.object({ request_id: RequestId, reference_id: z.string().min(1), transaction_type: z.literal(13) });
const VoidTransaction = z.object({ request_id: RequestId, reference_id: z.string().min(1), void_reference_id: z.string().min(1).max(64) });
const RefundTransaction = z.object({ request_id: RequestId, reference_id: z.string().min(1), refund_reference_id: z.string().min(1).max(64), amount: Hundredths });

/** The ShopeePay merchant-host API, mounted at `/shopeepay/v3` (see sandbox/README.md). */
export function createShopeePayApiRouter(simulator: CheckoutSimulator, deps: RedirectWalletDeps): Router {
  const { config } = deps;
  return checkoutApiRouter(
    {
      wallet: 'SHOPEEPAY',
      deps,
      authenticate: (req) => (shopeePayAuthProblem(req, config.shopeepay) === undefined ? undefined : answer(req, 401, 401, 'invalid signature')),
      errorReply: (error, req) => {
        const [http, errcode, message] = errorTable[error.kind](error);
        return answer(req, error.httpStatus ?? http, errcode, message);
      },
    },
    (routes) => {
      routes.post('/merchant-host/order/create', (req) => {
        const raw = jsonBody(req);
        const body = parseFields(CreateOrder, raw);
        const { request_id: _ignored, ...content } = raw;
        const input = {
          merchantRef: body.payment_reference_id,
          amount: body.amount / 100,
          phone: body.additional_info.phone,
          merchantName: body.additional_info.merchant_name,
          description: body.additional_info.description,
          successUrl: body.return_url,
          failureUrl: body.return_url,
          expiresAt: new Date(body.expiry_time * 1000).toISOString(),
        };
        const { reply } = simulator.create(input, content, (p) => ({
          redirect_url_http: `${sandboxPublicUrl(config, req)}/shopeepay/checkout/${p.walletRef}`,
          transaction_sn: p.walletRef,
        }));
        return ok(req, reply);
      });

      routes.post('/merchant-host/transaction/check', (req) => {
        const body = parseFields(CheckTransaction, jsonBody(req));
        return ok(req, { transaction: transactionView(simulator.find(body.reference_id)) });
      });

      routes.post('/merchant-host/transaction/void/create', (req) => {
        const body = parseFields(VoidTransaction, jsonBody(req));
        return ok(req, { transaction: transactionView(simulator.voidPayment(body.reference_id)) });
      });

      routes.post('/merchant-host/transaction/refund/create', (req) => {
        const body = parseFields(RefundTransaction, jsonBody(req));
        const { reply } = simulator.refund(body.reference_id, body.refund_reference_id, body.amount / 100, (p) => ({
          refund: { refund_reference_id: body.refund_reference_id, amount: body.amount, refunded_amount: p.refundedAmount * 100 },
        }));
        return ok(req, reply);
      });
    },
  );
}

function transactionView(p: Readonly<CheckoutPayment>): Record<string, unknown> {
  return {
    reference_id: p.merchantRef,
    transaction_sn: p.walletRef,
    amount: p.amount * 100,
    status: shopeePayStatus(p),
    ...(p.reason !== undefined ? { reason: p.reason } : {}),
    refunded_amount: p.refundedAmount * 100,
  };
}
