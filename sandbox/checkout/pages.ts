import express, { type Response, type Router } from 'express';
import { formatCountdown, formatRupiah, html, htmlDocument, raw, type SafeHtml } from '../html.js';
import { magicOutcome } from '../magic-values.js';
import { maskPhone } from '../mask.js';
import { PHONE_PATTERN, normalizeTypedPhone } from '../phone.js';
import type { CheckoutPayment, CheckoutStatus } from './schemas.js';
import { CheckoutSessions, SANDBOX_PIN } from './sessions.js';
import type { CheckoutSimulator } from './simulator.js';

/** How a wallet's pages look: its name as a wordmark and its colours. */
export interface CheckoutBrand {
  /** The wordmark, e.g. `DANA`. */
  readonly name: string;
  /** The brand colour (header, Pay button, amounts). */
  readonly color: string;
  /** A darker shade (hover, gradients). */
  readonly dark: string;
  /** A pale tint (backgrounds of the order card). */
  readonly soft: string;
  /** What the customer pays from, e.g. `DANA balance`. */
  readonly balanceLabel: string;
}

export interface CheckoutPagesOptions {
  readonly simulator: CheckoutSimulator;
  readonly brand: CheckoutBrand;
  /** Where the browser goes back to for the payment's current status: the merchant's URL with the wallet's own query parameters. */
  readonly returnUrl: (p: Readonly<CheckoutPayment>) => string;
}

const RECENT_LISTED = 25;

/**
 * The customer's side of a redirect wallet, mounted at `/<wallet>/checkout`: the checkout page of one payment
 * (`/:walletRef`: log in with phone + PIN, see the order, Pay or Cancel, then 303 back to the merchant), and
 * a list of the latest checkouts for people trying the sandbox by hand (`/`). Plain HTML forms; no external
 * assets; every value escaped.
 */
export function createCheckoutPagesRouter(o: CheckoutPagesOptions): Router {
  const { simulator, brand } = o;
  const key = simulator.spec.key;
  const sessions = new CheckoutSessions(key);
  const pagePath = (walletRef: string): string => `/${key}/checkout/${encodeURIComponent(walletRef)}`;
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '16kb' }));

  router.get('/', (_req, res) => {
    sendHtml(res, 200, listPage(brand, key, simulator.recent(RECENT_LISTED)));
  });

  router.get('/:walletRef', (req, res) => {
    const p = simulator.checkout(req.params.walletRef);
    if (p === undefined) {
      sendHtml(res, 404, notFoundPage(brand));
      return;
    }
    if (p.status !== 'PENDING') {
      sendHtml(res, 200, statePage(brand, p, o.returnUrl(p)));
      return;
    }
    const phone = sessions.phoneFor(req, p.walletRef);
    if (phone === undefined) sendHtml(res, 200, loginPage(brand, pagePath(p.walletRef), p, { phone: p.phone }));
    else sendHtml(res, 200, orderPage(brand, pagePath(p.walletRef), p, phone));
  });

  router.post('/:walletRef/login', (req, res) => {
    const p = simulator.checkout(req.params.walletRef);
    if (p === undefined) {
      sendHtml(res, 404, notFoundPage(brand));
      return;
    }
    const path = pagePath(p.walletRef);
    if (p.status !== 'PENDING') {
      res.redirect(303, path);
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const phone = normalizeTypedPhone(typeof body.phone === 'string' ? body.phone : '');
    const pin = typeof body.pin === 'string' ? body.pin.trim() : '';
    if (!PHONE_PATTERN.test(phone)) {
      sendHtml(res, 200, loginPage(brand, path, p, { phone, error: 'Enter a valid phone number: 08…, 628… or +628… and 7 to 12 more digits.' }));
      return;
    }
    if (pin !== SANDBOX_PIN) {
      sendHtml(res, 200, loginPage(brand, path, p, { phone, error: 'Wrong PIN. Please try again.' }));
      return;
    }
    sessions.open(res, path, p.walletRef, phone);
    simulator.customerLoggedIn(p.walletRef);
    res.redirect(303, path);
  });

  for (const action of ['pay', 'cancel'] as const) {
    router.post(`/:walletRef/${action}`, (req, res) => {
      const walletRef = req.params.walletRef;
      const path = pagePath(walletRef);
      if (sessions.phoneFor(req, walletRef) === undefined) {
        res.redirect(303, path); // not logged in (or the session ended): the login page
        return;
      }
      const result = simulator.customerActs(walletRef, action);
      const p = simulator.checkout(walletRef);
      if (result === 'not-found' || p === undefined) sendHtml(res, 404, notFoundPage(brand));
      else if (result === 'gone') res.redirect(303, path); // shows what became of it
      else res.redirect(303, o.returnUrl(p));
    });
  }
  return router;
}

