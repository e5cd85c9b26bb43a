import { html, htmlDocument, raw } from './html.js';
import { magicValues, manualValue } from './magic-values.js';

/** One line per simulated wallet or page; a new simulator adds its entry here. */
export interface SimulatorEntry {
  readonly name: string;
  readonly description: string;
  readonly links: readonly { readonly label: string; readonly href: string }[];
  /** The card's accent (the wallet's brand colour); default the sandbox purple. */
  readonly color?: string;
}

export const simulators: readonly SimulatorEntry[] = [
  {
    name: 'Demo shop (merchant)',
    description: 'A coffee shop that pays through the gateway with any wallet, as a real merchant would: it registers, sends you to pay, takes the signed notifications and confirms the result with an inquiry.',
    links: [
      { label: 'Open the shop', href: '/shop' },
      { label: 'Notifications received', href: '/sandbox/merchant/notifications' },
    ],
  },
  {
    name: 'OVO',
    description: "Push payments on SNAP Direct Debit (OVO's /OVOSNAP paths): the gateway's request is pushed to the customer's OVO app, the customer approves or declines it there.",
    links: [
      { label: 'Customer phone page', href: '/ovo/phone' },
      { label: 'Example phone (manual)', href: '/ovo/phone/081234567899' },
    ],
  },
  {
    name: 'DANA',
    color: '#118EEA',
    description: 'Redirect checkout: the gateway creates an order (JSON, HMAC-signed requests), the customer logs in on the DANA page (PIN 123456) and pays or cancels.',
    links: [
      { label: 'Latest checkouts', href: '/dana/checkout' },
      { label: 'API', href: '#dana-api' },
    ],
  },
  {
    name: 'ShopeePay',
    color: '#EE4D2D',
    description: 'Redirect checkout on SNAP Direct Debit (B2B token, HMAC-SHA512); its notify is sent once, never retried; the customer logs in on the ShopeePay page (PIN 123456).',
    links: [
      { label: 'Latest checkouts', href: '/shopeepay/checkout' },
      { label: 'API', href: '#shopeepay-api' },
    ],
  },
  {
    name: 'LinkAja',
    color: '#E82529',
    description: 'Redirect checkout on SNAP Direct Debit as the standard has it (B2B token, HMAC-SHA512, RSA-signed notify); the customer logs in on the LinkAja page (PIN 123456).',
    links: [
      { label: 'Latest checkouts', href: '/linkaja/checkout' },
      { label: 'API', href: '#linkaja-api' },
    ],
  },
  {
    name: 'AstraPay',
    color: '#1B3A6B',
    description: "SNAP account binding as NICEPAY documents it for ASTR, then Direct Debit on the bound account (Authorization-Customer): the customer registers once (OTP 123456) and confirms each payment with the PIN (123456).",
    links: [{ label: 'API', href: '#astrapay-api' }],
  },
];

/** The redirect wallets' merchant APIs, one line per call (sandbox/README.md has the wire format). */
const redirectApis: readonly { readonly id: string; readonly name: string; readonly auth: string; readonly calls: readonly string[] }[] = [
  {
    id: 'dana-api',
    name: 'DANA',
    auth: "DANA's Payment Gateway (SNAP): X-TIMESTAMP, X-PARTNER-ID, X-EXTERNAL-ID, CHANNEL-ID, X-SIGNATURE = base64 SHA256withRSA(partner key, METHOD:published path:sha256hex(minified body):X-TIMESTAMP)",
    calls: [
      'POST /dana/payment-gateway/v1.0/debit/payment-host-to-host.htm',
      'POST /dana/payment-gateway/v1.0/debit/status.htm',
      'POST /dana/payment-gateway/v1.0/debit/cancel.htm',
      'POST /dana/payment-gateway/v1.0/debit/refund.htm',
    ],
  },
  {
    id: 'shopeepay-api',
    name: 'ShopeePay',
    auth: 'SNAP Direct Debit: POST /shopeepay/v1.0/access-token/b2b (X-CLIENT-KEY, X-TIMESTAMP, X-SIGNATURE = base64 SHA256withRSA(partner key, clientId|X-TIMESTAMP)), then Authorization: Bearer <accessToken>, X-PARTNER-ID, X-EXTERNAL-ID, CHANNEL-ID, X-SIGNATURE = base64 HMAC-SHA512(client secret, METHOD:published path:accessToken:sha256hex(minified body):X-TIMESTAMP)',
    calls: [
      'POST /shopeepay/v1.0/debit/payment-host-to-host',
      'POST /shopeepay/v1.0/debit/status',
      'POST /shopeepay/v1.0/debit/cancel',
      'POST /shopeepay/v1.0/debit/refund',
    ],
  },
  {
    id: 'linkaja-api',
    name: 'LinkAja',
    auth: 'SNAP Direct Debit: POST /linkaja/v1.0/access-token/b2b (X-CLIENT-KEY, X-TIMESTAMP, X-SIGNATURE = base64 SHA256withRSA(partner key, clientId|X-TIMESTAMP)), then Authorization: Bearer <accessToken>, X-PARTNER-ID, X-EXTERNAL-ID, CHANNEL-ID, X-SIGNATURE = base64 HMAC-SHA512(client secret, METHOD:published path:accessToken:sha256hex(minified body):X-TIMESTAMP)',
    calls: [
      'POST /linkaja/v1.0/debit/payment-host-to-host',
      'POST /linkaja/v1.0/debit/status',
      'POST /linkaja/v1.0/debit/cancel',
      'POST /linkaja/v1.0/debit/refund',
    ],
  },
  {
    id: 'astrapay-api',
    name: 'AstraPay',
    auth: 'SNAP, as ShopeePay: POST /astrapay/v1.0/access-token/b2b, then Authorization: Bearer <accessToken> and X-SIGNATURE = base64 HMAC-SHA512(client secret, METHOD:published path:accessToken:sha256hex(minified body):X-TIMESTAMP); a payment or unbinding adds Authorization-Customer: Bearer <customer token>',
    calls: [
      'POST /astrapay/v1.0/registration-account-binding',
      'POST /astrapay/v1.0/registration-account-inquiry',
      'POST /astrapay/v1.0/registration-account-unbinding',
      'POST /astrapay/v1.0/debit/payment-host-to-host',
      'POST /astrapay/v1.0/debit/status',
      'POST /astrapay/v1.0/debit/cancel',
      'POST /astrapay/v1.0/debit/refund',
    ],
  },
];

