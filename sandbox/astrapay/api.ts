import type { Request, Router } from 'express';
import { z } from 'zod';
import { checkoutApiRouter, jsonBody } from '../checkout/api.js';
import type { CheckoutError, CheckoutErrorKind } from '../checkout/errors.js';
import type { CheckoutSimulator } from '../checkout/simulator.js';
import type { RedirectWalletDeps } from '../checkout/wallet.js';
import { sandboxPublicUrl } from '../public-url.js';
import { rawBodyOf, type WireReply } from '../wallet-api.js';
import { publishedPath, symmetricAuthProblem, type SymmetricClient } from '../snap/auth.js';
import type { ExternalIds } from '../snap/external-ids.js';
import { createDirectDebitPayment, SnapTime, UrlParam } from '../snap/direct-debit-create.js';
import { SnapMoney } from '../snap/money.js';
import { parseSnapFields, snapReply, SnapError, snapService, snapSuccess } from '../snap/reply.js';
import { parseSnapTime } from '../snap/time.js';
import type { B2bTokens } from '../snap/tokens.js';
import type { AstraPayLink } from './schemas.js';
import type { AstraPayLinks } from './links.js';

/** SNAP account binding's published paths (WALLET-APIS.md; NICEPAY's for `ASTR`), under `/v1.0`, and their service codes. */
export const bindingPaths = {
  bind: '/registration-account-binding',
  inquiry: '/registration-account-inquiry',
  unbind: '/registration-account-unbinding',
} as const;
const bindingService = { bind: '07', inquiry: '08', unbind: '09' } as const;
const serviceOfPath: Readonly<Record<string, string>> = {
  [bindingPaths.bind]: bindingService.bind,
  [bindingPaths.inquiry]: bindingService.inquiry,
  [bindingPaths.unbind]: bindingService.unbind,
};

/** The answers to the core's errors on the binding and pay calls: HTTP status, SNAP case code, message. */
const errorTable: Record<CheckoutErrorKind, (e: CheckoutError) => readonly [number, string, string]> = {
  invalid: (e) => [e.httpStatus ?? 400, '01', `Invalid Field Format ${e.field ?? 'body'}`],
  'invalid-phone': () => [400, '01', 'Invalid Field Format phoneNo'],
  duplicate: () => [409, '01', 'Duplicate partnerReferenceNo'],
  'not-found': () => [404, '01', 'Not Found'],
  'already-paid': () => [403, '15', 'Transaction Not Permitted. The transaction is paid'],
  'not-paid': () => [404, '00', 'Invalid Transaction Status'],
  'refund-exceeds': () => [403, '02', 'Exceeds Transaction Amount Limit'],
  'refund-not-allowed': () => [403, '15', 'Transaction Not Permitted'],
  outage: () => [500, '01', 'Internal Server Error'],
  'no-endpoint': () => [404, '00', 'Not Found'],
};

function errorReplyFor(service: (req: Request) => string): (error: CheckoutError, req: Request) => WireReply {
  return (error, req) => {
    if (error instanceof SnapError) return snapReply(error.http, service(req), error.caseCode, error.message);
    const [http, caseCode, message] = errorTable[error.kind](error);
    return snapReply(http, service(req), caseCode, message);
  };
}

const httpUrl = z.url({ protocol: /^https?$/ }).max(512);
const Mitra = z.literal('ASTR');

/** NICEPAY's binding body for `ASTR`; `additionalInfo.validUpTo` is the gateway's (no field exists for a binding's deadline). */
const Bind = z.object({
  partnerReferenceNo: z.string().min(1).max(64),
  merchantId: z.string().min(1).max(64),
  phoneNo: z.string().min(1).max(30),
  additionalData: z.object({ userId: z.string().min(1).max(256), email: z.string().max(256) }),
  additionalInfo: z.object({ mitraCd: Mitra, callbackUrl: httpUrl, validUpTo: SnapTime.optional() }),
});
/** By the binding (`partnerReferenceNo`) or, as NICEPAY documents, by its `additionalInfo.refreshToken`. */
const Inquiry = z
  .object({
    partnerReferenceNo: z.string().min(1).max(64).optional(),
    merchantId: z.string().min(1).max(64).optional(),
    additionalInfo: z.object({ mitraCd: Mitra, refreshToken: z.string().min(1).max(128).optional() }),
  })
  .refine((b) => b.partnerReferenceNo !== undefined || b.additionalInfo.refreshToken !== undefined, { message: 'partnerReferenceNo or additionalInfo.refreshToken', path: ['partnerReferenceNo'] });
