import { createPublicKey, randomBytes } from 'node:crypto';
import type { Request, Router } from 'express';
import { z } from 'zod';
import { checkoutApiRouter, jsonBody } from '../checkout/api.js';
import { CheckoutError, type CheckoutErrorKind } from '../checkout/errors.js';
import type { CheckoutPayment, CheckoutStatus } from '../checkout/schemas.js';
import type { CheckoutSimulator } from '../checkout/simulator.js';
import type { RedirectWalletDeps } from '../checkout/wallet.js';
import { sandboxPublicUrl } from '../public-url.js';
import { rawBodyOf, type WireReply } from '../wallet-api.js';
import type { ExternalIds } from '../snap/external-ids.js';
import { rupiahOf, snapMoney, SnapMoney } from '../snap/money.js';
import { parseSnapFields, SnapError } from '../snap/reply.js';
import { jakartaTime } from '../snap/time.js';
import { publishedPath } from '../snap/auth.js';
import type { AsymmetricWalletKeys } from '../wallet-config.js';
import { danaAuthProblem } from './auth.js';

/** DANA's published Payment Gateway paths, under `/payment-gateway/v1.0/debit` (WALLET-APIS.md). */
export const DANA_API_BASE = '/payment-gateway/v1.0/debit';

/** The SNAP service code of each call: the middle of every `responseCode`. */
const serviceOf: Readonly<Record<string, string>> = {
  '/payment-host-to-host.htm': '54',
  '/status.htm': '55',
  '/cancel.htm': '57',
  '/refund.htm': '58',
};

/**
 * `latestTransactionStatus`: the one table from the core's statuses. DANA publishes 00/01/02/05/07; the sandbox
 * adds SNAP's 06 (failed) for a customer who declined, could not pay or pressed Cancel, so the merchant can tell
 * that from an order closed unpaid (05: voided, expired). A refund leaves the order paid (00), as DANA does.
 */
export const danaStatus: Record<CheckoutStatus, string> = {
  PENDING: '01',
  PAID: '00',
  REFUNDED: '00',
  FAILED: '06',
  CANCELLED: '06',
  VOIDED: '05',
  EXPIRED: '05',
};

const statusWords: Record<CheckoutStatus, string> = {
  PENDING: 'INIT',
  PAID: 'SUCCESS',
  REFUNDED: 'SUCCESS',
  FAILED: 'FAILED',
  CANCELLED: 'FAILED',
  VOIDED: 'CLOSED',
  EXPIRED: 'CLOSED',
};

/** `transactionStatusDesc` (at most 50 characters in DANA's SDK): the reason of a failed or closed order. */
export function danaStatusDesc(p: Readonly<CheckoutPayment>): string {
  return (p.reason ?? statusWords[p.status]).slice(0, 50);
}

/** DANA's answers to the core's errors: HTTP status, SNAP case code, message. */
const errorTable: Record<CheckoutErrorKind, (e: CheckoutError) => readonly [number, string, string]> = {
  invalid: (e) => [e.httpStatus ?? 400, '01', `Invalid Field Format ${e.field ?? 'body'}`],
  'invalid-phone': () => [400, '01', 'Invalid Field Format additionalInfo.order.buyer.externalUserId'],
  duplicate: () => [404, '18', 'Inconsistent Request'],
  'not-found': () => [404, '01', 'Transaction Not Found'],
  'already-paid': () => [403, '15', 'Transaction Not Permitted. The order is paid'],
  'not-paid': () => [404, '00', 'Invalid Transaction Status. The order is not paid'],
  'refund-exceeds': () => [403, '02', 'Exceeds Transaction Amount Limit'],
  'refund-not-allowed': () => [403, '15', 'Transaction Not Permitted'],
  outage: () => [500, '01', 'Internal Server Error'],
  'no-endpoint': () => [404, '00', 'Not Found'],
};

function serviceCode(req: Request): string {
  return serviceOf[req.path] ?? '00';
}

function reply(req: Request, http: number, caseCode: string, message: string, fields: Record<string, unknown> = {}): WireReply {
  return { http, body: { responseCode: `${http}${serviceCode(req)}${caseCode}`, responseMessage: message, ...fields } };
}

