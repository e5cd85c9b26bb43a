import { randomBytes } from 'node:crypto';
import type { Router } from 'express';
import { z } from 'zod';
import { checkoutApiRouter, formBody, parseFields } from '../checkout/api.js';
import type { CheckoutErrorKind } from '../checkout/errors.js';
import type { CheckoutPayment } from '../checkout/schemas.js';
import type { CheckoutSimulator } from '../checkout/simulator.js';
import type { RedirectWalletDeps } from '../checkout/wallet.js';
import { sandboxPublicUrl } from '../public-url.js';
import type { WireReply } from '../wallet-api.js';
import { hasValidToken, type LinkAjaTokens } from './oauth.js';

/**
 * LinkAja's answers to the core's errors: HTTP status, the 2-digit `status` and its `message`. LinkAja's
 * transaction statuses (`trxStatus`) are the core's own names, so they need no table.
 */
const errorTable: Record<CheckoutErrorKind, (field: string | undefined, message: string) => readonly [number, string, string]> = {
  invalid: (field) => [400, '03', `${field ?? 'request'} invalid`],
  'invalid-phone': () => [400, '03', 'msisdn invalid'],
  duplicate: () => [409, '09', 'duplicate trxId'],
  'not-found': () => [404, '14', 'Transaction not found'],
  'already-paid': () => [409, '21', 'already paid'],
  'not-paid': () => [409, '20', 'transaction not paid'],
  'refund-exceeds': () => [422, '22', 'refund exceeds the paid amount'],
  'refund-not-allowed': () => [422, '23', 'refund not allowed'],
  outage: (_field, message) => [500, '96', message],
  'no-endpoint': (_field, message) => [404, '404', message],
};

const PositiveInteger = z.string().regex(/^[1-9]\d{0,14}$/);
const Item = z.object({ name: z.string().min(1).max(256), price: z.int().min(0), qty: z.int().positive() });
/** `items` is a JSON string: `[{"name":"Kopi","price":15000,"qty":1}]`, at least one item. */
const Items = z.string().transform((text, ctx) => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
  const parsed = z.array(Item).min(1).safeParse(value);
  if (!parsed.success) {
    ctx.addIssue({ code: 'custom', message: 'expected [{"name","price","qty"}, …]' });
    return z.NEVER;
  }
  return parsed.data;
});
const Url = z.url({ protocol: /^https?$/ });

const Checkout = z.object({
  trxId: z.string().min(1).max(64),
  total: PositiveInteger,
  msisdn: z.string().min(1),
  merchantName: z.string().min(1).max(256),
  items: Items,
  successUrl: Url,
  failedUrl: Url,
  expiredSeconds: PositiveInteger,
});
const Refund = z.object({ refundId: z.string().min(1).max(64), amount: PositiveInteger, reason: z.string().max(256).optional() });

const ok = (fields: Record<string, unknown>): WireReply => ({ http: 200, body: { status: '00', message: 'Success', ...fields } });

/** The LinkAja merchant API, mounted at `/linkaja/api/v1` (see sandbox/README.md): bearer token, form bodies, JSON answers. */
export function createLinkAjaApiRouter(simulator: CheckoutSimulator, tokens: LinkAjaTokens, deps: RedirectWalletDeps): Router {
  return checkoutApiRouter(
    {
      wallet: 'LINKAJA',
      deps,
      authenticate: (req) => (hasValidToken(req, tokens) ? undefined : { http: 401, body: { status: '401', message: 'invalid token' } }),
      errorReply: (error) => {
        const [http, status, message] = errorTable[error.kind](error.field, error.message);
        return { http: error.httpStatus ?? http, body: { status, message, ...(error.kind === 'already-paid' ? { trxStatus: 'PAID' } : {}) } };
      },
    },
    (routes) => {
      routes.post('/checkout', (req) => {
        const form = formBody(req);
        const body = parseFields(Checkout, form);
        const createdAt = Date.now();
        const input = {
          merchantRef: body.trxId,
          amount: Number(body.total),
          phone: body.msisdn,
          merchantName: body.merchantName,
          description: body.items.map((i) => (i.qty > 1 ? `${i.name} × ${i.qty}` : i.name)).join(', '),
          successUrl: body.successUrl,
          failureUrl: body.failedUrl,
          expiresAt: new Date(createdAt + Number(body.expiredSeconds) * 1000).toISOString(),
        };
        const { reply } = simulator.create(input, form, (p) => ({
          refNum: p.walletRef,
          checkoutUrl: `${sandboxPublicUrl(deps.config, req)}/linkaja/checkout/${p.walletRef}`,
        }));
        return ok(reply);
      });

      routes.get('/checkout/:trxId', (req) => ok(inquiry(simulator.find(String(req.params.trxId)))));

      routes.post('/checkout/:trxId/cancel', (req) => ok({ trxStatus: simulator.voidPayment(String(req.params.trxId)).status }));

      routes.post('/checkout/:trxId/refund', (req) => {
        const body = parseFields(Refund, formBody(req));
        const { reply } = simulator.refund(String(req.params.trxId), body.refundId, Number(body.amount), (p) => ({
          refundRefNum: `LR${randomBytes(8).toString('hex').toUpperCase()}`,
          refundedTotal: p.refundedAmount,
        }));
        return ok(reply);
      });
    },
  );
}

function inquiry(p: Readonly<CheckoutPayment>): Record<string, unknown> {
  return {
    trxId: p.merchantRef,
    refNum: p.walletRef,
    total: p.amount,
    trxStatus: p.status,
    refundedTotal: p.refundedAmount,
    ...(p.reason !== undefined ? { reason: p.reason } : {}),
  };
}
