import express, { type Response, type Router } from 'express';
import { formatRupiah, html, htmlDocument, raw, type SafeHtml } from '../html.js';
import { SANDBOX_PIN } from '../checkout/sessions.js';
import type { CheckoutPayment, CheckoutStatus } from '../checkout/schemas.js';
import type { CheckoutSimulator } from '../checkout/simulator.js';
import { withQuery } from '../checkout/wallet.js';
import { linkMagicOutcome, magicOutcome } from '../magic-values.js';
import { PHONE_PATTERN, normalizeTypedPhone } from '../phone.js';
import { snapStatusOf } from '../snap/direct-debit-status.js';
import type { AstraPayLinks } from './links.js';
import type { AstraPayLink, LinkStatus } from './schemas.js';

/** The OTP of every sandbox registration. */
export const SANDBOX_OTP = '123456';

const BRAND = { name: 'AstraPay', navy: '#1B3A6B', navyDark: '#12294D', gold: '#D4A537', goldSoft: '#FBF3DF' } as const;

/** Where the browser goes back to after a registration: the gateway's returnUrl + `linkRequestId` and `status`. */
export function linkReturnUrl(l: Readonly<AstraPayLink>): string {
  return withQuery(l.returnUrl, { linkRequestId: l.linkRequestId, status: l.status });
}

/** Where the browser goes back to after a verification: the PAY_RETURN url + `originalPartnerReferenceNo` and `latestTransactionStatus`, as the Direct Debit wallets. */
export function paymentReturnUrl(p: Readonly<CheckoutPayment>): string {
  return withQuery(p.successUrl, { originalPartnerReferenceNo: p.merchantRef, latestTransactionStatus: snapStatusOf(p) });
}

/**
 * AstraPay's customer pages, mounted at `/<callbackPath>` (`/astrapay`): the account registration (`/register/:linkId`: phone, name,
 * OTP; Register or Cancel) and the payment verification on a linked account (`/verify/:paymentId`: the order, the
 * PIN; Confirm or Cancel). Both answer 303 back to the gateway's returnUrl. Plain HTML forms, every value escaped.
 */
export function createAstraPayPagesRouter(o: { readonly simulator: CheckoutSimulator; readonly links: AstraPayLinks }): Router {
  const { simulator, links } = o;
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '16kb' }));
  const registerPath = (linkId: string): string => `/${simulator.spec.key}/register/${encodeURIComponent(linkId)}`;
  const verifyPath = (paymentId: string): string => `/${simulator.spec.key}/verify/${encodeURIComponent(paymentId)}`;

  router.get('/register/:linkId', (req, res) => {
    const l = links.byLinkId(req.params.linkId);
    if (l === undefined) sendHtml(res, 404, notFoundPage('Link not found', 'This registration link is not known to AstraPay.'));
    else if (l.status !== 'PENDING') sendHtml(res, 200, linkStatePage(l));
    else sendHtml(res, 200, registerPage(registerPath(l.linkId), l, { phone: l.phone, name: l.name }));
  });

  router.post('/register/:linkId', (req, res) => {
    const l = links.byLinkId(req.params.linkId);
    if (l === undefined) {
      sendHtml(res, 404, notFoundPage('Link not found', 'This registration link is not known to AstraPay.'));
      return;
    }
    const path = registerPath(l.linkId);
    if (l.status !== 'PENDING') {
      res.redirect(303, path);
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const phone = normalizeTypedPhone(typeof body.phone === 'string' ? body.phone : '');
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    const otp = typeof body.otp === 'string' ? body.otp.trim() : '';
    const form = { phone, name };
    if (!PHONE_PATTERN.test(phone)) sendHtml(res, 200, registerPage(path, l, { ...form, error: 'Enter a valid phone number: 08…, 628… or +628… and 7 to 12 more digits.' }));
    else if (name === '') sendHtml(res, 200, registerPage(path, l, { ...form, error: 'Enter your full name.' }));
    else if (otp !== SANDBOX_OTP) sendHtml(res, 200, registerPage(path, l, { ...form, error: 'Wrong OTP. Please try again.' }));
    else if (links.register(l.linkId, phone, name) === 'done') res.redirect(303, linkReturnUrl(l));
    else res.redirect(303, path);
  });

  router.post('/register/:linkId/cancel', (req, res) => {
    const l = links.byLinkId(req.params.linkId);
    if (l === undefined) sendHtml(res, 404, notFoundPage('Link not found', 'This registration link is not known to AstraPay.'));
    else if (links.cancel(l.linkId) === 'done') res.redirect(303, linkReturnUrl(l));
    else res.redirect(303, registerPath(l.linkId));
  });

  router.get('/verify/:paymentId', (req, res) => {
    const p = simulator.checkout(req.params.paymentId);
    if (p === undefined) sendHtml(res, 404, notFoundPage('Payment not found', 'This payment link is not known to AstraPay. Ask the merchant for a new one.'));
    else if (p.status !== 'PENDING') sendHtml(res, 200, paymentStatePage(p));
    else sendHtml(res, 200, verifyPage(verifyPath(p.walletRef), p, {}));
  });

  for (const action of ['confirm', 'cancel'] as const) {
    router.post(`/verify/:paymentId/${action}`, (req, res) => {
      const p = simulator.checkout(req.params.paymentId);
      if (p === undefined) {
        sendHtml(res, 404, notFoundPage('Payment not found', 'This payment link is not known to AstraPay.'));
        return;
      }
      const path = verifyPath(p.walletRef);
      const pin = typeof (req.body as Record<string, unknown> | undefined)?.pin === 'string' ? String((req.body as Record<string, unknown>).pin).trim() : '';
      if (action === 'confirm' && p.status === 'PENDING' && pin !== SANDBOX_PIN) {
        sendHtml(res, 200, verifyPage(path, p, { error: 'Wrong PIN. Please try again.' }));
        return;
      }
      const result = simulator.customerActs(p.walletRef, action === 'confirm' ? 'pay' : 'cancel');
      res.redirect(303, result === 'done' ? paymentReturnUrl(p) : path);
    });
  }
  return router;
}

