import { createHash } from 'node:crypto';
import express, { type Router } from 'express';
import { formatCountdown, formatRupiah, html, htmlDocument, raw, type SafeHtml } from '../html.js';
import { magicValues } from '../magic-values.js';
import type { CheckoutPayment, CheckoutStatus } from '../checkout/schemas.js';
import type { CheckoutSimulator } from '../checkout/simulator.js';
import { canonicalPhone, normalizeTypedPhone as normalizeTyped, PHONE_PATTERN as OVO_PHONE_PATTERN } from '../phone.js';

/** How many finished requests the app lists under "Recent". */
const RECENT_ON_PHONE = 10;

type Payment = Readonly<CheckoutPayment>;

/** One phone's OVO app: the requests waiting for an answer, newest first, and the latest finished ones. */
export interface PhoneInbox {
  readonly pending: readonly Payment[];
  readonly recent: readonly Payment[];
}

export type CustomerDecision = 'approve' | 'decline';
export type CustomerDecisionResult = 'approved' | 'declined' | 'gone' | 'not-found';

export function phoneInbox(simulator: CheckoutSimulator, phone: string): PhoneInbox {
  const payments = simulator.paymentsOfPhone(phone);
  return {
    pending: payments.filter((p) => p.status === 'PENDING').sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    recent: payments
      .filter((p) => p.status !== 'PENDING')
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .slice(0, RECENT_ON_PHONE),
  };
}

/** A person taps Approve or Decline. Only a PENDING request of this phone can be answered. */
export function customerDecides(simulator: CheckoutSimulator, phone: string, walletRef: string, decision: CustomerDecision): CustomerDecisionResult {
  if (!simulator.paymentsOfPhone(phone).some((p) => p.walletRef === walletRef)) return 'not-found';
  const result = simulator.customerActs(walletRef, decision === 'approve' ? 'pay' : 'decline');
  if (result !== 'done') return result;
  return decision === 'approve' ? 'approved' : 'declined';
}

/**
 * The customer's side of OVO: a phone-number form (`/ovo/phone`) and the OVO app inbox of one phone
 * (`/ovo/phone/:phone`) with Approve / Decline for each pushed request. Plain HTML forms answered with
 * 303 back to the inbox; a small inline script swaps in new requests every 2 s and ticks the countdowns.
 * This is the customer's own screen, so it is the one place the full phone number is shown.
 */
export function createOvoPhoneRouter(simulator: CheckoutSimulator): Router {
  const router = express.Router();
  const home = `/${simulator.spec.key}/phone`;

  router.get('/phone', (req, res) => {
    const typed = typeof req.query.phone === 'string' ? normalizeTyped(req.query.phone) : '';
    if (typed !== '') {
      res.redirect(303, phonePath(home, typed));
      return;
    }
    sendHtml(res, 200, landingPage(home));
  });

  router.get('/phone/:phone', (req, res) => {
    const phone = normalizeTyped(req.params.phone);
    if (!OVO_PHONE_PATTERN.test(phone)) {
      sendHtml(res, 404, landingPage(home, 'That is not an OVO number. Use 08…, 628… or +628… followed by 7 to 12 digits.'));
      return;
    }
    const inbox = phoneInbox(simulator, phone);
    const version = inboxVersion(inbox);
    res.set('Cache-Control', 'no-store');
    if (req.query.fragment === '1') {
      res.set('X-Inbox-Version', version).type('html').send(inboxFragment(home, phone, inbox).value);
      return;
    }
    const code = req.query.flash;
    const flash = typeof code === 'string' && Object.hasOwn(flashMessages, code) ? flashMessages[code as CustomerDecisionResult] : undefined;
    sendHtml(res, 200, inboxPage(home, phone, inbox, version, flash));
  });

  router.post('/phone/:phone/payments/:paymentId/:decision', (req, res) => {
    const phone = normalizeTyped(req.params.phone);
    const decision = req.params.decision;
    if (decision !== 'approve' && decision !== 'decline') {
      res.status(404).type('text').send('not found');
      return;
    }
    const result = OVO_PHONE_PATTERN.test(phone) ? customerDecides(simulator, phone, req.params.paymentId, decision) : 'not-found';
    res.redirect(303, `${phonePath(home, phone)}?flash=${result}`);
  });

  return router;
}