function errorReply(error: CheckoutError, req: Request): WireReply {
  if (error instanceof SnapError) return reply(req, error.http, error.caseCode, error.message);
  const [http, caseCode, message] = errorTable[error.kind](error);
  return reply(req, http, caseCode, message);
}

/** DANA's amounts: SNAP's money object (the kit's). */
export const danaMoney = snapMoney;
const Money = SnapMoney;

/** DANA's body times: Jakarta time, whole seconds, `+07:00` (its SDK refuses anything else). */
const JakartaTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/, 'YYYY-MM-DDTHH:mm:ss+07:00');

const UrlParam = z.object({
  url: z.url({ protocol: /^https?$/ }).max(512),
  type: z.enum(['PAY_RETURN', 'NOTIFICATION']),
  isDeeplink: z.enum(['Y', 'N']),
});

const CreateOrder = z.object({
  partnerReferenceNo: z.string().min(1).max(64),
  merchantId: z.string().min(1).max(64),
  amount: Money,
  validUpTo: JakartaTime,
  urlParams: z.array(UrlParam).min(1).refine((ps) => ps.some((p) => p.type === 'PAY_RETURN'), 'a PAY_RETURN url is mandatory'),
  additionalInfo: z.object({
    mcc: z.string().min(1).max(64),
    envInfo: z.object({ sourcePlatform: z.string().max(32).optional(), terminalType: z.enum(['APP', 'WEB', 'WAP', 'SYSTEM']) }),
    order: z.object({
      orderTitle: z.string().min(1).max(64),
      scenario: z.string().max(64).optional(),
      // The sandbox needs the buyer's phone: the magic values read it (CONTRACT §6).
      buyer: z.object({ externalUserType: z.literal('PHONE'), externalUserId: z.string().min(1).max(32) }),
    }),
  }),
});

const OrderRef = z
  .object({
    originalPartnerReferenceNo: z.string().min(1).max(64).optional(),
    originalReferenceNo: z.string().min(1).max(64).optional(),
    merchantId: z.string().min(1).max(64),
  })
  .refine((b) => b.originalPartnerReferenceNo !== undefined || b.originalReferenceNo !== undefined, {
    message: 'originalPartnerReferenceNo or originalReferenceNo is mandatory',
    path: ['originalPartnerReferenceNo'],
  });
const QueryPayment = z.intersection(OrderRef, z.object({ serviceCode: z.literal('54') }));
const CancelOrder = z.intersection(OrderRef, z.object({ reason: z.string().max(256).optional(), amount: Money.optional() }));
const RefundOrder = z.object({
  merchantId: z.string().min(1).max(64),
  originalPartnerReferenceNo: z.string().min(1).max(64),
  partnerRefundNo: z.string().min(1).max(64),
  refundAmount: Money,
  reason: z.string().max(256).optional(),
});

const parseDana = parseSnapFields;

const success = (req: Request, fields: Record<string, unknown>): WireReply => reply(req, 200, '00', 'Successful', fields);

/**
 * DANA's Payment Gateway API, mounted at `/dana/payment-gateway/v1.0/debit` (sandbox/README.md): every call signed
 * SHA256withRSA by the partner, `X-EXTERNAL-ID` unique per day, answers in SNAP codes.
 */
