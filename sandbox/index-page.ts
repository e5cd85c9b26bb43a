import { html, htmlDocument, raw } from './html.js';
import { magicValues, manualValue } from './magic-values.js';
import { brandOf, pageOf } from './simulators.js';
import type { WalletDescriptor } from '../wallets/descriptor.js';

/** A card of the index page: the shop, or a wallet. */
interface Card {
  readonly name: string;
  readonly description: string;
  readonly links: readonly { readonly label: string; readonly href: string }[];
  /** The card's accent (the wallet's brand colour); default the sandbox purple. */
  readonly color?: string;
}

const shopCard: Card = {
  name: 'Demo shop (merchant)',
  description: 'A coffee shop that pays through the gateway with any wallet, as a real merchant would: it registers, sends you to pay, takes the signed notifications and confirms the result with an inquiry.',
  links: [
    { label: 'Open the shop', href: '/shop' },
    { label: 'Notifications received', href: '/sandbox/merchant/notifications' },
  ],
};

/** `A, B and C`. */
function listed(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

function inspection(wallets: readonly WalletDescriptor[]): readonly { readonly label: string; readonly href: string; readonly note: string }[] {
  const first = wallets[0]?.ledgerName ?? '';
  return [
    { label: 'Ledger', href: '/sandbox/ledger', note: `charges and refunds, ?wallet=${wallets.map((d) => d.ledgerName).join('|')}&merchantInvoice=…` },
    { label: 'Callback deliveries', href: '/sandbox/callbacks', note: 'every attempt, ?merchantInvoice=…' },
    { label: 'Faults', href: '/sandbox/faults', note: `POST {"wallet":"${first}","failNext":2,"latencyMs":500,"dropCallbacks":true}; DELETE resets` },
    { label: 'Health', href: '/health', note: '{"status":"ok"}' },
  ];
}

/** Which phone the magic values read: the gateway's, or for a wallet on linked accounts the linked account's. */
function magicSentence(wallets: readonly WalletDescriptor[]): string {
  const linked = wallets.filter((d) => d.accountLinks).map((d) => d.name);
  const note = linked.length > 0 ? ` (${listed(linked)}: of the linked account's phone)` : '';
  return `The same for every wallet (${wallets.map((d) => d.name).join(', ')}): the last three digits of the phone the gateway sends${note}.`;
}

/** The sandbox's home page: one card per configured wallet (its simulator's), in the registry's order. */
export function indexPage(wallets: readonly WalletDescriptor[]): string {
  const cards: Card[] = [shopCard, ...wallets.map((d) => ({ name: d.name, color: brandOf(d).color, ...pageOf(d) }))];
  const apis = wallets.flatMap((d) => {
    const api = pageOf(d).api;
    return api !== undefined ? [{ id: `${d.callbackPath}-api`, name: d.name, ...api }] : [];
  });
  return htmlDocument({
    title: 'E-wallet sandbox',
    head: html`<style>${raw(css)}</style>`,
    body: html`<main>
  <h1>E-wallet sandbox</h1>
  <p>Simulated wallet providers for the ewallet-gateway. No real money moves.</p>
  <h2>Simulators</h2>
  <ul class="cards">${cards.map(
    (s) => html`<li${s.color !== undefined ? html` style="border-left-color: ${s.color}"` : ''}><h3>${s.name}</h3><p>${s.description}</p><p class="links">${s.links.map((l) => html`<a href="${l.href}">${l.label}</a>`)}</p></li>`,
  )}</ul>
  <h2>Magic phone numbers</h2>
  <p>${magicSentence(wallets)}</p>
  <table><thead><tr><th>ends in</th><th>what the customer and wallet do</th></tr></thead><tbody>
  ${[...magicValues, manualValue].map((m) => html`<tr><td><code>${m.suffix ?? 'other'}</code></td><td>${m.summary}</td></tr>`)}
  </tbody></table>
  <h2>Wallet APIs</h2>
  ${apis.map((a) => html`<h3 id="${a.id}">${a.name}</h3><p><code>${a.auth}</code></p><ul>${a.calls.map((call) => html`<li><code>${call}</code></li>`)}</ul>`)}
  <h2>Inspection and faults</h2>
  <ul>${inspection(wallets).map((i) => html`<li><a href="${i.href}">${i.label}</a>: <code>${i.note}</code></li>`)}</ul>
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
