import { formatRupiah, html, htmlDocument, raw, type SafeHtml } from '../html.js';
import type { ReceivedNotification } from '../merchant/notifications.js';
import { catalog, MAX_QUANTITY, type Cart, type ShopWallet } from './catalog.js';
import { shopCss } from './styles.js';

export const SHOP_NAME = 'Kopi Senja';

/** What the shop form held, to show it again after an error. */
export interface ShopForm {
  readonly quantities: Readonly<Record<string, number>>;
  readonly mitraCd: string;
  readonly phone: string;
}

export const defaultShopForm: ShopForm = {
  quantities: Object.fromEntries(catalog.map((i) => [i.id, i.defaultQuantity])),
  mitraCd: 'OVOE',
  phone: '081234567890',
};

/** NICEPAY e-wallet statuses (CONTRACT §3) in the customer's words. */
const statusWords: Readonly<Record<string, { word: string; tone: 'ok' | 'bad' | 'wait' | 'neutral'; line: string }>> = {
  '0': { word: 'Paid', tone: 'ok', line: 'Thank you! Your order is being prepared.' },
  '1': { word: 'Cancelled', tone: 'neutral', line: 'The payment was cancelled before it was paid.' },
  '2': { word: 'Refunded', tone: 'neutral', line: 'The payment was refunded to your wallet.' },
  '3': { word: 'Not paid yet', tone: 'wait', line: 'The payment has not been started.' },
  '4': { word: 'Processing', tone: 'wait', line: 'Waiting for the wallet to confirm the payment…' },
  '5': { word: 'Expired', tone: 'bad', line: 'The payment was not completed in time.' },
  '8': { word: 'Failed', tone: 'bad', line: 'The payment did not go through. Nothing was charged.' },
  '9': { word: 'Processing', tone: 'wait', line: 'The payment was sent to the wallet…' },
};

export function statusInWords(status: string | undefined): { word: string; tone: 'ok' | 'bad' | 'wait' | 'neutral'; line: string } {
  return (status !== undefined && Object.hasOwn(statusWords, status) ? statusWords[status] : undefined) ?? { word: 'Unknown', tone: 'neutral', line: '' };
}

export function isFinalStatus(status: string | undefined): boolean {
  return status === '0' || status === '1' || status === '2' || status === '5' || status === '8';
}

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

function layout(title: string, body: SafeHtml, head?: SafeHtml): string {
  return htmlDocument({
    title: `${title} · ${SHOP_NAME}`,
    head: html`<style>${raw(shopCss)}</style>${head}`,
    body: html`<header class="brand"><a href="/shop" class="logo"><span aria-hidden="true">☕</span> ${SHOP_NAME}</a><span class="tag">sandbox demo shop · no real money</span></header>
<main>${body}</main>`,
  });
}

