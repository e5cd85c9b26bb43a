import { formatRupiah, html, htmlDocument, raw, type SafeHtml } from '../html.js';
import type { ReceivedNotification } from '../merchant/notifications.js';
import { catalog, MAX_QUANTITY, shopWallets, type Cart, type ShopWallet } from './catalog.js';
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

export function shopPage(form: ShopForm = defaultShopForm, error?: string): string {
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
${shopWallets.map(
  (w) => html`<label class="wallet" style="--brand:${w.color}"><input type="radio" name="mitraCd" value="${w.mitraCd}"${form.mitraCd === w.mitraCd ? raw(' checked') : ''}><span>${w.name}</span></label>`,
)}
</fieldset>
<label for="phone" class="field-label">Phone number</label>
<input type="tel" id="phone" name="billingPhone" value="${form.phone}" inputmode="tel" autocomplete="tel" required aria-describedby="phone-hint">
<p class="hint" id="phone-hint">Sandbox: the last three digits decide what the wallet's customer does: <b>000</b> pays, <b>001</b> declines,
<b>002</b> never answers, <b>007</b> has too little balance; any other number waits for you on the wallet's page.
<a href="/">All magic endings</a></p>
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
  /** Refresh again after this many seconds; `undefined`: no auto-refresh. */
  readonly refreshUrl: string | undefined;
}

export function resultPage(v: ResultView): string {
  const status = v.inquiry?.status;
  const words = statusInWords(status);
  const amt = Number(v.inquiry?.amt ?? NaN);
  const cancelAmt = Number(v.inquiry?.cancelAmt ?? 0);
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
    v.notifications.length > 0
      ? html`<ul class="notes" data-testid="notifications">${v.notifications.map(notificationRow)}</ul>`
      : html`<ul class="notes" data-testid="notifications"></ul><p class="empty">None yet${v.refreshUrl ? ': this page refreshes by itself' : ''}.</p>`
  }
  <p class="small">The shop trusts neither the return link nor the browser: the status above comes from an inquiry to the gateway, the list from its signed notifications.</p>
</section>
<p class="back"><a href="/shop" class="button-link">Back to the shop</a>${v.refreshUrl ? '' : html` <a href="" class="quiet">Refresh</a>`}</p>`,
    v.refreshUrl ? html`<meta http-equiv="refresh" content="2;url=${v.refreshUrl}">` : undefined,
  );
}

function notificationRow(n: ReceivedNotification): SafeHtml {
  const status = n.fields.status;
  const cancelAmt = Number(n.fields.cancelAmt ?? 0);
  return html`<li data-status="${status ?? ''}" data-token-valid="${String(n.tokenValid)}">
  <span class="what">${statusInWords(status).word} <small>(status ${status ?? '?'})</small>${cancelAmt > 0 ? html` · ${formatRupiah(cancelAmt)} refunded` : ''}</span>
  <span class="${n.tokenValid ? 'valid' : 'invalid'}">${n.tokenValid ? 'token valid ✓' : 'token INVALID ✗'}</span>
  <span class="when">received ${clock.format(new Date(n.at))} WIB</span>
</li>`;
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