function sendHtml(res: Response, status: number, body: string): void {
  res.status(status).set('Cache-Control', 'no-store').type('html').send(body);
}

// ---- pages ----------------------------------------------------------------------------------------------------

function layout(title: string, subtitle: string, main: SafeHtml): string {
  return htmlDocument({
    title: `${BRAND.name} · ${title}`,
    head: html`<meta name="theme-color" content="${BRAND.navy}"><style>${raw(css)}</style>`,
    body: html`<div class="app">
  <header class="bar"><span class="wordmark">Astra<span class="gold">Pay</span></span><span class="secure">${subtitle}</span></header>
  <main>${main}</main>
  <footer>Simulated ${BRAND.name} · sandbox, no real money</footer>
</div>`,
  });
}

function errorLine(error: string | undefined): SafeHtml | '' {
  return error !== undefined ? html`<p class="error" role="alert">${error}</p>` : '';
}

function registerPage(path: string, l: Readonly<AstraPayLink>, form: { phone: string; name: string; error?: string }): string {
  const magic = linkMagicOutcome(l.phone);
  return layout(
    'Link your account',
    'Account linking',
    html`<section class="card" aria-labelledby="reg-title">
  <h1 id="reg-title">Link your AstraPay account</h1>
  <p class="lead">A merchant asks to charge your AstraPay account for future payments. Each payment is confirmed with your PIN.</p>
  ${errorLine(form.error)}
  <form method="post" action="${path}" class="fields">
    <label for="phone">Phone number</label>
    <input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" required value="${form.phone}">
    <label for="name">Full name</label>
    <input id="name" name="name" type="text" autocomplete="name" required value="${form.name}">
    <label for="otp">OTP</label>
    <input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" maxlength="6" required${form.error !== undefined ? raw(' autofocus') : ''}>
    <p class="hint">Sandbox: the OTP is <code>${SANDBOX_OTP}</code>.</p>
    <button type="submit" class="primary">Register</button>
    <button type="submit" class="secondary" formaction="${path}/cancel" formnovalidate>Cancel</button>
  </form>
</section>
${magic !== undefined ? html`<p class="note">Sandbox test number ending in <code>${magic.suffix}</code>: ${magic.summary}.</p>` : ''}`,
  );
}