export function shopPage(wallets: readonly ShopWallet[], form: ShopForm = defaultShopForm, error?: string): string {
  const total = catalog.reduce((sum, i) => sum + i.price * (form.quantities[i.id] ?? 0), 0);
  return layout(
    'Order',
    html`<h1>Order your coffee</h1>
${error ? html`<div class="error" role="alert" data-testid="error"><strong>Payment not started.</strong> ${error}</div>` : ''}
<form method="post" action="/shop/checkout" id="order">
<ul class="menu">${catalog.map(
      (item) => html`<li class="item">
  <span class="pic" style="--tint:${item.color}" aria-hidden="true">${item.initials}</span>
  <div class="what"><div class="name" id="name-${item.id}">${item.name}</div><div class="desc">${item.description}</div><div class="price">${formatRupiah(item.price)}</div></div>
  <div class="qty">
    <button type="button" class="step" data-step="-1" data-for="qty-${item.id}" aria-label="One less ${item.name}">−</button>
    <input type="number" id="qty-${item.id}" name="qty-${item.id}" value="${form.quantities[item.id] ?? 0}" min="0" max="${MAX_QUANTITY}" inputmode="numeric" data-price="${item.price}" aria-label="Quantity of ${item.name}">
    <button type="button" class="step" data-step="1" data-for="qty-${item.id}" aria-label="One more ${item.name}">+</button>
  </div>
</li>`,
    )}</ul>
<div class="total"><span>Total</span><strong data-testid="total" id="total">${formatRupiah(total)}</strong></div>
<fieldset class="wallets"><legend>Pay with</legend>
${wallets.map(
  (w) => html`<label class="wallet" style="--brand:${w.color}"><input type="radio" name="mitraCd" value="${w.mitraCd}"${form.mitraCd === w.mitraCd ? raw(' checked') : ''}><span>${w.name}</span></label>`,
)}
</fieldset>
<label for="phone" class="field-label">Phone number</label>
<input type="tel" id="phone" name="billingPhone" value="${form.phone}" inputmode="tel" autocomplete="tel" required aria-describedby="phone-hint">
<p class="hint" id="phone-hint">Sandbox: the last three digits decide what the wallet's customer does: <b>000</b> pays, <b>001</b> declines,
<b>002</b> never answers, <b>007</b> has too little balance; any other number waits for you on the wallet's page.
<a href="/">All magic endings</a><br>
<b>AstraPay</b>: the first payment links your AstraPay account to the shop (OTP <b>123456</b>); after that each payment only asks for the PIN <b>123456</b>.</p>
<button type="submit" class="pay">Pay</button>
</form>
<script>${raw(totalScript)}</script>`,
  );
}

/** Live total and the − / + steppers; without script the number inputs and the server's total still work. */
const totalScript = `
const form = document.getElementById('order');
const rupiah = (n) => 'Rp ' + String(n).replace(/\\B(?=(\\d{3})+(?!\\d))/g, '.');
function update() {
  let sum = 0;
  for (const input of form.querySelectorAll('input[data-price]')) sum += Number(input.dataset.price) * Math.max(0, Number(input.value) || 0);
  document.getElementById('total').textContent = rupiah(sum);
}
form.addEventListener('input', update);
for (const b of form.querySelectorAll('button.step')) b.addEventListener('click', () => {
  const input = document.getElementById(b.dataset.for);
  input.value = String(Math.min(${MAX_QUANTITY}, Math.max(0, (Number(input.value) || 0) + Number(b.dataset.step))));
  update();
});
`;

export interface ResultView {
  readonly tXid: string;
  readonly referenceNo: string;
  /** The shop's own record, when it still has it. */
  readonly cart: Cart | undefined;
  readonly wallet: ShopWallet | undefined;
  /** What the gateway's inquiry said (`undefined` with `problem` when it could not be asked). */
  readonly inquiry: Readonly<Record<string, string>> | undefined;
  readonly problem: string | undefined;
  readonly notifications: readonly ReceivedNotification[];
  /** AstraPay: the notifications of the account link the order was paid with (shown with the payment's). */
  readonly linkNotifications?: readonly ReceivedNotification[];
  /** AstraPay: the link the shop still holds for the customer, offered for unlinking. */
  readonly unlinkMandateID?: string | undefined;
  /** Refresh again after this many seconds; `undefined`: no auto-refresh. */
  readonly refreshUrl: string | undefined;
}

