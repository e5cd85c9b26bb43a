import { randomBytes } from 'node:crypto';
import type { Request, Router } from 'express';
import { z } from 'zod';
import { checkoutApiRouter, jsonBody } from '../checkout/api.js';
import type { CheckoutError, CheckoutErrorKind } from '../checkout/errors.js';
import type { CheckoutPayment } from '../checkout/schemas.js';
import type { CheckoutSimulator } from '../checkout/simulator.js';
import type { RedirectWalletDeps } from '../checkout/wallet.js';
import { sandboxPublicUrl } from '../public-url.js';
import { rawBodyOf, type WireReply } from '../wallet-api.js';
import { publishedPath, symmetricAuthProblem, type SymmetricClient } from './auth.js';
import { snapStatusDesc, snapStatusOf } from './direct-debit-status.js';
import type { ExternalIds } from './external-ids.js';
import { rupiahOf, snapMoney, SnapMoney } from './money.js';
import { parseSnapFields, snapReply, SnapError, snapService, snapSuccess } from './reply.js';
import { createDirectDebitPayment, SnapTime, UrlParam } from './direct-debit-create.js';
import { jakartaTime } from './time.js';
import type { B2bTokens } from './tokens.js';

/** SNAP Direct Debit's published paths (WALLET-APIS.md), under `/v1.0/debit` of the wallet's base. */
export const DIRECT_DEBIT_BASE = '/v1.0/debit';
export const directDebitPaths = {
  pay: '/payment-host-to-host',
  status: '/status',
  cancel: '/cancel',
  refund: '/refund',
} as const;

const serviceOfPath: Readonly<Record<string, string>> = {
  [directDebitPaths.pay]: snapService.pay,
  [directDebitPaths.status]: snapService.status,
  [directDebitPaths.cancel]: snapService.cancel,
  [directDebitPaths.refund]: snapService.refund,
};
const serviceOf = (req: Request): string => serviceOfPath[req.path] ?? '00';

/** The answers to the core's errors: HTTP status, SNAP case code, message (SNAP's case table, WALLET-APIS.md). */
const errorTable: Record<CheckoutErrorKind, (e: CheckoutError, service: string) => readonly [number, string, string]> = {
  invalid: (e) => [e.httpStatus ?? 400, '01', `Invalid Field Format ${e.field ?? 'body'}`],
  'invalid-phone': () => [400, '01', 'Invalid Field Format additionalInfo.phoneNo'],
  // A partnerRefundNo is the merchant's, unique across its orders; a partnerReferenceNo with other content is a duplicate.
  duplicate: (_e, service) => (service === snapService.refund ? [404, '18', 'Inconsistent Request'] : [409, '01', 'Duplicate partnerReferenceNo']),
  'not-found': () => [404, '01', 'Transaction Not Found'],
  'already-paid': () => [403, '15', 'Transaction Not Permitted. The transaction is paid'],
  'not-paid': () => [404, '00', 'Invalid Transaction Status. The transaction is not paid'],
  'refund-exceeds': () => [403, '02', 'Exceeds Transaction Amount Limit'],
  'refund-not-allowed': () => [403, '15', 'Transaction Not Permitted'],
  outage: () => [500, '01', 'Internal Server Error'],
  'no-endpoint': () => [404, '00', 'Not Found'],
};

function errorReply(error: CheckoutError, req: Request): WireReply {
  const service = serviceOf(req);
  if (error instanceof SnapError) return snapReply(error.http, service, error.caseCode, error.message);
  const [http, caseCode, message] = errorTable[error.kind](error, service);
  return snapReply(http, service, caseCode, message);
}

const CreateFields = {
  partnerReferenceNo: z.string().min(1).max(64),
  merchantId: z.string().min(1).max(64),
  amount: SnapMoney,
  validUpTo: SnapTime,
  // SNAP's payment-host-to-host has no field for the customer's phone or the order's title: additionalInfo carries
  // them (the key `phoneNo` is SNAP's own name for a customer's phone, in account binding).
  additionalInfo: z.object({ phoneNo: z.string().min(1).max(30), remark: z.string().max(256).optional() }),
};
/** A redirect needs somewhere to send the browser back to; a push (OVO) has no browser at the wallet. */
const CreateRedirect = z.object({
  ...CreateFields,
  urlParams: z
    .array(UrlParam)
    .min(1)
    .refine((ps) => ps.some((p) => p.type === 'PAY_RETURN'), 'a PAY_RETURN url is mandatory'),
});
const CreatePush = z.object({ ...CreateFields, urlParams: z.array(UrlParam).optional() });

const OrderRef = z.object({ originalPartnerReferenceNo: z.string().min(1).max(64), merchantId: z.string().min(1).max(64) });
const StatusQuery = OrderRef.extend({ serviceCode: z.literal('54') });
const Cancel = OrderRef.extend({ reason: z.string().max(256).optional(), amount: SnapMoney.optional() });
const Refund = OrderRef.extend({ partnerRefundNo: z.string().min(1).max(64), refundAmount: SnapMoney, reason: z.string().max(256).optional() });