function verifyPage(path: string, p: Readonly<CheckoutPayment>, form: { error?: string }): string {
  const magic = magicOutcome(p.phone);
  return layout(
    `Pay ${p.merchantName}`,
    'Payment verification',
    html`<section class="card order" aria-label="Order">
  <div class="merchant">${p.merchantName || 'Merchant'}</div>
  <div class="desc">${p.description}</div>
  <div class="amount-label">Total payment</div>
  <div class="amount">${formatRupiah(p.amount)}</div>
  <dl><div><dt>Order ID</dt><dd>${p.merchantRef}</dd></div><div><dt>Payment ID</dt><dd>${p.walletRef}</dd></div></dl>
</section>
<section class="card" aria-labelledby="pin-title">
  <h1 id="pin-title">Confirm with your PIN</h1>
  ${errorLine(form.error)}
  <form method="post" action="${path}/confirm" class="fields">
    <label for="pin">PIN</label>
    <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="current-password" pattern="[0-9]*" maxlength="6" required${form.error !== undefined ? raw(' autofocus') : ''}>
    <p class="hint">Sandbox: the PIN is <code>${SANDBOX_PIN}</code>.</p>
    <button type="submit" class="primary">Confirm</button>
    <button type="submit" class="secondary" formaction="${path}/cancel" formnovalidate>Cancel</button>
  </form>
</section>
${magic.suffix !== null ? html`<p class="note">Sandbox test number ending in <code>${magic.suffix}</code>: ${magic.summary}.</p>` : ''}`,
  );
}

const linkTexts: Record<Exclude<LinkStatus, 'PENDING'>, { title: string; line: string; tone: 'ok' | 'bad' | 'neutral'; mark: string }> = {
  ACTIVE: { title: 'Account linked', line: 'Your AstraPay account is linked to the merchant.', tone: 'ok', mark: '✓' },
  FAILED: { title: 'Linking failed', line: 'The account was not linked.', tone: 'bad', mark: '✕' },
  EXPIRED: { title: 'Link expired', line: 'The time to register ran out.', tone: 'neutral', mark: '⌛' },
  REVOKED: { title: 'Link revoked', line: 'The merchant has unlinked this account.', tone: 'neutral', mark: '✕' },
};

function linkStatePage(l: Readonly<AstraPayLink>): string {
  const t = linkTexts[l.status === 'PENDING' ? 'EXPIRED' : l.status];
  return resultPage('Account linking', t, l.reason, linkReturnUrl(l));
}

const paymentTexts: Record<Exclude<CheckoutStatus, 'PENDING'>, { title: string; line: string; tone: 'ok' | 'bad' | 'neutral'; mark: string }> = {
  PAID: { title: 'Payment completed', line: 'Paid. Thank you!', tone: 'ok', mark: '✓' },
  REFUNDED: { title: 'Payment refunded', line: 'Paid, then refunded in full.', tone: 'neutral', mark: '↺' },
  FAILED: { title: 'Payment failed', line: 'The payment did not go through.', tone: 'bad', mark: '✕' },
  CANCELLED: { title: 'Payment cancelled', line: 'You cancelled this payment.', tone: 'neutral', mark: '✕' },
  VOIDED: { title: 'Payment cancelled', line: 'The merchant cancelled this payment.', tone: 'neutral', mark: '✕' },
  EXPIRED: { title: 'Payment expired', line: 'The time to pay ran out.', tone: 'neutral', mark: '⌛' },
};

function paymentStatePage(p: Readonly<CheckoutPayment>): string {
  const t = paymentTexts[p.status === 'PENDING' ? 'EXPIRED' : p.status];
  return resultPage('Payment verification', { ...t, line: `${t.line} ${formatRupiah(p.amount)} · ${p.merchantName}` }, p.status === 'FAILED' ? p.reason : undefined, paymentReturnUrl(p));
}

function resultPage(subtitle: string, t: { title: string; line: string; tone: string; mark: string }, reason: string | undefined, back: string): string {
  return layout(
    t.title,
    subtitle,
    html`<section class="card result ${t.tone}" aria-labelledby="state-title">
  <div class="mark" aria-hidden="true">${t.mark}</div>
  <h1 id="state-title">${t.title}</h1>
  <p>${t.line}</p>${reason !== undefined ? html`<p class="reason">${reason}</p>` : ''}
</section>
<a class="button primary" href="${back}">Back to merchant</a>`,
  );
}