const flashMessages: Record<CustomerDecisionResult, { text: string; good: boolean }> = {
  approved: { text: 'Payment approved', good: true },
  declined: { text: 'Payment declined', good: true },
  gone: { text: 'This request is no longer waiting for you', good: false },
  'not-found': { text: 'Payment request not found', good: false },
};

type Label = { readonly text: string; readonly tone: 'ok' | 'bad' | 'neutral' };

const statusLabels: Record<CheckoutStatus, Label> = {
  PENDING: { text: 'Waiting', tone: 'neutral' },
  PAID: { text: 'Paid', tone: 'ok' },
  FAILED: { text: 'Declined', tone: 'bad' },
  CANCELLED: { text: 'Declined', tone: 'bad' },
  VOIDED: { text: 'Cancelled by merchant', tone: 'neutral' },
  EXPIRED: { text: 'Expired', tone: 'neutral' },
  REFUNDED: { text: 'Refunded', tone: 'neutral' },
};

/** A failed payment says why: the app shows a balance that was too low apart from a decline. */
function labelOf(p: Payment): Label {
  return p.status === 'FAILED' && p.reason === 'insufficient balance' ? { text: 'Insufficient balance', tone: 'bad' } : statusLabels[p.status];
}

/** `home`: the phone page's own path (`/ovo/phone`). */
function phonePath(home: string, phone: string): string {
  return `${home}/${encodeURIComponent(phone)}`;
}

function sendHtml(res: express.Response, status: number, body: string): void {
  res.status(status).set('Cache-Control', 'no-store').type('html').send(body);
}

