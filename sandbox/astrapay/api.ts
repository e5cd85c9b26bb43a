import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Request, Router } from 'express';
import { z } from 'zod';
import { checkoutApiRouter, jsonBody, parseFields } from '../checkout/api.js';
import type { CheckoutError, CheckoutErrorKind } from '../checkout/errors.js';
import type { CheckoutPayment, CheckoutStatus } from '../checkout/schemas.js';
import type { CheckoutSimulator } from '../checkout/simulator.js';
import type { RedirectWalletDeps } from '../checkout/wallet.js';
import { sandboxPublicUrl } from '../public-url.js';
import type { WireReply } from '../wallet-api.js';
import { astraPayAuthProblem } from './auth.js';
import { AstraPayError } from './errors.js';
import type { AstraPayLinks } from './links.js';
import type { IdempotentCreate } from './schemas.js';

/** AstraPay's payment statuses: the one table from the core's. */
export const astraPayStatus: Record<CheckoutStatus, AstraPayStatus> = {
  PENDING: 'PENDING',
  PAID: 'SUCCESS',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
  VOIDED: 'VOIDED',
  EXPIRED: 'EXPIRED',
  REFUNDED: 'REFUNDED',
};
export type AstraPayStatus = 'PENDING' | 'SUCCESS' | 'FAILED' | 'CANCELLED' | 'VOIDED' | 'EXPIRED' | 'REFUNDED';

/** AstraPay's answers to the core's errors: HTTP status and `code`. */
const errorTable: Record<CheckoutErrorKind, readonly [number, string]> = {
  invalid: [400, 'INVALID_REQUEST'],
  'invalid-phone': [400, 'INVALID_PHONE'],
  duplicate: [409, 'DUPLICATE_PAYMENT'],
  'not-found': [404, 'PAYMENT_NOT_FOUND'],
  'already-paid': [409, 'ALREADY_PAID'],
  'not-paid': [409, 'NOT_PAID'],
  'refund-exceeds': [422, 'REFUND_EXCEEDS'],
  'refund-not-allowed': [422, 'REFUND_NOT_ALLOWED'],
  outage: [500, 'INTERNAL_ERROR'],
  'no-endpoint': [404, 'NOT_FOUND'],
};

function errorReply(error: CheckoutError): WireReply {
  if (error instanceof AstraPayError) return { http: error.httpStatus ?? 400, body: { code: error.code, message: error.message } };
  const [http, code] = errorTable[error.kind];
  // A paid payment stays paid whatever happened since (a refund included): the void came too late.
  const extra = error.kind === 'already-paid' ? { status: 'SUCCESS' } : {};
  return { http: error.httpStatus ?? http, body: { code, message: error.message, ...extra } };
}

