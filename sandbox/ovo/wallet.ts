import { randomDigits } from '../checkout/wallet.js';
import type { CheckoutBrand } from '../checkout/pages.js';
import { checkoutWalletSimulator, sandboxPurple, type SimulatorKind } from '../simulator-kind.js';
import { directDebitWalletFor } from '../snap/direct-debit-wallet.js';
import type { WalletDescriptor } from '../../wallets/descriptor.js';
import { createOvoPhoneRouter } from './phone-page.js';

/** OVO's purple is the sandbox's. */
const brand = (d: WalletDescriptor): CheckoutBrand => ({ name: d.name, ...sandboxPurple, balanceLabel: `${d.name} Cash` });

/**
 * OVO: SNAP Direct Debit (symmetric profile) with OVO's published variations (WALLET-APIS.md): the B2B token at
 * `/OVOSNAP/v1.0/access-token/b2b`, Direct Debit under `/OVOSNAP/v2.0/debit`, times with milliseconds. Cancel and
 * notify are the standard's, under the same prefix: OVO publishes neither. The payment is a push to the customer's
 * OVO app (the phone page at `/ovo/phone`): the create answers `202xx00`, the customer approves or declines there.
 */
export const ovoSimulator: SimulatorKind = {
  brand,
  page: (d) => ({
    description: `Push payments on SNAP Direct Debit (${d.name}'s /OVOSNAP paths): the gateway's request is pushed to the customer's ${d.name} app, the customer approves or declines it there.`,
    links: [
      { label: 'Customer phone page', href: `/${d.callbackPath}/phone` },
      { label: 'Example phone (manual)', href: `/${d.callbackPath}/phone/081234567899` },
    ],
  }),
  create: (d, deps, slice) => {
    const wallet = directDebitWalletFor(d, deps, slice, {
      brand: brand(d),
      newWalletRef: () => `OVO${randomDigits(17)}`,
      paths: { tokenBase: '/OVOSNAP', debitBase: '/OVOSNAP/v2.0/debit' },
      millisecondTimestamps: true,
      push: { pages: createOvoPhoneRouter, lateApproveMs: deps.config.lateApproveMs },
    });
    return checkoutWalletSimulator(d, wallet, true);
  },
};
