import type { Request, Response } from 'express';
import { LinkStatus, maskPhone } from '../../domain/account-link.js';
import { linkKey } from '../../domain/link-key.js';
import type { Merchant } from '../../domain/merchants.js';
import { tokens } from '../../domain/merchant-token.js';
import { ResultCode } from '../../domain/result-codes.js';
import { newTxId } from '../../domain/tx-id.js';
import { EWALLET_PAY_METHOD, LINK_MITRA_CD } from '../../domain/wallets.js';
import type { MandateView } from '../../workflows/link-messages.js';
import type { ApiDeps } from '../deps.js';
import { submissionAnswer } from '../outcome-codes.js';
import { GatewayError } from '../errors.js';
import { knownMerchant, requireToken } from '../merchant-auth.js';
import { requireNotifiableUrl } from '../notify-url.js';
import { linkResultUrl } from '../page-links.js';
import { errorPage, escapeHtml, page } from '../pages/html.js';
import { amtAsSent, fingerprint, keptExtras, registrationOf, textAsSent } from '../registration-content.js';
import { rawFields, validateFields, type RawFields } from '../validate.js';
import { wantsJson } from './payment.js';
import { LinkEnableRequest, LinkInitiateRequest, LinkStatusRequest, type LinkEnableReply, type LinkInitiateReply, type LinkStatusReply } from './link.schema.js';

/** AstraPay must be active for the merchant, through NICEPAY's e-wallet payMethod. */
function requireAstraPay(deps: ApiDeps, merchant: Merchant, payMethod: string, mitraCd: string = LINK_MITRA_CD): void {
  if (payMethod !== EWALLET_PAY_METHOD) throw new GatewayError(ResultCode.MethodNotActive, `payMethod ${payMethod} not active: account links are e-wallet (05)`);
  if (mitraCd !== LINK_MITRA_CD || !merchant.mitraCds.includes(mitraCd) || deps.wallets.byMitraCd(mitraCd)?.accountLinks !== true) {
    throw new GatewayError(ResultCode.MethodNotActive, `mitraCd ${mitraCd} not active for account links: only ASTR links accounts`);
  }
}

/**
 * A browser (NICEPAY's form submit) is redirected or shown an error page; a server or app client (a JSON body,
 * returnJsonFormat=1, Accept: application/json) gets JSON. Errors of the JSON kind go to the API's error handler.
 */
async function answerBrowserOrJson(req: Request, res: Response, raw: RawFields, handle: (json: boolean) => Promise<void>): Promise<void> {
  const flag = raw.returnJsonFormat;
  const json = typeof req.is('json') === 'string' || wantsJson(req, typeof flag === 'string' || typeof flag === 'number' ? String(flag).trim() : undefined);
  try {
    await handle(json);
  } catch (err) {
    if (json || !(err instanceof GatewayError)) throw err;
    res.status(200).type('html').send(errorPage(err.resultCd, err.message));
  }
}

/** POST /nicepay/api/linkEnable.do: one link per iMid + phone; a pending or active one is returned, not duplicated. */
export function linkEnableRoute(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const raw = rawFields(req.body);
    await answerBrowserOrJson(req, res, raw, async (json) => {
      const merchant = knownMerchant(deps.merchants, raw);
      const body = validateFields(LinkEnableRequest, raw);
      requireNotifiableUrl(deps.config.mode, merchant, body.dbProcessUrl);
      requireAstraPay(deps, merchant, body.payMethod, body.mitraCd);
      requireToken(tokens.linkEnable({ iMid: merchant.iMid, referenceNo: body.referenceNo, billingPhone: textAsSent(raw, 'billingPhone', body.billingPhone), merchantKey: merchant.merchantKey }), body.merchantToken);

      const receipt = await deps.links.enable(
        { iMid: merchant.iMid, linkKey: linkKey(merchant.iMid, body.billingPhone, deps.config.accountLinks.idSecret), timeouts: deps.config.timeouts },
        {
          referenceNo: body.referenceNo,
          billingNm: body.billingNm,
          billingPhone: body.billingPhone,
          billingEmail: body.billingEmail,
          dbProcessUrl: body.dbProcessUrl,
          ...(body.callBackUrl ? { callBackUrl: body.callBackUrl } : {}),
          ...(body.userIP ? { userIP: body.userIP } : {}),
        },
      );
      const reply: LinkEnableReply = {
        resultCd: receipt.resultCd,
        resultMsg: receipt.resultMsg,
        referenceNo: receipt.referenceNo,
        mandateID: receipt.mandateID,
        linkStatus: receipt.linkStatus,
        ...(receipt.redirectUrl ? { redirectUrl: receipt.redirectUrl } : {}),
      };
      if (json) {
        res.json(reply);
      } else if (receipt.resultCd !== ResultCode.Success) {
        res.status(200).type('html').send(errorPage(receipt.resultCd, receipt.resultMsg));
      } else {
        const done = body.callBackUrl ? linkResultUrl(body.callBackUrl, receipt) : undefined;
        const next = receipt.redirectUrl ?? done;
        if (next) res.redirect(302, next);
        else res.status(200).type('html').send(page('AstraPay account link', `<h1>AstraPay account link: ${escapeHtml(receipt.linkStatus)}</h1>`));
      }
    });
  };
}

