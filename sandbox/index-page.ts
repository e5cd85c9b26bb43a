import { html, htmlDocument, raw } from './html.js';
import { magicValues, manualValue } from './magic-values.js';

/** One line per simulated wallet or page; a new simulator adds its entry here. */
export interface SimulatorEntry {
  readonly name: string;
  readonly description: string;
  readonly links: readonly { readonly label: string; readonly href: string }[];
}

export const simulators: readonly SimulatorEntry[] = [
  {
    name: 'OVO',
    description: "Push payments: the gateway pushes a request to the customer's OVO app, the customer approves or declines it.",
    links: [
      { label: 'Customer phone page', href: '/ovo/phone' },
      { label: 'Example phone (manual)', href: '/ovo/phone/081234567899' },
    ],
  },
];

const inspection: readonly { readonly label: string; readonly href: string; readonly note: string }[] = [
  { label: 'Ledger', href: '/sandbox/ledger', note: 'charges and refunds, ?wallet=OVO&merchantInvoice=…' },
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
    (s) => html`<li><h3>${s.name}</h3><p>${s.description}</p><p class="links">${s.links.map((l) => html`<a href="${l.href}">${l.label}</a>`)}</p></li>`,
  )}</ul>
  <h2>Magic phone numbers</h2>
  <table><thead><tr><th>ends in</th><th>what the customer and wallet do</th></tr></thead><tbody>
  ${[...magicValues, manualValue].map((m) => html`<tr><td><code>${m.suffix ?? 'other'}</code></td><td>${m.summary}</td></tr>`)}
  </tbody></table>
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