export function resultPage(v: ResultView): string {
  const status = v.inquiry?.status;
  const words = statusInWords(status);
  const amt = Number(v.inquiry?.amt ?? NaN);
  const cancelAmt = Number(v.inquiry?.cancelAmt ?? 0);
  const linkNotes = v.linkNotifications ?? [];
  // An AstraPay order shows its account link's notifications with the payment's, oldest first, each labelled.
  const notes = linkNotes.length > 0 ? [...linkNotes, ...v.notifications].sort((a, b) => a.at.localeCompare(b.at)) : v.notifications;
  const row = (n: ReceivedNotification): SafeHtml => (n.kind === 'link' ? linkNotificationRow(n) : notificationRow(n, linkNotes.length > 0 ? 'Payment: ' : ''));
  return layout(
    words.word,
    html`<section class="result ${words.tone}">
  <div class="badge-big" aria-hidden="true">${words.tone === 'ok' ? '✓' : words.tone === 'bad' ? '✕' : words.tone === 'wait' ? '…' : '•'}</div>
  <p class="status-label">Payment status</p>
  <h1 data-testid="status" data-status="${status ?? ''}">${words.word}</h1>
  <p class="line">${v.problem ? html`Could not confirm with the payment gateway: ${v.problem}` : words.line}</p>
  ${cancelAmt > 0 ? html`<p class="line" data-testid="refunded">${formatRupiah(cancelAmt)} refunded</p>` : ''}
</section>
<section class="card">
  <h2>Order ${v.referenceNo}</h2>
  ${v.cart ? html`<ul class="lines">${v.cart.map((l) => html`<li><span>${l.quantity} × ${l.item.name}</span><span>${formatRupiah(l.item.price * l.quantity)}</span></li>`)}</ul>` : v.inquiry?.goodsNm ? html`<p>${v.inquiry.goodsNm}</p>` : ''}
  <dl>
    ${Number.isFinite(amt) ? html`<div><dt>Total</dt><dd data-testid="amount">${formatRupiah(amt)}</dd></div>` : ''}
    <div><dt>Wallet</dt><dd data-testid="wallet">${v.wallet?.name ?? v.inquiry?.mitraCd ?? '—'}</dd></div>
    <div><dt>Transaction</dt><dd><code>${v.tXid}</code></dd></div>
    ${v.inquiry?.transDt && v.inquiry.transTm ? html`<div><dt>Date</dt><dd>${nicepayDateTime(v.inquiry.transDt, v.inquiry.transTm)}</dd></div>` : ''}
  </dl>
</section>
<section class="card">
  <h2>Notifications received</h2>
  ${
    notes.length > 0
      ? html`<ul class="notes" data-testid="notifications">${notes.map(row)}</ul>`
      : html`<ul class="notes" data-testid="notifications"></ul><p class="empty">None yet${v.refreshUrl ? ': this page refreshes by itself' : ''}.</p>`
  }
  <p class="small">The shop trusts neither the return link nor the browser: the status above comes from an inquiry to the gateway, the list from its signed notifications.</p>
</section>
${v.unlinkMandateID !== undefined ? unlinkCard(v.unlinkMandateID, 'Your AstraPay account stays linked to this shop: your next AstraPay payment only asks for your PIN.') : ''}
<p class="back"><a href="/shop" class="button-link">Back to the shop</a>${v.refreshUrl ? '' : html` <a href="" class="quiet">Refresh</a>`}</p>`,
    v.refreshUrl ? html`<meta http-equiv="refresh" content="2;url=${v.refreshUrl}">` : undefined,
  );
}

function notificationRow(n: ReceivedNotification, label = ''): SafeHtml {
  const status = n.fields.status;
  const cancelAmt = Number(n.fields.cancelAmt ?? 0);
  return html`<li data-kind="payment" data-status="${status ?? ''}" data-token-valid="${String(n.tokenValid)}">
  <span class="what">${label}${statusInWords(status).word} <small>(status ${status ?? '?'})</small>${cancelAmt > 0 ? html` · ${formatRupiah(cancelAmt)} refunded` : ''}</span>
  <span class="${n.tokenValid ? 'valid' : 'invalid'}">${n.tokenValid ? 'token valid ✓' : 'token INVALID ✗'}</span>
  <span class="when">received ${clock.format(new Date(n.at))} WIB</span>
</li>`;
}

/** An account link's notification: "Account link: ACTIVE", its token checked (CONTRACT §5). */
function linkNotificationRow(n: ReceivedNotification): SafeHtml {
  const linkStatus = n.fields.linkStatus;
  return html`<li data-kind="link" data-link-status="${linkStatus ?? ''}" data-token-valid="${String(n.tokenValid)}">
  <span class="what">Account link: ${linkStatus ?? '?'}</span>
  <span class="${n.tokenValid ? 'valid' : 'invalid'}">${n.tokenValid ? 'token valid ✓' : 'token INVALID ✗'}</span>
  <span class="when">received ${clock.format(new Date(n.at))} WIB</span>
</li>`;
}