function sendHtml(res: Response, status: number, body: string): void {
  res.status(status).set('Cache-Control', 'no-store').type('html').send(body);
}

// ---- pages ----------------------------------------------------------------------------------------------------

function layout(brand: CheckoutBrand, title: string, main: SafeHtml, script?: string): string {
  return htmlDocument({
    title: `${brand.name} · ${title}`,
    head: html`<meta name="theme-color" content="${brand.color}"><style>${raw(css(brand))}</style>`,
    body: html`<div class="app">
  <header class="bar"><span class="wordmark">${brand.name}</span><span class="secure">Secure checkout</span></header>
  <main>${main}</main>
  <footer>Simulated ${brand.name} · sandbox, no real money</footer>
</div>${script !== undefined ? html`<script>${raw(script)}</script>` : ''}`,
  });
}

function orderSummary(p: Readonly<CheckoutPayment>, options: { full: boolean }): SafeHtml {
  return html`<section class="order" aria-label="Order">
  <div class="order-head"><span class="avatar" aria-hidden="true">${(p.merchantName.trim()[0] ?? '?').toUpperCase()}</span>
  <div class="who"><div class="merchant">${p.merchantName || 'Merchant'}</div><div class="desc">${p.description}</div></div></div>
  <div class="amount-label">Total payment</div>
  <div class="amount">${formatRupiah(p.amount)}</div>
  ${
    options.full
      ? html`<dl>
    <div><dt>Order ID</dt><dd>${p.merchantRef}</dd></div>
    <div><dt>Payment ID</dt><dd>${p.walletRef}</dd></div>
    <div><dt>Time left</dt><dd><span data-expires-at="${Date.parse(p.expiresAt)}">${timeLeft(Date.parse(p.expiresAt) - Date.now())}</span></dd></div>
  </dl>`
      : ''
  }
</section>`;
}

/** Magic-value payments act by themselves; say so, so a person is not surprised. */
function magicNote(p: Readonly<CheckoutPayment>): SafeHtml | '' {
  const magic = magicOutcome(p.phone);
  if (magic.suffix === null) return '';
  return html`<p class="note">Sandbox test number ending in <code>${magic.suffix}</code>: ${magic.summary}.</p>`;
}

function loginPage(brand: CheckoutBrand, path: string, p: Readonly<CheckoutPayment>, form: { phone: string; error?: string }): string {
  return layout(
    brand,
    'Log in to pay',
    html`${orderSummary(p, { full: false })}
<section class="card" aria-labelledby="login-title">
  <h1 id="login-title">Log in to ${brand.name}</h1>
  ${form.error !== undefined ? html`<p class="error" role="alert">${form.error}</p>` : ''}
  <form method="post" action="${path}/login" class="login">
    <label for="phone">Phone number</label>
    <input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" required value="${form.phone}">
    <label for="pin">PIN</label>
    <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="current-password" pattern="[0-9]*" maxlength="6" required${form.error !== undefined ? raw(' autofocus') : ''}>
    <button type="submit" class="primary">Log in</button>
  </form>
  <p class="hint">Sandbox: the PIN is <code>${SANDBOX_PIN}</code> for every phone number.</p>
</section>
${magicNote(p)}`,
  );
}

function orderPage(brand: CheckoutBrand, path: string, p: Readonly<CheckoutPayment>, phone: string): string {
  return layout(
    brand,
    `Pay ${p.merchantName}`,
    html`<p class="account">Logged in as <strong>${formatPhone(phone)}</strong></p>
${orderSummary(p, { full: true })}
<section class="card method"><span>Pay with</span><strong>${brand.balanceLabel}</strong></section>
<div class="actions">
  <form method="post" action="${path}/pay"><button type="submit" class="primary">Pay</button></form>
  <form method="post" action="${path}/cancel"><button type="submit" class="secondary">Cancel</button></form>
</div>
${magicNote(p)}`,
    countdownScript,
  );
}

const stateTexts: Record<Exclude<CheckoutStatus, 'PENDING'>, { title: string; tone: 'ok' | 'bad' | 'neutral'; mark: string }> = {
  PAID: { title: 'Payment completed', tone: 'ok', mark: '✓' },
  REFUNDED: { title: 'Payment refunded', tone: 'neutral', mark: '↺' },
  FAILED: { title: 'Payment failed', tone: 'bad', mark: '✕' },
  CANCELLED: { title: 'Payment cancelled', tone: 'neutral', mark: '✕' },
  VOIDED: { title: 'Payment cancelled', tone: 'neutral', mark: '✕' },
  EXPIRED: { title: 'Payment expired', tone: 'neutral', mark: '⌛' },
};