export interface DirectDebitApiOptions {
  /** The wallet's ledger name. */
  readonly wallet: string;
  /** `/shopeepay`: where the sandbox serves the wallet; the signatures cover the published path, without it. */
  readonly prefix: string;
  readonly client: SymmetricClient;
  /** The name the wallet registered for the merchant: what its checkout page shows (SNAP orders carry no name). */
  readonly merchantName: string;
  readonly tokens: B2bTokens;
  readonly externalIds: ExternalIds;
  /**
   * `redirect`: the create answers `200xx00` with the checkout page (`webRedirectUrl`); `push`: the request is on the
   * customer's phone, `202xx00` ("in progress") without a URL. Default `redirect`.
   */
  readonly flow?: 'redirect' | 'push';
  /** Body times with milliseconds (OVO). */
  readonly millisecondTimes?: boolean;
}

/**
 * SNAP Direct Debit (symmetric profile) at `/<wallet>/v1.0/debit`: every call on a B2B token with an HMAC-SHA512
 * signature, `X-EXTERNAL-ID` unique per Jakarta day, answers in SNAP codes, `merchantId` = the client id.
 */
export function createDirectDebitRouter(simulator: CheckoutSimulator, deps: RedirectWalletDeps, o: DirectDebitApiOptions): Router {
  const push = o.flow === 'push';
  const time = (at?: Date | number | string): string => jakartaTime(at, o.millisecondTimes === true);
  const merchantOf = (body: { merchantId: string }): void => {
    if (body.merchantId !== o.client.clientId) throw new SnapError('invalid', 'Invalid Merchant', 404, '08', 'merchantId');
  };
  return checkoutApiRouter(
    {
      wallet: o.wallet,
      deps,
      authenticate: (req) => {
        const problem = symmetricAuthProblem(req, o.client, o.tokens, o.prefix);
        if (problem !== undefined) return snapReply(problem.http, serviceOf(req), problem.case, problem.message);
        // Rides along with the next save (a payment changing): status polls cost no writes.
        if (!o.externalIds.admit(req.get('X-EXTERNAL-ID') ?? '', publishedPath(req, o.prefix), rawBodyOf(req).toString('utf8'))) {
          return snapReply(409, serviceOf(req), '00', 'Conflict. X-EXTERNAL-ID already used today for another request');
        }
        return undefined;
      },
      errorReply,
    },
    (routes) => {
      routes.post(directDebitPaths.pay, (req) => {
        const raw = jsonBody(req);
        const body = parseSnapFields(push ? CreatePush : CreateRedirect, raw);
        merchantOf(body);
        const reply = createDirectDebitPayment(simulator, body, raw, {
          phone: body.additionalInfo.phoneNo,
          merchantName: o.merchantName,
          page: push ? undefined : (walletRef) => `${sandboxPublicUrl(deps.config, req)}${o.prefix}/checkout/${walletRef}`,
        });
        return push ? snapReply(202, snapService.pay, '00', 'Request In Progress', reply) : snapSuccess(snapService.pay, reply);
      });

      routes.post(directDebitPaths.status, (req) => {
        const body = parseSnapFields(StatusQuery, jsonBody(req));
        merchantOf(body);
        return snapSuccess(snapService.status, statusView(simulator, simulator.find(body.originalPartnerReferenceNo), time));
      });

      routes.post(directDebitPaths.cancel, (req) => {
        const body = parseSnapFields(Cancel, jsonBody(req));
        merchantOf(body);
        const p = simulator.voidPayment(body.originalPartnerReferenceNo);
        return snapSuccess(snapService.cancel, {
          originalPartnerReferenceNo: p.merchantRef,
          originalReferenceNo: p.walletRef,
          cancelTime: time(p.updatedAt),
          transactionDate: time(p.createdAt),
        });
      });

      routes.post(directDebitPaths.refund, (req) => {
        const body = parseSnapFields(Refund, jsonBody(req));
        merchantOf(body);
        const { reply } = simulator.refund(body.originalPartnerReferenceNo, body.partnerRefundNo, rupiahOf(body.refundAmount), (p) => ({
          originalPartnerReferenceNo: p.merchantRef,
          originalReferenceNo: p.walletRef,
          refundNo: `RF${randomBytes(8).toString('hex').toUpperCase()}`,
          partnerRefundNo: body.partnerRefundNo,
          refundAmount: body.refundAmount,
          refundTime: time(),
        }));
        return snapSuccess(snapService.refund, reply);
      });
    },
  );
}

/** The status answer (service 55): `paidTime` once paid; the refunds that worked in `refundHistory`. */
function statusView(simulator: CheckoutSimulator, p: Readonly<CheckoutPayment>, time: (at: string) => string): Record<string, unknown> {
  const paid = p.status === 'PAID' || p.status === 'REFUNDED';
  return {
    originalPartnerReferenceNo: p.merchantRef,
    originalReferenceNo: p.walletRef,
    serviceCode: '54',
    latestTransactionStatus: snapStatusOf(p),
    transactionStatusDesc: snapStatusDesc(p),
    amount: snapMoney(p.amount),
    transAmount: snapMoney(p.amount),
    ...(paid ? { paidTime: time(p.updatedAt) } : {}),
    refundHistory: simulator.refundsOf(p.merchantRef).map((r) => ({
      refundNo: (r.reply as { refundNo?: string }).refundNo ?? '',
      partnerReferenceNo: r.refundKey,
      refundAmount: snapMoney(r.amount),
      refundStatus: '00',
      refundDate: time(r.at),
    })),
  };
}
