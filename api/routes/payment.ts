import type { Request, Response } from 'express';
import { tokens } from '../../domain/merchant-token.js';
import { ResultCode } from '../../domain/result-codes.js';
import { iMidOfTxId } from '../../domain/tx-id.js';
import type { PaymentView } from '../../workflows/messages.js';
import type { RegisteredPayment } from '../registered-payments.js';
import type { ApiDeps } from '../deps.js';
import type { PaymentStanding } from '../payment-standing.js';
import { GatewayError, tXidNotFound } from '../errors.js';
import { requireToken } from '../merchant-auth.js';
import { submissionAnswer } from '../outcome-codes.js';
import { waitPagePath } from '../page-links.js';
import { errorPage } from '../pages/html.js';
import { rawFields, validateFields } from '../validate.js';
import { PaymentRequest, type PaymentReply } from './payment.schema.js';

/** JSON for server and app clients (NICEPAY's returnJsonFormat=1, or Accept: application/json); a browser is redirected. */
export function wantsJson(req: Request, returnJsonFormat: string | undefined): boolean {
  return returnJsonFormat === '1' || /application\/json/i.test(req.get('accept') ?? '');
}

export function paymentRoute(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const raw = rawFields(req.method === 'GET' ? req.query : { ...req.query, ...rawFields(req.body) });
    const json = wantsJson(req, typeof raw.returnJsonFormat === 'string' || typeof raw.returnJsonFormat === 'number' ? String(raw.returnJsonFormat).trim() : undefined);
    try {
      const body = validateFields(PaymentRequest, raw);
      const registered = await findRegistered(deps, body.tXid);
      const merchant = deps.merchants.find(registered.iMid);
      if (!merchant) throw new GatewayError(ResultCode.UnknownMerchant);
      requireToken(
        tokens.payment({ timeStamp: body.timeStamp, iMid: merchant.iMid, referenceNo: registered.referenceNo, amt: registered.amt, merchantKey: merchant.merchantKey }),
        body.merchantToken,
      );
      const outcome = await deps.payments.submit(body.tXid, body.callBackUrl ? { callBackUrl: body.callBackUrl } : {});
      const answer = submissionAnswer(outcome);
      const reply: PaymentReply = {
        ...answer,
        tXid: body.tXid,
        referenceNo: registered.referenceNo,
        status: String(outcome.status),
        ...(outcome.redirectUrl ? { redirectUrl: outcome.redirectUrl } : {}),
      };
      if (json) {
        res.json(reply);
      } else if (answer.resultCd !== ResultCode.Success) {
        res.status(200).type('html').send(errorPage(answer.resultCd, answer.resultMsg));
      } else {
        res.redirect(302, outcome.redirectUrl ?? waitPagePath(deps.config.pageSigningSecret, body.tXid));
      }
    } catch (err) {
      if (json || !(err instanceof GatewayError)) throw err;
      res.status(200).type('html').send(errorPage(err.resultCd, err.message));
    }
  };
}

/** What the payment call checks its token against; usually known to this process without asking the workflow. */
export function findRegistered(deps: ApiDeps, tXid: string): Promise<RegisteredPayment> {
  return findOr8004(deps, tXid, (t) => deps.payments.registered(t));
}

export function findPayment(deps: ApiDeps, tXid: string): Promise<PaymentView> {
  return findOr8004(deps, tXid, (t) => deps.payments.view(t));
}

/** What an inquiry answers, read without a worker. */
export function findStanding(deps: ApiDeps, tXid: string): Promise<PaymentStanding> {
  return findOr8004(deps, tXid, (t) => deps.payments.standing(t));
}

/** A tXid not of a known merchant is not looked up at all; either way an unknown one is 8004. */
export async function findOr8004<T>(deps: ApiDeps, tXid: string, lookup: (tXid: string) => Promise<T | undefined>): Promise<T> {
  const notFound = tXidNotFound();
  const found = iMidOfTxId(tXid, deps.merchants.iMids()) ? await lookup(tXid) : undefined;
  if (found === undefined) throw notFound;
  return found;
}