function stateLine(p: Readonly<CheckoutPayment>): string {
  switch (p.status) {
    case 'PAID':
      return p.refundedAmount > 0 ? `Paid; ${formatRupiah(p.refundedAmount)} refunded since.` : 'Paid. Thank you!';
    case 'REFUNDED':
      return 'Paid, then refunded in full.';
    case 'FAILED':
      return p.reason === 'insufficient balance' ? 'Your balance was not enough.' : 'The payment was declined.';
    case 'CANCELLED':
      return 'You cancelled this payment.';
    case 'VOIDED':
      return 'The merchant cancelled this payment.';
    default:
      return 'The time to pay ran out.';
  }
}

function statePage(brand: CheckoutBrand, p: Readonly<CheckoutPayment>, back: string): string {
  const text = stateTexts[p.status === 'PENDING' ? 'EXPIRED' : p.status];
  return layout(
    brand,
    text.title,
    html`<section class="card result ${text.tone}" aria-labelledby="state-title">
  <div class="mark" aria-hidden="true">${text.mark}</div>
  <h1 id="state-title">${text.title}</h1>
  <p>${stateLine(p)}</p>
</section>
${orderSummary(p, { full: false })}
<a class="button primary" href="${back}">Back to merchant</a>`,
  );
}

function notFoundPage(brand: CheckoutBrand): string {
  return layout(
    brand,
    'Payment not found',
    html`<section class="card result neutral"><div class="mark" aria-hidden="true">?</div><h1>Payment not found</h1>
<p>This checkout link is not known to ${brand.name}. Ask the merchant for a new one.</p></section>`,
  );
}

function listPage(brand: CheckoutBrand, key: string, payments: readonly Readonly<CheckoutPayment>[]): string {
  return layout(
    brand,
    'Checkouts',
    html`<h1 class="page-title">Latest ${brand.name} checkouts</h1>
<p class="hint">A checkout page appears here when the gateway creates a payment. Open one to pay or cancel it (PIN <code>${SANDBOX_PIN}</code>).</p>
${
  payments.length === 0
    ? html`<p class="card empty">No checkouts yet.</p>`
    : html`<ul class="list">${payments.map(
        (p) => html`<li><a href="/${key}/checkout/${encodeURIComponent(p.walletRef)}"><span class="l-main"><span class="l-merchant">${p.merchantName || 'Merchant'}</span>
<span class="l-meta">${p.merchantRef} · ${maskPhone(p.phone)}</span></span><span class="l-side"><span class="l-amount">${formatRupiah(p.amount)}</span>
<span class="badge ${p.status.toLowerCase()}">${p.status}</span></span></a></li>`,
      )}</ul>`
}`,
  );
}

// ---- helpers --------------------------------------------------------------------------------------------------

/** `081234567899` → `0812-3456-7899` for reading; other spellings are shown as typed. */
function formatPhone(phone: string): string {
  return /^08\d{10}$/.test(phone) ? `${phone.slice(0, 4)}-${phone.slice(4, 8)}-${phone.slice(8)}` : phone;
}

function timeLeft(ms: number): string {
  return ms <= 0 ? 'time is up' : `${formatCountdown(ms)} left`;
}

const countdownScript = `(() => {
  const fmt = (ms) => {
    if (ms <= 0) return 'time is up';
    const t = Math.ceil(ms / 1000), h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = String(t % 60).padStart(2, '0');
    return h > 0 ? h + ':' + String(m).padStart(2, '0') + ':' + s + ' left' : m + ':' + s + ' left';
  };
  const tick = () => { for (const el of document.querySelectorAll('[data-expires-at]')) el.textContent = fmt(Number(el.dataset.expiresAt) - Date.now()); };
  setInterval(tick, 1000);
})();`;