const Unbind = z.object({
  partnerReferenceNo: z.string().min(1).max(64),
  merchantId: z.string().min(1).max(64),
  additionalInfo: z.object({ mitraCd: Mitra, referenceNo: z.string().max(64).optional() }),
});
/** Direct Debit on a bound account: the account (and so the phone) is the customer token's. */
const Pay = z.object({
  partnerReferenceNo: z.string().min(1).max(64),
  merchantId: z.string().min(1).max(64),
  amount: SnapMoney,
  validUpTo: SnapTime,
  urlParams: z
    .array(UrlParam)
    .min(1)
    .refine((ps) => ps.some((p) => p.type === 'PAY_RETURN'), 'a PAY_RETURN url is mandatory'),
  additionalInfo: z.object({ mitraCd: Mitra, remark: z.string().max(256).optional() }),
});

export interface AstraPayApiOptions {
  /** `/astrapay`: where the sandbox serves the wallet; the signatures cover the published path, without it. */
  readonly prefix: string;
  readonly merchantName: string;
  readonly simulator: CheckoutSimulator;
  readonly links: AstraPayLinks;
  readonly deps: RedirectWalletDeps;
  readonly client: SymmetricClient;
  readonly tokens: B2bTokens;
  readonly externalIds: ExternalIds;
}

/** The B2B token and HMAC-SHA512 signature of every call, then `X-EXTERNAL-ID` once per Jakarta day (sandbox/snap). */
function authenticate(o: AstraPayApiOptions, service: (req: Request) => string): (req: Request) => WireReply | undefined {
  return (req) => {
    const problem = symmetricAuthProblem(req, o.client, o.tokens, o.prefix);
    if (problem !== undefined) return snapReply(problem.http, service(req), problem.case, problem.message);
    if (!o.externalIds.admit(req.get('X-EXTERNAL-ID') ?? '', publishedPath(req, o.prefix), rawBodyOf(req).toString('utf8'))) {
      return snapReply(409, service(req), '00', 'Conflict. X-EXTERNAL-ID already used today for another request');
    }
    return undefined;
  };
}

/** `Authorization-Customer: Bearer <customer token>`: the token of one binding; `undefined` when the header is absent. */
function customerToken(req: Request): string | undefined {
  const header = req.get('Authorization-Customer');
  if (header === undefined || header === '') return undefined;
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (token === undefined) throw invalidCustomerToken();
  return token;
}

const invalidCustomerToken = (): SnapError => new SnapError('invalid', 'Invalid Customer Token', 401, '02');

/**
 * SNAP account binding at `/astrapay/v1.0/registration-account-*` (services 07, 08, 09), as NICEPAY documents it for
 * `ASTR`: the binding answers the registration page (`redirectUrl`); its result, with the customer token, comes by
 * notify (links.ts); the inquiry answers the status and, while ACTIVE, the tokens; the unbinding takes the token.
 */