function statusReply(mandate: MandateView): LinkStatusReply {
  return {
    resultCd: ResultCode.Success,
    resultMsg: 'SUCCESS',
    mandateID: mandate.mandateID,
    linkStatus: mandate.status,
    billingPhone: maskPhone(mandate.request.billingPhone),
  };
}

function linkStatusRequest(deps: ApiDeps, req: Request) {
  const raw = rawFields(req.body);
  const merchant = knownMerchant(deps.merchants, raw);
  const body = validateFields(LinkStatusRequest, raw);
  requireToken(tokens.linkInquiry({ timeStamp: body.timeStamp, iMid: merchant.iMid, mandateID: body.mandateID, merchantKey: merchant.merchantKey }), body.merchantToken);
  return { iMid: merchant.iMid, mandateID: body.mandateID };
}

/** POST /nicepay/api/linkInquiry.do (the gateway's own): where a link stands, the phone masked. */
export function linkInquiryRoute(deps: ApiDeps) {
  return async (req: Request, res: Response<LinkStatusReply>): Promise<void> => {
    const { mandate } = await deps.links.view(linkStatusRequest(deps, req));
    res.json(statusReply(mandate));
  };
}

/** POST /nicepay/api/linkDisable.do (the gateway's own): no payment uses the link afterwards; AstraPay revokes its token. */
export function linkDisableRoute(deps: ApiDeps) {
  return async (req: Request, res: Response<LinkStatusReply>): Promise<void> => {
    const mandate = await deps.links.disable(linkStatusRequest(deps, req));
    res.json(statusReply(mandate));
  };
}

/**
 * POST /nicepay/api/linkInitiate.do: registration and payment in one call, on the link's account. The link hands
 * out its sealed account token (an update, so none after an unlink); the payment is then like any other.
 */
export function linkInitiateRoute(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const raw = rawFields(req.body);
    await answerBrowserOrJson(req, res, raw, async (json) => {
      const merchant = knownMerchant(deps.merchants, raw);
      const body = validateFields(LinkInitiateRequest, raw);
      requireNotifiableUrl(deps.config.mode, merchant, body.dbProcessUrl);
      requireAstraPay(deps, merchant, body.payMethod);
      requireToken(tokens.linkInitiate({ iMid: merchant.iMid, referenceNo: body.referenceNo, amt: amtAsSent(raw, body.amt), merchantKey: merchant.merchantKey }), body.merchantToken);

      const ref = { iMid: merchant.iMid, mandateID: body.mandateID };
      const { mandate } = await deps.links.view(ref);
      if (mandate.status !== LinkStatus.Active) throw new GatewayError(ResultCode.InvalidStatus, `Not allowed in the current status: account link is ${mandate.status.toLowerCase()}`);

      const registration = registrationOf(merchant, LINK_MITRA_CD, body, { ...keptExtras(raw), mandateID: body.mandateID });
      const content = fingerprint(registration);
      const existing = await deps.payments.viewByReference(merchant.iMid, body.referenceNo);
      if (existing && existing.fingerprint !== content) throw new GatewayError(ResultCode.DuplicateReference, 'referenceNo already registered with different content');
      let tXid = existing?.tXid ?? newTxId(merchant.iMid, body.referenceNo, new Date());
      if (!existing) {
        const { sealedAccountToken } = await deps.links.authorizePayment(ref, tXid);
        // A concurrent linkInitiate of the same referenceNo may have registered first: its tXid is the payment's.
        ({ tXid } = await deps.payments.register({
          tXid,
          registration,
          fingerprint: content,
          flow: 'redirect',
          timeouts: deps.config.timeouts,
          accountLink: { mandateID: body.mandateID, sealedAccountToken },
        }));
      }
      const outcome = await deps.payments.submit(tXid, body.callBackUrl ? { callBackUrl: body.callBackUrl } : {}).catch((err: unknown) => {
        // A repeated linkInitiate (its first answer lost) of a payment that has ended since cannot pay again (9502);
        // its answer still names the transaction, since this call is where the merchant learns the tXid.
        if (existing && json && err instanceof GatewayError && err.resultCd === ResultCode.InvalidStatus) return err;
        throw err;
      });
      if (outcome instanceof GatewayError) {
        res.json({ resultCd: outcome.resultCd, resultMsg: outcome.message, tXid, referenceNo: body.referenceNo } satisfies LinkInitiateReply);
        return;
      }
      const answer = submissionAnswer(outcome);
      const reply: LinkInitiateReply = {
        ...answer,
        tXid,
        referenceNo: body.referenceNo,
        ...(outcome.redirectUrl ? { redirectUrl: outcome.redirectUrl } : {}),
      };
      if (json) res.json(reply);
      else if (answer.resultCd !== ResultCode.Success || !outcome.redirectUrl) res.status(200).type('html').send(errorPage(answer.resultCd, answer.resultMsg));
      else res.redirect(302, outcome.redirectUrl);
    });
  };
}