const inspection: readonly { readonly label: string; readonly href: string; readonly note: string }[] = [
  { label: 'Ledger', href: '/sandbox/ledger', note: 'charges and refunds, ?wallet=OVO|DANA|SHOPEEPAY|LINKAJA|ASTRAPAY&merchantInvoice=…' },
  { label: 'Callback deliveries', href: '/sandbox/callbacks', note: 'every attempt, ?merchantInvoice=…' },
  { label: 'Faults', href: '/sandbox/faults', note: 'POST {"wallet":"OVO","failNext":2,"latencyMs":500,"dropCallbacks":true}; DELETE resets' },
  { label: 'Health', href: '/health', note: '{"status":"ok"}' },
];

export function indexPage(): string {
  return htmlDocument({
    title: 'E-wallet sandbox',
    head: html`<style>${raw(css)}</style>`,
    body: html`<main>
  <h1>E-wallet sandbox</h1>
  <p>Simulated wallet providers for the ewallet-gateway. No real money moves.</p>
  <h2>Simulators</h2>
  <ul class="cards">${simulators.map(
    (s) => html`<li${s.color !== undefined ? html` style="border-left-color: ${s.color}"` : ''}><h3>${s.name}</h3><p>${s.description}</p><p class="links">${s.links.map((l) => html`<a href="${l.href}">${l.label}</a>`)}</p></li>`,
  )}</ul>
  <h2>Magic phone numbers</h2>
  <p>The same for every wallet (OVO, DANA, ShopeePay, LinkAja, AstraPay): the last three digits of the phone the gateway sends (AstraPay: of the linked account's phone).</p>
  <table><thead><tr><th>ends in</th><th>what the customer and wallet do</th></tr></thead><tbody>
  ${[...magicValues, manualValue].map((m) => html`<tr><td><code>${m.suffix ?? 'other'}</code></td><td>${m.summary}</td></tr>`)}
  </tbody></table>
  <h2>Redirect wallet APIs</h2>
  ${redirectApis.map((a) => html`<h3 id="${a.id}">${a.name}</h3><p><code>${a.auth}</code></p><ul>${a.calls.map((call) => html`<li><code>${call}</code></li>`)}</ul>`)}
  <h2>Inspection and faults</h2>
  <ul>${inspection.map((i) => html`<li><a href="${i.href}">${i.label}</a>: <code>${i.note}</code></li>`)}</ul>
</main>`,
  });
}

const css = `
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f1b2d; background: #f6f4fa; }
main { max-width: 820px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { margin: 0 0 4px; }
h2 { margin-top: 32px; font-size: 18px; }
.cards { list-style: none; padding: 0; display: grid; gap: 12px; }
.cards li { background: #fff; border-radius: 14px; padding: 4px 18px; box-shadow: 0 2px 10px rgba(0,0,0,.06); border-left: 6px solid #4C3494; }
a { color: #4C3494; font-weight: 600; }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #e7e3ef; }
code { font-size: 13px; overflow-wrap: anywhere; }
.links { display: flex; flex-wrap: wrap; gap: 8px 18px; }
`;
