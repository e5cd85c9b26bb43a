import type { Request, Response } from 'express';
import { tokens } from '../../domain/merchant-token.js';
import { ResultCode } from '../../domain/result-codes.js';
import type { ApiDeps } from '../deps.js';
import { GatewayError, tXidNotFound } from '../errors.js';
import { knownMerchant, requireToken } from '../merchant-auth.js';
import { rawFields, validateFields } from '../validate.js';
import { findStanding } from './payment.js';
import { InquiryRequest, type InquiryReply } from './inquiry.schema.js';

/** Answers from the Temporal server (api/payment-standing.ts): consistent with every change the API has acknowledged. */
export function inquiryRoute(deps: ApiDeps) {
  return async (req: Request, res: Response<InquiryReply>): Promise<void> => {
    const raw = rawFields(req.body);
    const merchant = knownMerchant(deps.merchants, raw);
    const body = validateFields(InquiryRequest, raw);
    const sentAmt = typeof raw.amt === 'string' ? raw.amt.trim() : body.amt;
    requireToken(tokens.inquiry({ timeStamp: body.timeStamp, iMid: merchant.iMid, referenceNo: body.referenceNo, amt: sentAmt, merchantKey: merchant.merchantKey }), body.merchantToken);

    const view = await findStanding(deps, body.tXid);
    const reg = view.registration;
    // Another merchant's transaction is "not found" for this one: nothing is revealed across merchants.
    if (reg.iMid !== merchant.iMid || reg.referenceNo !== body.referenceNo) throw tXidNotFound();
    if (reg.amt !== body.amt) throw new GatewayError(ResultCode.Malformed, 'Invalid amt: does not match the registered amount');
    res.json({
      resultCd: ResultCode.Success,
      resultMsg: 'SUCCESS',
      tXid: view.tXid,
      iMid: reg.iMid,
      referenceNo: reg.referenceNo,
      payMethod: reg.payMethod,
      mitraCd: reg.mitraCd,
      amt: String(reg.amt),
      currency: reg.currency,
      goodsNm: reg.goodsNm,
      billingNm: reg.billingNm,
      reqDt: view.reqDt,
      reqTm: view.reqTm,
      status: String(view.status),
      transDt: view.transDt,
      transTm: view.transTm,
      cancelAmt: String(view.cancelAmt),
    });
  };
}