/** "Unlink AstraPay": a form POST to the shop, which calls `linkDisable`. */
function unlinkForm(mandateID: string, line: string): SafeHtml {
  return html`<p class="small-line">${line}</p>
  <form method="post" action="/shop/astrapay/unlink" class="unlink">
    <input type="hidden" name="mandateID" value="${mandateID}">
    <button type="submit" class="secondary">Unlink AstraPay</button>
  </form>`;
}

function unlinkCard(mandateID: string, line: string): SafeHtml {
  return html`<section class="card">
  <h2>AstraPay account</h2>
  ${unlinkForm(mandateID, line)}
</section>`;
}

/** AstraPay account link statuses (CONTRACT §4) in the customer's words. */
const linkWords: Readonly<Record<string, { title: string; tone: 'ok' | 'bad' | 'wait' | 'neutral'; line: string; mark: string }>> = {
  ACTIVE: { title: 'AstraPay account linked', tone: 'ok', mark: '✓', line: 'From now on each AstraPay payment at this shop only asks for your PIN.' },
  PENDING: { title: 'Waiting for AstraPay…', tone: 'wait', mark: '…', line: 'AstraPay has not confirmed the link yet: this page refreshes by itself.' },
  FAILED: { title: 'AstraPay linking failed', tone: 'bad', mark: '✕', line: 'Your account was not linked. Nothing was charged.' },
  EXPIRED: { title: 'AstraPay link expired', tone: 'bad', mark: '⌛', line: 'The registration was not completed in time. Nothing was charged.' },
  DISABLED: { title: 'AstraPay unlinked', tone: 'neutral', mark: '•', line: 'The shop can no longer charge this account. Your next AstraPay payment asks you to link it again.' },
};

export function linkInWords(linkStatus: string | undefined): { title: string; tone: 'ok' | 'bad' | 'wait' | 'neutral'; line: string; mark: string } {
  return (linkStatus !== undefined && Object.hasOwn(linkWords, linkStatus) ? linkWords[linkStatus] : undefined) ?? { title: 'AstraPay link unknown', tone: 'neutral', mark: '?', line: '' };
}

export interface LinkView {
  readonly mandateID: string;
  /** What the gateway's `linkInquiry` said (`undefined` with `problem` when it could not be asked or refused). */
  readonly inquiry: Readonly<Record<string, string>> | undefined;
  readonly problem: string | undefined;
  readonly notifications: readonly ReceivedNotification[];
  /** The order waiting for this link, not yet paid. */
  readonly pendingOrder: { readonly referenceNo: string; readonly cart: Cart; readonly amt: number } | undefined;
  /** The result page of the order that was waiting, when its payment has started already. */
  readonly startedOrderUrl: string | undefined;
  /** Whether the shop still holds this link for the customer (then it offers to unlink it). */
  readonly canUnlink: boolean;
  readonly refreshUrl: string | undefined;
}

/**
 * The shop's AstraPay link page: where AstraPay's registration returns the customer (callBackUrl), and where
 * an unlink ends. The status comes from the gateway's `linkInquiry`, the list from the signed link notifications.
 */
