import type { Request, Response } from 'express';
import { LinkStatus, maskPhone } from '../../domain/account-link.js';
import { linkPageId, pageSignatureValid } from '../../domain/page-signature.js';
import type { MandateView } from '../../workflows/link-messages.js';
import type { ApiDeps } from '../deps.js';
import { GatewayError } from '../errors.js';
import { linkResultUrl } from '../page-links.js';
import { errorPage, escapeHtml, page } from '../pages/html.js';

/** How long the return waits for AstraPay's callback, which usually arrives before the browser does. */
const SETTLE_WAIT_MS = 8_000;
const POLL_MS = 250;

/**
 * AstraPay's registration page sends the browser back here. The link's workflow decides (the query parameters
 * AstraPay adds are ignored); once the link is settled the browser ends on the merchant's callBackUrl.
 */
export function linkReturnRoute(deps: ApiDeps) {
  return async (req: Request<{ iMid: string; mandateID: string }>, res: Response): Promise<void> => {
    const { iMid, mandateID } = req.params;
    if (!pageSignatureValid(deps.config.pageSigningSecret, linkPageId(iMid, mandateID), req.query.sig)) {
      res.status(404).type('html').send(errorPage('8004', 'Account link not found'));
      return;
    }
    let mandate = await findMandate(deps, iMid, mandateID);
    const until = Date.now() + SETTLE_WAIT_MS;
    while (mandate?.status === LinkStatus.Pending && Date.now() < until) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      mandate = await findMandate(deps, iMid, mandateID);
    }
    if (!mandate) {
      res.status(404).type('html').send(errorPage('8004', 'Account link not found'));
      return;
    }
    const callBackUrl = mandate.request.callBackUrl;
    if (mandate.status !== LinkStatus.Pending && callBackUrl) {
      res.redirect(303, linkResultUrl(callBackUrl, { referenceNo: mandate.request.referenceNo, mandateID, linkStatus: mandate.status, ...(mandate.reason ? { reason: mandate.reason } : {}) }));
      return;
    }
    res.set('Cache-Control', 'no-store').type('html').send(linkStatePage(mandate));
  };
}

async function findMandate(deps: ApiDeps, iMid: string, mandateID: string): Promise<MandateView | undefined> {
  try {
    return (await deps.links.view({ iMid, mandateID })).mandate;
  } catch (err) {
    if (err instanceof GatewayError) return undefined;
    throw err;
  }
}

const headings: Record<LinkStatus, string> = {
  PENDING: 'Confirming your AstraPay account…',
  ACTIVE: 'AstraPay account linked',
  FAILED: 'AstraPay account not linked',
  EXPIRED: 'AstraPay link expired',
  DISABLED: 'AstraPay account unlinked',
};

/** Still pending (refreshes itself), or settled for a merchant that gave no callBackUrl. */
function linkStatePage(mandate: MandateView): string {
  const pending = mandate.status === LinkStatus.Pending;
  return page(
    headings[mandate.status],
    `${pending ? '<meta http-equiv="refresh" content="2">' : ''}<h1>${escapeHtml(headings[mandate.status])}</h1>
<div class="row"><span>Phone</span><span>${escapeHtml(maskPhone(mandate.request.billingPhone))}</span></div>
<div class="row"><span>Reference</span><span>${escapeHtml(mandate.request.referenceNo)}</span></div>
${pending ? '<div class="spinner" aria-hidden="true"></div>' : ''}
<div class="status${mandate.status === LinkStatus.Active || pending ? '' : ' error'}" role="status">${escapeHtml(pending ? 'Waiting for AstraPay…' : (mandate.reason ?? mandate.status))}</div>`,
  );
}
