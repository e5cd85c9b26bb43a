import type { Request, Response } from 'express';
import { tokens } from '../../domain/merchant-token.js';
import { ResultCode } from '../../domain/result-codes.js';
import { newTxId } from '../../domain/tx-id.js';
import { EWALLET_PAY_METHOD } from '../../domain/wallets.js';
import type { ApiDeps } from '../deps.js';
import { GatewayError } from '../errors.js';
import { knownMerchant, requireToken } from '../merchant-auth.js';
import { requireNotifiableUrl } from '../notify-url.js';
import { amtAsSent, fingerprint, keptExtras, registrationOf } from '../registration-content.js';
import { rawFields, validateFields } from '../validate.js';
import { RegistrationRequest, type RegistrationReply } from './registration.schema.js';

export function registrationRoute(deps: ApiDeps) {
  return async (req: Request, res: Response<RegistrationReply>): Promise<void> => {
    const raw = rawFields(req.body);
    const merchant = knownMerchant(deps.merchants, raw);
    const body = validateFields(RegistrationRequest, raw);
    requireNotifiableUrl(deps.config.mode, merchant, body.dbProcessUrl);
    if (body.payMethod !== EWALLET_PAY_METHOD) throw new GatewayError(ResultCode.MethodNotActive, `payMethod ${body.payMethod} not active: this gateway serves e-wallets (05)`);
    const wallet = deps.wallets.byMitraCd(body.mitraCd);
    if (!wallet || !merchant.mitraCds.includes(body.mitraCd)) {
      throw new GatewayError(ResultCode.MethodNotActive, `mitraCd ${body.mitraCd} not active for this merchant`);
    }
    if (wallet.accountLinks) {
      throw new GatewayError(ResultCode.MethodNotActive, `mitraCd ${body.mitraCd} pays on a linked account: link with /nicepay/api/linkEnable.do, pay with /nicepay/api/linkInitiate.do`);
    }
    const extra = keptExtras(raw);
    // The merchant hashed amt as they sent it; hash the same text.
    requireToken(tokens.registration({ timeStamp: body.timeStamp, iMid: merchant.iMid, referenceNo: body.referenceNo, amt: amtAsSent(raw, body.amt), merchantKey: merchant.merchantKey }), body.merchantToken);

    const registration = registrationOf(merchant, body.mitraCd, body, extra);
    const tXid = newTxId(merchant.iMid, body.referenceNo, new Date());
    const receipt = await deps.payments.register({
      tXid,
      registration,
      fingerprint: fingerprint(registration),
      flow: wallet.flow,
      timeouts: deps.config.timeouts,
    });
    res.json({
      resultCd: ResultCode.Success,
      resultMsg: 'SUCCESS',
      tXid: receipt.tXid,
      referenceNo: registration.referenceNo,
      payMethod: registration.payMethod,
      mitraCd: registration.mitraCd,
      amt: String(registration.amt),
      currency: registration.currency,
      transDt: receipt.transDt,
      transTm: receipt.transTm,
      description: registration.description ?? '',
    });
  };
}