export function linkPage(v: LinkView): string {
  const linkStatus = v.inquiry?.linkStatus;
  const words = linkInWords(linkStatus);
  const order = v.pendingOrder;
  const payable = linkStatus === 'ACTIVE' && order !== undefined;
  const relink = order !== undefined && (linkStatus === 'FAILED' || linkStatus === 'EXPIRED' || linkStatus === 'DISABLED');
  return layout(
    words.title,
    html`<section class="result ${words.tone}">
  <div class="badge-big" aria-hidden="true">${words.mark}</div>
  <p class="status-label">AstraPay account link</p>
  <h1 data-testid="link-status" data-link-status="${linkStatus ?? ''}">${words.title}</h1>
  <p class="line">${v.problem ? html`Could not confirm with the payment gateway: ${v.problem}` : words.line}</p>
</section>
${
  payable
    ? html`<section class="card">
  <h2>Order ${order.referenceNo}</h2>
  <ul class="lines">${order.cart.map((l) => html`<li><span>${l.quantity} × ${l.item.name}</span><span>${formatRupiah(l.item.price * l.quantity)}</span></li>`)}</ul>
  <dl><div><dt>Total</dt><dd data-testid="amount">${formatRupiah(order.amt)}</dd></div></dl>
  <form method="post" action="/shop/astrapay/pay" class="then-pay">
    <input type="hidden" name="order" value="${order.referenceNo}">
    <button type="submit" class="pay astra">Pay ${formatRupiah(order.amt)} with AstraPay</button>
  </form>
  <p class="small">AstraPay asks for your PIN to confirm the payment.</p>
</section>`
    : ''
}
<section class="card">
  <h2>AstraPay account</h2>
  <dl>
    <div><dt>Status</dt><dd data-testid="link-status-code">${linkStatus ?? '—'}</dd></div>
    ${v.inquiry?.billingPhone ? html`<div><dt>Phone</dt><dd data-testid="link-phone">${v.inquiry.billingPhone}</dd></div>` : ''}
    <div><dt>Mandate ID</dt><dd><code data-testid="mandate-id">${v.mandateID}</code></dd></div>
  </dl>
  ${v.canUnlink && linkStatus === 'ACTIVE' ? unlinkForm(v.mandateID, 'Unlink to stop the shop from charging this account; a later AstraPay payment links it again.') : ''}
</section>
<section class="card">
  <h2>Notifications received</h2>
  ${
    v.notifications.length > 0
      ? html`<ul class="notes" data-testid="link-notifications">${v.notifications.map(linkNotificationRow)}</ul>`
      : html`<ul class="notes" data-testid="link-notifications"></ul><p class="empty">None yet${v.refreshUrl ? ': this page refreshes by itself' : ''}.</p>`
  }
  <p class="small">The shop trusts neither the return link nor the browser: the status above comes from an inquiry to the gateway (<code>linkInquiry</code>), the list from its signed notifications.</p>
</section>
<div class="back">${
      relink
        ? html`<form method="post" action="/shop/astrapay/pay"><input type="hidden" name="order" value="${order.referenceNo}"><button type="submit" class="pay">Link AstraPay again</button></form><a href="/shop" class="quiet">Back to the shop</a>`
        : v.startedOrderUrl !== undefined
          ? html`<a href="${v.startedOrderUrl}" class="button-link">See your order</a><a href="/shop" class="quiet">Back to the shop</a>`
          : payable
            ? html`<a href="/shop" class="quiet">Back to the shop</a>`
            : html`<a href="/shop" class="button-link">Back to the shop</a>`
    }${v.refreshUrl ? '' : html` <a href="" class="quiet">Refresh</a>`}</div>`,
    v.refreshUrl ? html`<meta http-equiv="refresh" content="2;url=${v.refreshUrl}">` : undefined,
  );
}

/** `20260514` + `140322` (WIB) → "14 May 2026, 14:03". */
function nicepayDateTime(d: string, t: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(d);
  const n = /^(\d{2})(\d{2})(\d{2})$/.exec(t);
  if (!m || !n) return `${d} ${t}`;
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${n[1]}:${n[2]}:${n[3]}+07:00`);
  return Number.isNaN(at.getTime()) ? `${d} ${t}` : `${day.format(at)} WIB`;
}

export function notFoundPage(message: string): string {
  return layout('Not found', html`<section class="result neutral"><h1 data-testid="status">Order not found</h1><p class="line">${message}</p></section><p class="back"><a href="/shop" class="button-link">Back to the shop</a></p>`);
}