const httpUrl = z.url({ protocol: /^https?$/ });
const CreateLink = z.object({
  linkRequestId: z.string().min(1).max(64),
  phone: z.string(),
  name: z.string().max(256),
  email: z.string().max(256),
  returnUrl: httpUrl,
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
const CreatePayment = z.object({
  merchantTransId: z.string().min(1).max(64),
  accountToken: z.string().min(1),
  amount: z.int().positive(),
  description: z.string().max(256),
  merchantName: z.string().max(256),
  returnUrl: httpUrl,
  expiresAt: z.iso.datetime({ offset: true }),
});
const Refund = z.object({ amount: z.int().positive(), reason: z.string().max(256).optional() });

function idempotencyKey(req: Request): string {
  const key = req.get('Idempotency-Key')?.trim() ?? '';
  if (key === '' || key.length > 128) throw new AstraPayError('INVALID_REQUEST', 400, 'Idempotency-Key header: required, 1 to 128 characters');
  return key;
}

/** The AstraPay API, mounted at `/astrapay/v1` (see sandbox/README.md for the wire format). */
export function createAstraPayApiRouter(o: {
  readonly simulator: CheckoutSimulator;
  readonly links: AstraPayLinks;
  /** Payment creates by `Idempotency-Key` (kept in the state file). */
  readonly paymentKeys: Map<string, IdempotentCreate>;
  readonly deps: RedirectWalletDeps;
}): Router {
  const { simulator, links, paymentKeys, deps } = o;
  const { config } = deps;
  return checkoutApiRouter(
    {
      wallet: 'ASTRAPAY',
      deps,
      authenticate: (req) => {
        const problem = astraPayAuthProblem(req, config.astrapay);
        return problem === undefined ? undefined : { http: 401, body: { code: 'UNAUTHORIZED', message: problem } };
      },
      errorReply,
    },
    (routes) => {
      // ---- account links ----
      routes.post('/account-links', (req) => {
        const raw = jsonBody(req);
        const body = parseFields(CreateLink, raw);
        const input = { ...body, expiresAt: body.expiresAt ?? new Date(Date.now() + config.astrapay.linkTimeoutSeconds * 1000).toISOString() };
        const { replayed, reply } = links.create(input, raw, (l) => ({
          linkId: l.linkId,
          registrationUrl: `${sandboxPublicUrl(config, req)}/astrapay/register/${l.linkId}`,
          status: 'PENDING',
        }));
        return { http: replayed ? 200 : 201, body: reply };
      });

      routes.get('/account-links/:linkRequestId', (req) => {
        const l = links.find(String(req.params.linkRequestId));
        return {
          http: 200,
          body: {
            linkId: l.linkId,
            status: l.status,
            ...(l.status === 'ACTIVE' && l.accountToken !== undefined ? { accountToken: l.accountToken } : {}),
            ...(l.reason !== undefined ? { reason: l.reason } : {}),
          },
        };
      });

      routes.post('/account-links/:linkRequestId/revoke', (req) => {
        links.revoke(String(req.params.linkRequestId));
        return { http: 200, body: { status: 'REVOKED' } };
      });

      // ---- payments on a linked account ----
      routes.post('/payments', (req) => {
        const key = idempotencyKey(req);
        const raw = jsonBody(req);
        const body = parseFields(CreatePayment, raw);
        const previous = paymentKeys.get(key);
        if (previous !== undefined) {
          if (!isDeepStrictEqual(previous.request, raw)) throw new AstraPayError('IDEMPOTENCY_MISMATCH', 409, `Idempotency-Key ${key} was used with another body`);
          return { http: 200, body: previous.reply as Record<string, unknown> };
        }
        const account = links.activeByToken(body.accountToken);
        if (account === undefined) throw new AstraPayError('INVALID_ACCOUNT_TOKEN', 422, 'unknown or revoked account token');
        const input = {
          merchantRef: body.merchantTransId,
          amount: body.amount,
          phone: account.accountPhone ?? account.phone,
          merchantName: body.merchantName,
          description: body.description,
          successUrl: body.returnUrl,
          failureUrl: body.returnUrl,
          expiresAt: body.expiresAt,
        };
        const { replayed, reply } = simulator.create(input, raw, (p) => ({
          paymentId: p.walletRef,
          verificationUrl: `${sandboxPublicUrl(config, req)}/astrapay/verify/${p.walletRef}`,
          status: 'PENDING',
        }));
        paymentKeys.set(key, { key, request: raw, reply });
        deps.onChange();
        return { http: replayed ? 200 : 201, body: reply };
      });

      routes.get('/payments/:merchantTransId', (req) => ({ http: 200, body: paymentView(simulator.find(String(req.params.merchantTransId))) }));

      routes.post('/payments/:merchantTransId/void', (req) => ({
        http: 200,
        body: { status: astraPayStatus[simulator.voidPayment(String(req.params.merchantTransId)).status] },
      }));

      routes.post('/payments/:merchantTransId/refunds', (req) => {
        const key = idempotencyKey(req);
        const body = parseFields(Refund, jsonBody(req));
        const { replayed, reply } = simulator.refund(String(req.params.merchantTransId), key, body.amount, (p) => ({
          refundId: `APR${randomBytes(8).toString('hex').toUpperCase()}`,
          refundedAmount: p.refundedAmount,
        }));
        return { http: replayed ? 200 : 201, body: reply };
      });
    },
  );
}

function paymentView(p: Readonly<CheckoutPayment>): Record<string, unknown> {
  return {
    paymentId: p.walletRef,
    status: astraPayStatus[p.status],
    amount: p.amount,
    refundedAmount: p.refundedAmount,
    ...(p.reason !== undefined ? { reason: p.reason } : {}),
  };
}