/** Changes only when the requests or their statuses change, so the page swaps content only then. */
function inboxVersion(inbox: PhoneInbox): string {
  const key = [...inbox.pending, ...inbox.recent].map((p) => `${p.walletRef}:${p.status}:${p.refundedAmount}`).join('|');
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** The merchant's deadline for the push (`validUpTo`): what the customer's countdown shows. */
function expiresAtMs(p: Payment): number {
  return Date.parse(p.expiresAt);
}

function timeLeft(ms: number): string {
  return ms <= 0 ? 'Time is up' : `Time left ${formatCountdown(ms)}`;
}

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

function pendingCard(home: string, phone: string, p: Payment): SafeHtml {
  const base = `${phonePath(home, phone)}/payments/${encodeURIComponent(p.walletRef)}`;
  const id = `req-${p.walletRef}`;
  const expires = expiresAtMs(p);
  return html`<article class="request" aria-labelledby="${id}-merchant" aria-describedby="${id}-amount">
  <div class="request-head"><span class="badge-icon" aria-hidden="true">${(p.merchantName.trim()[0] ?? '?').toUpperCase()}</span>
  <div><div class="merchant" id="${id}-merchant">${p.merchantName || 'Merchant'}</div><div class="desc">${p.description}</div></div></div>
  <div class="amount" id="${id}-amount">${formatRupiah(p.amount)}</div>
  <div class="meta"><span class="left" data-expires-at="${expires}">${timeLeft(expires - Date.now())}</span><span class="invoice">${p.merchantRef}</span></div>
  <div class="actions">
    <form method="post" action="${base}/decline"><button type="submit" class="decline">Decline</button></form>
    <form method="post" action="${base}/approve"><button type="submit" class="approve">Approve</button></form>
  </div>
</article>`;
}

function historyRow(p: Payment): SafeHtml {
  const label = labelOf(p);
  const partial = p.status === 'PAID' && p.refundedAmount > 0 ? ` · ${formatRupiah(p.refundedAmount)} refunded` : '';
  return html`<li>
  <div class="h-main"><div class="h-merchant">${p.merchantName || 'Merchant'}</div><div class="h-when">${clock.format(new Date(p.updatedAt))} WIB${partial}</div></div>
  <div class="h-side"><div class="h-amount">${formatRupiah(p.amount)}</div><span class="badge ${label.tone}">${label.text}</span></div>
</li>`;
}

function inboxFragment(home: string, phone: string, inbox: PhoneInbox): SafeHtml {
  return html`<h2>Waiting for you</h2>
${
  inbox.pending.length > 0
    ? inbox.pending.map((p) => pendingCard(home, phone, p))
    : html`<p class="empty">No payment requests right now.<br>New ones appear here by themselves.</p>`
}
<h2>Recent</h2>
${inbox.recent.length > 0 ? html`<ul class="history">${inbox.recent.map(historyRow)}</ul>` : html`<p class="empty">No payments yet.</p>`}`;
}

function inboxPage(home: string, phone: string, inbox: PhoneInbox, version: string, flash: { text: string; good: boolean } | undefined): string {
  return htmlDocument({
    title: `OVO · ${phone}`,
    head: html`<style>${raw(css)}</style><noscript><meta http-equiv="refresh" content="2;url=${phonePath(home, phone)}"></noscript>`,
    body: html`<div class="phone">
  <header class="topbar">
    <div class="statusbar" aria-hidden="true"><span>OVO Sandbox</span><span>●●● 4G</span></div>
    <div class="brand"><span class="wordmark">OVO</span><a class="switch" href="${home}">Switch number</a></div>
    <div class="account">${formatPhone(phone)}${canonicalPhone(phone) !== phone ? html` <span class="alias">(${canonicalPhone(phone)})</span>` : ''}</div>
  </header>
  ${flash !== undefined ? html`<div class="flash ${flash.good ? 'good' : 'bad'}" role="status">${flash.text}</div>` : ''}
  <main id="inbox" data-version="${version}" aria-live="polite">${inboxFragment(home, phone, inbox)}</main>
  <footer>Simulated OVO app · sandbox only, no real money</footer>
</div>
<script>${raw(script)}</script>`,
  });
}

function landingPage(home: string, error?: string): string {
  return htmlDocument({
    title: 'OVO · open your phone',
    head: html`<style>${raw(css)}</style>`,
    body: html`<div class="phone">
  <header class="topbar">
    <div class="statusbar" aria-hidden="true"><span>OVO Sandbox</span><span>●●● 4G</span></div>
    <div class="brand"><span class="wordmark">OVO</span></div>
    <div class="account">Open the OVO app of a phone number</div>
  </header>
  ${error !== undefined ? html`<div class="flash bad" role="alert">${error}</div>` : ''}
  <main>
    <form class="open" method="get" action="${home}">
      <label for="phone">Phone number</label>
      <input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" placeholder="081234567899" required>
      <button type="submit" class="approve">Open OVO app</button>
    </form>
    <h2>Magic numbers</h2>
    <p class="hint">The last three digits decide what the simulated customer does, e.g. <code>081234567000</code>.</p>
    <ul class="magic">${magicValues.map((m) => html`<li><code>…${m.suffix ?? ''}</code><span>${m.summary}</span></li>`)}
      <li><code>other</code><span>you approve or decline here, by hand</span></li></ul>
  </main>
  <footer>Simulated OVO app · sandbox only, no real money</footer>
</div>`,
  });
}

/** `081234567899` → `0812-3456-7899` for reading; other spellings are shown as typed. */
function formatPhone(phone: string): string {
  return /^08\d{10}$/.test(phone) ? `${phone.slice(0, 4)}-${phone.slice(4, 8)}-${phone.slice(8)}` : phone;
}

const script = `(() => {
  const inbox = document.getElementById('inbox');
  const fmt = (ms) => {
    if (ms <= 0) return 'Time is up';
    const t = Math.ceil(ms / 1000), h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = String(t % 60).padStart(2, '0');
    return h > 0 ? 'Time left ' + h + ':' + String(m).padStart(2, '0') + ':' + s : 'Time left ' + m + ':' + s;
  };
  const tick = () => { for (const el of document.querySelectorAll('[data-expires-at]')) el.textContent = fmt(Number(el.dataset.expiresAt) - Date.now()); };
  setInterval(tick, 1000);
  setInterval(async () => {
    try {
      const res = await fetch(location.pathname + '?fragment=1', { cache: 'no-store' });
      const version = res.headers.get('X-Inbox-Version');
      if (!res.ok || !version || version === inbox.dataset.version) return;
      inbox.innerHTML = await res.text();
      inbox.dataset.version = version;
      tick();
    } catch { /* offline for a moment: try again in 2 s */ }
  }, 2000);
})();`;

const css = `
:root { --ovo: #4C3494; --ovo-dark: #36246e; --ovo-soft: #f1edf9; --ink: #1f1b2d; --muted: #6f6787; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; min-height: 100vh; display: flex; justify-content: center; align-items: flex-start; padding: 24px 12px;
  background: linear-gradient(160deg, #e9e4f5, #d9d1ee); color: var(--ink);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 16px; line-height: 1.4; }
.phone { width: 100%; max-width: 400px; min-height: 760px; display: flex; flex-direction: column; overflow: hidden;
  background: #fff; border: 10px solid #1c1530; border-radius: 44px; box-shadow: 0 18px 50px rgba(54, 36, 110, .35); }
.topbar { background: var(--ovo); background: linear-gradient(150deg, var(--ovo), var(--ovo-dark)); color: #fff; padding: 10px 22px 22px;
  border-radius: 0 0 28px 28px; }
.statusbar { display: flex; justify-content: space-between; font-size: 12px; opacity: .75; margin-bottom: 14px; }
.brand { display: flex; justify-content: space-between; align-items: center; }
.wordmark { font-weight: 900; font-size: 34px; letter-spacing: 3px; font-style: italic; }
.switch { color: #fff; font-size: 13px; opacity: .9; }
.account { margin-top: 6px; font-size: 15px; opacity: .92; letter-spacing: .5px; }
.alias { opacity: .75; font-size: 13px; }
main { flex: 1; padding: 6px 16px 16px; }
h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .09em; color: var(--muted); margin: 20px 4px 10px; }
.flash { margin: 14px 16px 0; padding: 11px 14px; border-radius: 14px; font-weight: 600; font-size: 15px; }
.flash.good { background: #e6f5ec; color: #16603a; }
.flash.bad { background: #fdecec; color: #8f1d1d; }
.request { border: 1px solid #e6e0f2; border-radius: 20px; padding: 16px; margin-bottom: 14px; background: #fff;
  box-shadow: 0 4px 14px rgba(76, 52, 148, .10); }
.request-head { display: flex; gap: 12px; align-items: center; }
.badge-icon { flex: none; width: 40px; height: 40px; border-radius: 12px; background: var(--ovo-soft); color: var(--ovo);
  display: grid; place-items: center; font-weight: 800; font-size: 18px; }
.merchant { font-weight: 700; font-size: 16px; }
.desc { color: var(--muted); font-size: 14px; overflow-wrap: anywhere; }
.amount { font-size: 30px; font-weight: 800; color: var(--ovo); margin: 14px 0 2px; letter-spacing: .3px; }
.meta { display: flex; justify-content: space-between; gap: 8px; font-size: 13px; color: var(--muted); }
.left { color: #9a5200; font-weight: 600; }
.invoice { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 55%; }
.actions { display: flex; gap: 10px; margin-top: 16px; }
.actions form { flex: 1; margin: 0; }
button { width: 100%; min-height: 48px; padding: 12px; border-radius: 999px; border: 2px solid var(--ovo); font: inherit;
  font-weight: 700; cursor: pointer; }
button:focus-visible, a:focus-visible, input:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.approve { background: var(--ovo); color: #fff; }
.approve:hover { background: var(--ovo-dark); }
.decline { background: #fff; color: var(--ovo); }
.decline:hover { background: var(--ovo-soft); }
.empty { text-align: center; color: var(--muted); padding: 18px 8px; margin: 0; font-size: 14px; }
.history { list-style: none; margin: 0; padding: 0; }
.history li { display: flex; justify-content: space-between; gap: 12px; padding: 12px 4px; border-bottom: 1px solid #f0ecf6; }
.h-merchant { font-weight: 600; }
.h-when { font-size: 12px; color: var(--muted); }
.h-side { text-align: right; }
.h-amount { font-weight: 700; }
.badge { display: inline-block; margin-top: 2px; font-size: 12px; padding: 2px 9px; border-radius: 999px; font-weight: 600; }
.badge.ok { background: #e6f5ec; color: #16603a; }
.badge.bad { background: #fdecec; color: #8f1d1d; }
.badge.neutral { background: #efedf3; color: #4d4760; }
.open { display: grid; gap: 10px; margin-top: 20px; }
.open label { font-weight: 600; }
.open input { font: inherit; font-size: 18px; padding: 12px 14px; border: 2px solid #d8d0ea; border-radius: 14px; }
.hint { color: var(--muted); font-size: 14px; margin: 0 4px 8px; }
.magic { list-style: none; padding: 0; margin: 0; font-size: 14px; }
.magic li { display: flex; gap: 12px; padding: 7px 4px; border-bottom: 1px solid #f0ecf6; }
.magic code { flex: none; width: 52px; color: var(--ovo); font-weight: 700; }
footer { text-align: center; font-size: 12px; color: var(--muted); padding: 12px 16px 18px; }
/* On a real phone the page is the app screen: no phone frame around it. */
@media (max-width: 440px) {
  body { padding: 0; background: #fff; }
  .phone { max-width: none; min-height: 100vh; border: 0; border-radius: 0; box-shadow: none; }
}
`;
