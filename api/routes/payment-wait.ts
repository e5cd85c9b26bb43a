import type { Request, Response } from 'express';
import { maskPhone } from '../../domain/account-link.js';
import { pageSignatureValid } from '../../domain/page-signature.js';
import { isFinal, PaymentStatus, statusName } from '../../domain/payment-status.js';
import type { PaymentView } from '../../workflows/messages.js';
import type { ApiDeps } from '../deps.js';
import { merchantReturnUrl, waitPagePath } from '../page-links.js';
import { errorPage, escapeHtml, formatRupiah, page } from '../pages/html.js';

async function signedView(deps: ApiDeps, req: Request<{ tXid: string }>): Promise<PaymentView | undefined> {
  const { tXid } = req.params;
  return pageSignatureValid(deps.config.pageSigningSecret, tXid, req.query.sig) ? deps.payments.view(tXid) : undefined;
}

/**
 * The page a customer sees until the payment is final: approving in the OVO app, or back from a redirect
 * wallet while the gateway confirms with it. It follows the workflow, then ends on the merchant's callBackUrl.
 */
export function paymentWaitPage(deps: ApiDeps) {
  return async (req: Request<{ tXid: string }>, res: Response): Promise<void> => {
    const view = await signedView(deps, req);
    if (!view) {
      res.status(404).type('html').send(errorPage('8004', 'Payment not found'));
      return;
    }
    const reg = view.registration;
    const descriptor = deps.wallets.byMitraCd(reg.mitraCd);
    const wallet = descriptor?.name ?? reg.mitraCd;
    const push = view.flow === 'push';
    const sandboxPhone =
      push && deps.config.sandbox.linksEnabled && descriptor?.simulator.kind === 'ovo'
        ? `<p class="muted">Sandbox: <a href="${escapeHtml(`${deps.config.sandbox.publicUrl}/${descriptor.callbackPath}/phone/${encodeURIComponent(reg.billingPhone)}`)}" target="_blank" rel="noopener">open this number's ${escapeHtml(wallet)} app</a></p>`
        : '';
    const heading = push ? `Approve the payment in your ${wallet} app` : `Confirming your payment with ${wallet}`;
    const intro = push
      ? `We sent a payment request to the ${wallet} app of ${escapeHtml(maskPhone(reg.billingPhone))}.`
      : `${wallet} is telling us how your payment went. This takes a few seconds.`;
    const stateUrl = `${req.baseUrl}${req.path}/state?sig=${encodeURIComponent(typeof req.query.sig === 'string' ? req.query.sig : '')}&wait=1`;
    res.type('html').send(
      page(
        heading,
        `<h1>${escapeHtml(heading)}</h1>
<p class="muted">${intro}</p>
<div class="amount">${escapeHtml(formatRupiah(reg.amt))}</div>
<div class="row"><span>Merchant</span><span>${escapeHtml(reg.merchantName)}</span></div>
<div class="row"><span>Order</span><span>${escapeHtml(reg.goodsNm)}</span></div>
<div class="row"><span>Reference</span><span>${escapeHtml(reg.referenceNo)}</span></div>
<div class="spinner" id="spinner" aria-hidden="true"></div>
<div class="status" id="status" role="status">${push ? 'Waiting for your approval…' : 'Confirming…'}</div>
${sandboxPhone}`,
        `const stateUrl = ${JSON.stringify(stateUrl)};
async function poll() {
  let again = 1000;
  try {
    const r = await fetch(stateUrl, { headers: { accept: 'application/json' } });
    const s = await r.json();
    if (s.final) {
      document.getElementById('status').textContent = s.message;
      document.getElementById('spinner').remove();
      if (s.returnUrl) setTimeout(() => location.replace(s.returnUrl), 800);
      return;
    }
    again = 0; // a long-poll that ran its course: ask again at once
  } catch (e) {}
  setTimeout(poll, again);
}
poll();`,
      ),
    );
  };
}

/** How long one long-poll of the waiting page waits for a final status before answering "still waiting". */
export const LONG_POLL_MS = 20_000;

/**
 * The waiting page's state. With `wait=1` it is a long-poll: it answers once the payment's final status shows in
 * visibility (no worker is asked while the customer waits), or after LONG_POLL_MS with "still waiting"; only the
 * final answer reads the payment itself (its message and the merchant's return URL). Served outside the NICEPAY
 * routes' in-flight limit: a waiting customer holds a connection, not a slot a merchant's call needs.
 */
export function paymentWaitState(deps: ApiDeps) {
  return async (req: Request<{ tXid: string }>, res: Response): Promise<void> => {
    const { tXid } = req.params;
    if (!pageSignatureValid(deps.config.pageSigningSecret, tXid, req.query.sig)) {
      res.status(404).json({ final: false, message: 'not found' });
      return;
    }
    if (req.query.wait === '1' && !(await deps.payments.awaitFinal(tXid, LONG_POLL_MS))) {
      res.json({ final: false, message: 'Waiting…' });
      return;
    }
    const view = await deps.payments.view(tXid);
    if (!view) {
      res.status(404).json({ final: false, message: 'not found' });
      return;
    }
    const final = isFinal(view.status);
    const message = view.status === PaymentStatus.Paid ? 'Payment successful' : final ? `Payment ${statusName[view.status].toLowerCase()}` : 'Waiting…';
    res.json({ final, status: view.status, message, ...(final ? { returnUrl: merchantReturnUrl(view) } : {}) });
  };
}

/** A redirect wallet sends the browser back here (its own query parameters are ignored: the workflow decides). */
export function walletReturn(deps: ApiDeps) {
  return (req: Request<{ tXid: string }>, res: Response): void => {
    const { tXid } = req.params;
    if (!pageSignatureValid(deps.config.pageSigningSecret, tXid, req.query.sig)) {
      res.status(404).type('html').send(errorPage('8004', 'Payment not found'));
      return;
    }
    res.redirect(303, waitPagePath(deps.config.pageSigningSecret, tXid));
  };
}