function css(brand: CheckoutBrand): string {
  return `
:root { --brand: ${brand.color}; --brand-dark: ${brand.dark}; --brand-soft: ${brand.soft}; --ink: #1d2430; --muted: #667085; --line: #e7eaf0; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; min-height: 100vh; background: #eef1f5; color: var(--ink); font-size: 16px; line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.app { max-width: 440px; min-height: 100vh; margin: 0 auto; display: flex; flex-direction: column; background: #f7f8fa; box-shadow: 0 0 40px rgba(16, 24, 40, .08); }
.bar { display: flex; justify-content: space-between; align-items: center; gap: 12px; padding: 16px 20px 44px; color: #fff;
  background: var(--brand); background: linear-gradient(160deg, var(--brand), var(--brand-dark)); }
.wordmark { font-weight: 900; font-size: 28px; letter-spacing: .5px; }
.secure { font-size: 13px; opacity: .9; white-space: nowrap; }
main { flex: 1; padding: 0 16px 20px; margin-top: -28px; }
.card, .order { background: #fff; border-radius: 18px; padding: 18px; margin-bottom: 14px; box-shadow: 0 4px 16px rgba(16, 24, 40, .08); }
.order-head { display: flex; gap: 12px; align-items: center; }
.avatar { flex: none; width: 44px; height: 44px; border-radius: 14px; display: grid; place-items: center; font-weight: 800; font-size: 20px;
  background: var(--brand-soft); color: var(--brand-dark); }
.who { min-width: 0; }
.merchant { font-weight: 700; font-size: 17px; overflow-wrap: anywhere; }
.desc { color: var(--muted); font-size: 14px; overflow-wrap: anywhere; }
.amount-label { margin-top: 16px; font-size: 13px; color: var(--muted); }
.amount { font-size: 32px; font-weight: 800; color: var(--brand-dark); letter-spacing: .2px; }
dl { margin: 14px 0 0; padding-top: 10px; border-top: 1px dashed var(--line); font-size: 14px; }
dl div { display: flex; justify-content: space-between; gap: 12px; padding: 3px 0; }
dt { color: var(--muted); } dd { margin: 0; text-align: right; font-weight: 600; overflow-wrap: anywhere; }
h1 { font-size: 20px; margin: 0 0 14px; }
.page-title { margin: 0 0 8px; padding: 16px 18px; background: #fff; border-radius: 18px; box-shadow: 0 4px 16px rgba(16, 24, 40, .08); }
.login { display: grid; gap: 8px; }
.login label { font-weight: 600; font-size: 14px; margin-top: 6px; }
.login input { width: 100%; font: inherit; font-size: 18px; padding: 12px 14px; border: 1.5px solid #d0d5dd; border-radius: 12px; background: #fff; }
.login input:focus { border-color: var(--brand); outline: none; box-shadow: 0 0 0 3px var(--brand-soft); }
#pin { letter-spacing: 6px; }
button, .button { display: block; width: 100%; min-height: 50px; padding: 13px 16px; margin-top: 12px; border-radius: 999px; font: inherit;
  font-size: 17px; font-weight: 700; text-align: center; text-decoration: none; cursor: pointer; border: 2px solid var(--brand); }
.primary { background: var(--brand); color: #fff; }
.primary:hover { background: var(--brand-dark); border-color: var(--brand-dark); }
.secondary { background: #fff; color: var(--brand-dark); }
.secondary:hover { background: var(--brand-soft); }
button:focus-visible, a:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.actions form { margin: 0; }
.account { margin: 0 0 12px; padding: 12px 16px; background: #fff; border-radius: 14px; font-size: 14px; color: var(--muted);
  box-shadow: 0 4px 16px rgba(16, 24, 40, .08); }
.account strong { color: var(--ink); }
.method { display: flex; justify-content: space-between; align-items: center; font-size: 15px; }
.method span { color: var(--muted); }
.error { margin: 0 0 8px; padding: 11px 14px; border-radius: 12px; background: #fdecec; color: #8f1d1d; font-weight: 600; font-size: 15px; }
.hint, .note { font-size: 13px; color: var(--muted); margin: 12px 2px 0; }
.note { padding: 10px 12px; border-radius: 12px; background: #fff8e6; color: #7a5200; }
.result { text-align: center; }
.result h1 { margin: 8px 0 4px; font-size: 22px; }
.result p { margin: 0; color: var(--muted); }
.mark { width: 60px; height: 60px; margin: 0 auto; border-radius: 50%; display: grid; place-items: center; font-size: 30px; font-weight: 800;
  color: #fff; background: #98a2b3; }
.result.ok .mark { background: #12b76a; }
.result.bad .mark { background: #d92d20; }
.list { list-style: none; padding: 0; margin: 10px 0 0; display: grid; gap: 10px; }
.list a { display: flex; justify-content: space-between; gap: 12px; padding: 14px 16px; border-radius: 14px; background: #fff; color: inherit;
  text-decoration: none; box-shadow: 0 2px 10px rgba(16, 24, 40, .06); }
.l-main, .l-side { display: flex; flex-direction: column; min-width: 0; }
.l-side { align-items: flex-end; flex: none; }
.l-merchant { font-weight: 700; }
.l-meta { font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
.l-amount { font-weight: 700; }
.badge { font-size: 11px; font-weight: 700; padding: 2px 8px; border-radius: 999px; background: #eef1f5; color: #475467; margin-top: 2px; }
.badge.paid { background: #e7f8ef; color: #067647; }
.badge.pending { background: var(--brand-soft); color: var(--brand-dark); }
.badge.failed { background: #fdecec; color: #8f1d1d; }
.empty { color: var(--muted); text-align: center; }
code { font-size: 13px; }
footer { text-align: center; font-size: 12px; color: var(--muted); padding: 14px 16px 20px; }
`;
}
