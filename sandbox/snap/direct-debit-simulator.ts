import { randomDigits } from '../checkout/wallet.js';
import type { CheckoutBrand } from '../checkout/pages.js';
import { checkoutWalletSimulator, directDebitOptions, sandboxPurple, type SimulatorKind } from '../simulator-kind.js';
import type { WalletDescriptor } from '../../wallets/descriptor.js';
import { DIRECT_DEBIT_BASE, directDebitPaths } from './direct-debit.js';
import { directDebitWalletFor } from './direct-debit-wallet.js';

/** How a SNAP Direct Debit wallet at `/<path>` authenticates calls, as the index page lists it. */
export function directDebitAuth(path: string): string {
  return `SNAP Direct Debit: POST /${path}/v1.0/access-token/b2b (X-CLIENT-KEY, X-TIMESTAMP, X-SIGNATURE = base64 SHA256withRSA(partner key, clientId|X-TIMESTAMP)), then Authorization: Bearer <accessToken>, X-PARTNER-ID, X-EXTERNAL-ID, CHANNEL-ID, X-SIGNATURE = base64 HMAC-SHA512(client secret, METHOD:published path:accessToken:sha256hex(minified body):X-TIMESTAMP)`;
}

/** The standard's four calls at `/<path>`. */
export function directDebitCalls(path: string): string[] {
  return Object.values(directDebitPaths).map((call) => `POST /${path}${DIRECT_DEBIT_BASE}${call}`);
}

function brand(d: WalletDescriptor): CheckoutBrand {
  return { name: d.name, ...(directDebitOptions(d).brand ?? sandboxPurple), balanceLabel: `${d.name} balance` };
}

/**
 * Its own reference numbers: `referencePrefix` and 12 digits (LinkAja's `LA…`), or 18 digits without one (ShopeePay's).
 */
function walletRefs(d: WalletDescriptor): () => string {
  const prefix = directDebitOptions(d).referencePrefix;
  return prefix === undefined ? () => randomDigits(18) : () => `${prefix}${randomDigits(12)}`;
}

/**
 * SNAP Direct Debit as the standard has it (symmetric profile), redirect checkout: any wallet whose descriptor names it
 * is served at `/<callbackPath>` from the descriptor alone (ShopeePay's notify sent once: `notifyRetries: false`).
 */
export const snapDirectDebitSimulator: SimulatorKind = {
  brand,
  page: (d) => ({
    description: `Redirect checkout on SNAP Direct Debit as the standard has it (B2B token, HMAC-SHA512, RSA-signed notify${directDebitOptions(d).notifyRetries === false ? ', sent once and never retried' : ''}); the customer logs in on the ${d.name} page (PIN 123456).`,
    links: [
      { label: 'Latest checkouts', href: `/${d.callbackPath}/checkout` },
      { label: 'API', href: `#${d.callbackPath}-api` },
    ],
    api: { auth: directDebitAuth(d.callbackPath), calls: directDebitCalls(d.callbackPath) },
  }),
  create: (d, deps, slice) => {
    const retries = directDebitOptions(d).notifyRetries === false ? { notifyRetryDelaysMs: [] } : {};
    return checkoutWalletSimulator(d, directDebitWalletFor(d, deps, slice, { brand: brand(d), newWalletRef: walletRefs(d), ...retries }));
  },
};
