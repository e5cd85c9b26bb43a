import type { CheckoutBrand } from '../checkout/pages.js';
import { randomDigits, type RedirectWallet, type RedirectWalletDeps } from '../checkout/wallet.js';
import { createDirectDebitWallet, type DirectDebitState } from '../snap/direct-debit-wallet.js';

export const linkAjaBrand: CheckoutBrand = { name: 'LinkAja', color: '#E82529', dark: '#B5161B', soft: '#FDE9EA', balanceLabel: 'LinkAja balance' };

/**
 * LinkAja at `/linkaja`: LinkAja publishes no merchant API (WALLET-APIS.md), so this is SNAP Direct Debit as the
 * standard has it (symmetric profile), with the standard notify, retried like any wallet's.
 */
export function createLinkAjaWallet(deps: Omit<RedirectWalletDeps, 'initial'> & { readonly initial?: DirectDebitState | undefined }): RedirectWallet<DirectDebitState> {
  return createDirectDebitWallet({ wallet: 'LINKAJA', key: 'linkaja', brand: linkAjaBrand, config: deps.config.linkaja, newWalletRef: () => `LA${randomDigits(12)}` }, deps);
}