function notFoundPage(title: string, line: string): string {
  return layout(title, 'Secure', html`<section class="card result neutral"><div class="mark" aria-hidden="true">?</div><h1>${title}</h1><p>${line}</p></section>`);
}

const css = `
:root { --navy: ${BRAND.navy}; --navy-dark: ${BRAND.navyDark}; --gold: ${BRAND.gold}; --gold-soft: ${BRAND.goldSoft}; --ink: #17223b; --muted: #5f6b80; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; background: #e9edf4; color: var(--ink); font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.app { max-width: 440px; min-height: 100vh; margin: 0 auto; display: flex; flex-direction: column; background: #f5f7fb; }
.bar { display: flex; justify-content: space-between; align-items: center; padding: 18px 20px 46px; color: #fff;
  background: linear-gradient(160deg, var(--navy), var(--navy-dark)); border-bottom: 4px solid var(--gold); }
.wordmark { font-weight: 900; font-size: 28px; letter-spacing: .3px; }
.gold { color: var(--gold); }
.secure { font-size: 13px; opacity: .9; }
main { flex: 1; padding: 0 16px 20px; margin-top: -28px; }
.card { background: #fff; border-radius: 16px; padding: 18px; margin-bottom: 14px; box-shadow: 0 4px 16px rgba(18, 41, 77, .10); }
h1 { font-size: 20px; margin: 0 0 10px; color: var(--navy); }
.lead { margin: 0 0 12px; color: var(--muted); font-size: 14px; }
.merchant { font-weight: 700; font-size: 17px; overflow-wrap: anywhere; }
.desc { color: var(--muted); font-size: 14px; overflow-wrap: anywhere; }
.amount-label { margin-top: 14px; font-size: 13px; color: var(--muted); }
.amount { font-size: 32px; font-weight: 800; color: var(--navy); }
dl { margin: 12px 0 0; padding-top: 10px; border-top: 1px dashed #dde3ec; font-size: 14px; }
dl div { display: flex; justify-content: space-between; gap: 12px; padding: 2px 0; }
dt { color: var(--muted); } dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; text-align: right; }
.fields { display: grid; gap: 8px; }
.fields label { font-weight: 600; font-size: 14px; margin-top: 4px; }
.fields input { width: 100%; font: inherit; font-size: 18px; padding: 11px 14px; border: 1.5px solid #cfd6e2; border-radius: 12px; }
.fields input:focus { border-color: var(--navy); outline: none; box-shadow: 0 0 0 3px var(--gold-soft); }
#pin, #otp { letter-spacing: 6px; }
button, .button { display: block; width: 100%; min-height: 50px; padding: 12px 16px; margin-top: 8px; border-radius: 12px; font: inherit; font-size: 17px;
  font-weight: 700; text-align: center; text-decoration: none; cursor: pointer; border: 2px solid var(--navy); }
.primary { background: var(--navy); color: #fff; border-bottom: 3px solid var(--gold); }
.primary:hover { background: var(--navy-dark); }
.secondary { background: #fff; color: var(--navy); }
button:focus-visible, a:focus-visible { outline: 3px solid var(--gold); outline-offset: 2px; }
.error { margin: 0 0 8px; padding: 10px 14px; border-radius: 12px; background: #fdecec; color: #8f1d1d; font-weight: 600; font-size: 15px; }
.hint { font-size: 13px; color: var(--muted); margin: 2px 0 0; }
.note { font-size: 13px; padding: 10px 12px; border-radius: 12px; background: var(--gold-soft); color: #6b4e0a; }
.result { text-align: center; }
.result p { margin: 0; color: var(--muted); }
.result .reason { margin-top: 6px; font-size: 14px; }
.mark { width: 60px; height: 60px; margin: 0 auto 8px; border-radius: 50%; display: grid; place-items: center; font-size: 30px; font-weight: 800; color: #fff; background: #98a2b3; }
.result.ok .mark { background: #12b76a; }
.result.bad .mark { background: #d92d20; }
code { font-size: 13px; }
footer { text-align: center; font-size: 12px; color: var(--muted); padding: 14px 16px 20px; }
`;