export function createAstraPayBindingRouter(o: AstraPayApiOptions): Router {
  const { links, deps } = o;
  const merchantId = o.client.clientId;
  const service = (req: Request): string => serviceOfPath[req.path] ?? '00';
  const merchantOf = (body: { merchantId?: string | undefined }): void => {
    if (body.merchantId !== undefined && body.merchantId !== merchantId) throw new SnapError('invalid', 'Invalid Merchant', 404, '08', 'merchantId');
  };
  return checkoutApiRouter({ wallet: o.simulator.spec.wallet, deps, authenticate: authenticate(o, service), errorReply: errorReplyFor(service) }, (routes) => {
    routes.post(bindingPaths.bind, (req) => {
      const raw = jsonBody(req);
      const body = parseSnapFields(Bind, raw);
      merchantOf(body);
      const validUpTo = body.additionalInfo.validUpTo !== undefined ? parseSnapTime(body.additionalInfo.validUpTo) : undefined;
      const expiresAt = new Date(validUpTo ?? Date.now() + deps.config.linkTimeoutSeconds * 1000).toISOString();
      const input = {
        linkRequestId: body.partnerReferenceNo,
        phone: body.phoneNo,
        name: body.additionalData.userId,
        email: body.additionalData.email,
        returnUrl: body.additionalInfo.callbackUrl,
        expiresAt,
      };
      const { reply } = links.create(input, raw, (l) => ({
        partnerReferenceNo: l.linkRequestId,
        referenceNo: l.linkId,
        redirectUrl: `${sandboxPublicUrl(deps.config, req)}${o.prefix}/register/${l.linkId}`,
      }));
      return snapSuccess(bindingService.bind, reply);
    });

    routes.post(bindingPaths.inquiry, (req) => {
      const body = parseSnapFields(Inquiry, jsonBody(req));
      merchantOf(body);
      const l = body.partnerReferenceNo !== undefined ? links.find(body.partnerReferenceNo) : links.byRefreshToken(body.additionalInfo.refreshToken ?? '');
      return snapSuccess(bindingService.inquiry, bindingView(l));
    });

    routes.post(bindingPaths.unbind, (req) => {
      const token = customerToken(req);
      const body = parseSnapFields(Unbind, jsonBody(req));
      merchantOf(body);
      const l = links.find(body.partnerReferenceNo);
      // A bound account is unbound with its own token; a binding that never had one needs none.
      if (l.accountToken !== undefined ? token !== l.accountToken : token !== undefined) throw invalidCustomerToken();
      const after = links.revoke(l.linkRequestId);
      return snapSuccess(bindingService.unbind, { partnerReferenceNo: after.linkRequestId, referenceNo: after.linkId, unlinkResult: 'success' });
    });
  });
}

/**
 * `POST /astrapay/v1.0/debit/payment-host-to-host` on a bound account: `Authorization-Customer` names the account
 * (an unknown, revoked or missing token → 401xx02); the customer confirms with the PIN on `webRedirectUrl`. Status,
 * cancel, refund and the notify are the standard Direct Debit's (sandbox/snap).
 */
export function createAstraPayPayRouter(o: AstraPayApiOptions): Router {
  const { simulator, links, deps } = o;
  const service = (): string => snapService.pay;
  return checkoutApiRouter({ wallet: simulator.spec.wallet, deps, authenticate: authenticate(o, service), errorReply: errorReplyFor(service) }, (routes) => {
    routes.post('/', (req) => {
      const token = customerToken(req);
      const account = token !== undefined ? links.activeByToken(token) : undefined;
      if (account === undefined) throw invalidCustomerToken();
      const raw = jsonBody(req);
      const body = parseSnapFields(Pay, raw);
      if (body.merchantId !== o.client.clientId) throw new SnapError('invalid', 'Invalid Merchant', 404, '08', 'merchantId');
      const reply = createDirectDebitPayment(simulator, body, raw, {
        phone: account.accountPhone ?? account.phone,
        merchantName: o.merchantName,
        page: (walletRef) => `${sandboxPublicUrl(deps.config, req)}${o.prefix}/verify/${walletRef}`,
      });
      return snapSuccess(snapService.pay, reply);
    });
  });
}

/** The inquiry's answer (service 08): the status in `additionalInfo`, the tokens while ACTIVE. */
function bindingView(l: Readonly<AstraPayLink>): Record<string, unknown> {
  const active = l.status === 'ACTIVE' && l.accountToken !== undefined;
  return {
    partnerReferenceNo: l.linkRequestId,
    referenceNo: l.linkId,
    ...(active ? { accessToken: l.accountToken, tokenType: 'Bearer', refreshToken: l.refreshToken } : {}),
    additionalInfo: { mitraCd: 'ASTR', bindingStatus: l.status, ...(l.reason !== undefined ? { reason: l.reason } : {}) },
  };
}
