import type { Request, Response } from 'express';
import { isFinal, PaymentStatus, statusName } from '../../domain/payment-status.js';
import type { ApiDeps } from '../deps.js';
import { merchantReturnUrl, signatureValid } from '../page-links.js';
import { errorPage, escapeHtml, formatRupiah, page } from '../pages/html.js';

function maskPhone(phone: string): string {
  return phone.length <= 8 ? '****' : `${phone.slice(0, 4)}****${phone.slice(-4)}`;
}

/** The page an OVO customer sees while approving in the OVO app; it follows the workflow until a final status. */
export function paymentWaitPage(deps: ApiDeps) {
  return async (req: Request<{ tXid: string }>, res: Response): Promise<void> => {
    const { tXid } = req.params;
    const view = signatureValid(deps.config.pageSigningSecret, tXid, req.query.sig) ? await deps.payments.view(tXid) : undefined;
    if (!view) {
      res.status(404).type('html').send(errorPage('8004', 'Payment not found'));
      return;
    }
    const reg = view.registration;
    const sandboxPhone = deps.config.sandbox.linksEnabled
      ? `<p class="muted">Sandbox: <a href="${escapeHtml(`${deps.config.sandbox.publicUrl}/ovo/phone/${encodeURIComponent(reg.billingPhone)}`)}" target="_blank" rel="noopener">open this number's OVO app</a></p>`
      : '';
    const stateUrl = `${req.baseUrl}${req.path}/state?sig=${encodeURIComponent(typeof req.query.sig === 'string' ? req.query.sig : '')}`;
    res.type('html').send(
      page(
        'Approve in OVO',
        `<h1>Approve the payment in your OVO app</h1>
<p class="muted">We sent a payment request to the OVO app of ${escapeHtml(maskPhone(reg.billingPhone))}.</p>
<div class="amount">${escapeHtml(formatRupiah(reg.amt))}</div>
<div class="row"><span>Merchant</span><span>${escapeHtml(reg.merchantName)}</span></div>
<div class="row"><span>Order</span><span>${escapeHtml(reg.goodsNm)}</span></div>
<div class="row"><span>Reference</span><span>${escapeHtml(reg.referenceNo)}</span></div>
<div class="spinner" id="spinner" aria-hidden="true"></div>
<div class="status" id="status" role="status">Waiting for your approval…</div>
${sandboxPhone}`,
        `const stateUrl = ${JSON.stringify(stateUrl)};
async function poll() {
  try {
    const r = await fetch(stateUrl, { headers: { accept: 'application/json' } });
    const s = await r.json();
    if (s.final) {
      document.getElementById('status').textContent = s.message;
      document.getElementById('spinner').remove();
      if (s.returnUrl) setTimeout(() => location.replace(s.returnUrl), 800);
      return;
    }
  } catch (e) {}
  setTimeout(poll, 1500);
}
poll();`,
      ),
    );
  };
}

export function paymentWaitState(deps: ApiDeps) {
  return async (req: Request<{ tXid: string }>, res: Response): Promise<void> => {
    const { tXid } = req.params;
    const view = signatureValid(deps.config.pageSigningSecret, tXid, req.query.sig) ? await deps.payments.view(tXid) : undefined;
    if (!view) {
      res.status(404).json({ final: false, message: 'not found' });
      return;
    }
    const final = isFinal(view.status);
    const message = view.status === PaymentStatus.Paid ? 'Payment successful' : final ? `Payment ${statusName[view.status].toLowerCase()}` : 'Waiting for your approval…';
    res.json({ final, status: view.status, message, ...(final ? { returnUrl: merchantReturnUrl(view) } : {}) });
  };
}
