import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { tokens } from '../../domain/merchant-token.js';
import { ResultCode } from '../../domain/result-codes.js';
import { EWALLET_PAY_METHOD } from '../../domain/wallets.js';
import type { ApiDeps } from '../deps.js';
import { GatewayError, tXidNotFound } from '../errors.js';
import { knownMerchant, requireToken } from '../merchant-auth.js';
import { cancelAnswer } from '../outcome-codes.js';
import { amtAsSent } from '../registration-content.js';
import { rawFields, validateFields } from '../validate.js';
import { CancelRequestFields, type CancelReply } from './cancel.schema.js';
import { findRegistered } from './payment.js';

/**
 * Void before payment, refund after (CONTRACT §3). The workflow serialises cancels; a request is identified by
 * the fields its token covers (tXid, timeStamp, amt), so the same request sent again (a retry, a concurrent
 * duplicate, a replay with other unsigned fields) gets the first answer and never refunds twice.
 */
export function cancelRoute(deps: ApiDeps) {
  return async (req: Request, res: Response<CancelReply>): Promise<void> => {
    const raw = rawFields(req.body);
    const merchant = knownMerchant(deps.merchants, raw);
    const body = validateFields(CancelRequestFields, raw);
    if (body.payMethod !== EWALLET_PAY_METHOD) throw new GatewayError(ResultCode.MethodNotActive, `payMethod ${body.payMethod} not active: this gateway serves e-wallets (05)`);
    const sentAmt = amtAsSent(raw, body.amt);
    requireToken(tokens.cancel({ timeStamp: body.timeStamp, iMid: merchant.iMid, tXid: body.tXid, amt: sentAmt, merchantKey: merchant.merchantKey }), body.merchantToken);

    // The registered payment (cached, or the workflow's memo from the server): no worker is asked before the cancel.
    const reg = await findRegistered(deps, body.tXid);
    // Another merchant's transaction is "not found" for this one: nothing is revealed across merchants.
    if (reg.iMid !== merchant.iMid || (body.referenceNo && body.referenceNo !== reg.referenceNo)) throw tXidNotFound();
    const full = body.cancelType === '1';
    if (full && body.amt !== reg.amt) throw new GatewayError(ResultCode.Malformed, `Invalid amt: a full cancel (cancelType 1) is for the transaction amount ${reg.amt}`);

    // A cancel is what its token covers (CONTRACT §3): a captured request replayed with another cancelType or
    // cancelMsg is the same cancel, answered as the first, never a second refund. 24 hex characters keep the wallet's
    // refund id (`cancel-<tXid>-<key>`) within SNAP's 64.
    const key = createHash('sha256').update(JSON.stringify([body.tXid, body.timeStamp, body.amt])).digest('hex').slice(0, 24);
    const outcome = await deps.payments.cancel(body.tXid, { key, cancelType: full ? 'full' : 'partial', amount: body.amt, reason: body.cancelMsg ?? '' });
    res.json({
      ...cancelAnswer(outcome),
      tXid: body.tXid,
      referenceNo: reg.referenceNo,
      cancelAmt: String(outcome.cancelAmt),
      status: String(outcome.status),
    });
  };
}
