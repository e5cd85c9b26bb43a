import type { CheckoutBrand } from '../checkout/pages.js';
import { randomDigits, type RedirectWallet, type RedirectWalletDeps } from '../checkout/wallet.js';
import { createDirectDebitWallet, type DirectDebitState } from '../snap/direct-debit-wallet.js';
import { createOvoPhoneRouter } from './phone-page.js';

export const ovoBrand: CheckoutBrand = { name: 'OVO', color: '#4C3494', dark: '#3A2772', soft: '#EFEBF7', balanceLabel: 'OVO Cash' };

/**
 * OVO at `/ovo`: SNAP Direct Debit (symmetric profile) with OVO's published variations (WALLET-APIS.md): the B2B token
 * at `/OVOSNAP/v1.0/access-token/b2b`, Direct Debit under `/OVOSNAP/v2.0/debit`, times with milliseconds. Cancel and
 * notify are the standard's, under the same prefix: OVO publishes neither. The payment is a push to the customer's
 * OVO app (the phone page at `/ovo/phone`): the create answers `202xx00`, the customer approves or declines there.
 */
export function createOvoWallet(deps: Omit<RedirectWalletDeps, 'initial'> & { readonly initial?: DirectDebitState | undefined }): RedirectWallet<DirectDebitState> {
  return createDirectDebitWallet(
    {
      wallet: 'OVO',
      key: 'ovo',
      brand: ovoBrand,
      config: deps.config.ovo,
      newWalletRef: () => `OVO${randomDigits(17)}`,
      paths: { tokenBase: '/OVOSNAP', debitBase: '/OVOSNAP/v2.0/debit' },
      millisecondTimestamps: true,
      push: { pages: createOvoPhoneRouter, lateApproveMs: deps.config.lateApproveMs },
    },
    deps,
  );
}