export function createDanaApiRouter(
  simulator: CheckoutSimulator,
  deps: Omit<RedirectWalletDeps, 'initial'>,
  o: { readonly keys: AsymmetricWalletKeys; readonly merchantName: string; readonly externalIds: ExternalIds },
): Router {
  const { config } = deps;
  const { keys: dana, externalIds } = o;
  const prefix = `/${simulator.spec.key}`;
  const partnerKey = createPublicKey(dana.partnerPublicKey);
  const merchantOf = (body: { merchantId: string }): void => {
    if (body.merchantId !== dana.merchantId) throw new SnapError('invalid', 'Invalid Merchant', 404, '08', 'merchantId');
  };
  const find = (body: { originalPartnerReferenceNo?: string | undefined; originalReferenceNo?: string | undefined }): Readonly<CheckoutPayment> => {
    if (body.originalPartnerReferenceNo !== undefined) return simulator.find(body.originalPartnerReferenceNo);
    const p = simulator.checkout(body.originalReferenceNo ?? '');
    if (p === undefined) throw new CheckoutError('not-found', 'Transaction Not Found');
    return p;
  };
  return checkoutApiRouter(
    {
      wallet: simulator.spec.wallet,
      deps,
      authenticate: (req) => {
        const problem = danaAuthProblem(req, dana, partnerKey, prefix);
        if (problem !== undefined) return reply(req, problem.http, problem.case, problem.message);
        // Not a reason to save on its own: the ids ride along with the next save (a payment changing), so status
        // polls cost no writes; a restart may forget the last few, which only lets a late duplicate through.
        if (!externalIds.admit(req.get('X-EXTERNAL-ID') ?? '', publishedPath(req, prefix), rawBodyOf(req).toString('utf8'))) {
          return reply(req, 409, '00', 'Conflict. X-EXTERNAL-ID already used today for another request');
        }
        return undefined;
      },
      errorReply,
    },
    (routes) => {
      routes.post('/payment-host-to-host.htm', (req) => {
        const raw = jsonBody(req);
        const body = parseDana(CreateOrder, raw);
        merchantOf(body);
        const returnUrl = body.urlParams.find((p) => p.type === 'PAY_RETURN')?.url ?? '';
        const notifyUrl = body.urlParams.find((p) => p.type === 'NOTIFICATION')?.url;
        const { reply: answer } = simulator.create(
          {
            merchantRef: body.partnerReferenceNo,
            amount: rupiahOf(body.amount),
            phone: body.additionalInfo.order.buyer.externalUserId,
            // DANA shows the name it registered for the merchant id.
            merchantName: o.merchantName,
            description: body.additionalInfo.order.orderTitle,
            successUrl: returnUrl,
            failureUrl: returnUrl,
            expiresAt: new Date(Date.parse(body.validUpTo)).toISOString(),
            ...(notifyUrl !== undefined ? { notifyUrl } : {}),
          },
          raw,
          (p) => ({
            referenceNo: p.walletRef,
            partnerReferenceNo: p.merchantRef,
            webRedirectUrl: `${sandboxPublicUrl(config, req)}${prefix}/checkout/${p.walletRef}`,
          }),
        );
        return success(req, answer);
      });

      routes.post('/status.htm', (req) => {
        const body = parseDana(QueryPayment, jsonBody(req));
        merchantOf(body);
        return success(req, statusView(find(body)));
      });

      routes.post('/cancel.htm', (req) => {
        const body = parseDana(CancelOrder, jsonBody(req));
        merchantOf(body);
        const p = simulator.voidPayment(find(body).merchantRef);
        return success(req, { originalPartnerReferenceNo: p.merchantRef, originalReferenceNo: p.walletRef, cancelTime: jakartaTime(p.updatedAt), transactionDate: jakartaTime(p.createdAt) });
      });

      routes.post('/refund.htm', (req) => {
        const body = parseDana(RefundOrder, jsonBody(req));
        merchantOf(body);
        const { reply: answer } = simulator.refund(body.originalPartnerReferenceNo, body.partnerRefundNo, rupiahOf(body.refundAmount), (p) => ({
          originalPartnerReferenceNo: p.merchantRef,
          originalReferenceNo: p.walletRef,
          refundNo: `DR${randomBytes(8).toString('hex').toUpperCase()}`,
          partnerRefundNo: body.partnerRefundNo,
          refundAmount: body.refundAmount,
          refundTime: jakartaTime(),
        }));
        return success(req, answer);
      });
    },
  );
}

/** The status answer; `paidTime` only once paid. */
function statusView(p: Readonly<CheckoutPayment>): Record<string, unknown> {
  const paid = p.status === 'PAID' || p.status === 'REFUNDED';
  return {
    originalPartnerReferenceNo: p.merchantRef,
    originalReferenceNo: p.walletRef,
    serviceCode: '54',
    latestTransactionStatus: danaStatus[p.status],
    transactionStatusDesc: danaStatusDesc(p),
    amount: danaMoney(p.amount),
    transAmount: danaMoney(p.amount),
    ...(paid ? { paidTime: jakartaTime(p.updatedAt) } : {}),
    title: p.description.slice(0, 256),
    additionalInfo: {
      amountDetail: { orderAmount: danaMoney(p.amount), refundAmount: danaMoney(p.refundedAmount) },
      statusDetail: { acquirementStatus: statusWords[p.status] },
    },
  };
}
