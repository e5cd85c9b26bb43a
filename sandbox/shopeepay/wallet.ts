import type { CheckoutBrand } from '../checkout/pages.js';
import { randomDigits, type RedirectWallet, type RedirectWalletDeps } from '../checkout/wallet.js';
import { createDirectDebitWallet, type DirectDebitState } from '../snap/direct-debit-wallet.js';

export const shopeePayBrand: CheckoutBrand = { name: 'ShopeePay', color: '#EE4D2D', dark: '#C73A1D', soft: '#FDECE8', balanceLabel: 'ShopeePay balance' };

/**
 * ShopeePay at `/shopeepay`: SNAP Direct Debit (symmetric profile) with ShopeePay's published variation, a notify
 * sent once and never retried (WALLET-APIS.md), so the merchant's status check carries the load.
 */
export function createShopeePayWallet(deps: Omit<RedirectWalletDeps, 'initial'> & { readonly initial?: DirectDebitState | undefined }): RedirectWallet<DirectDebitState> {
  return createDirectDebitWallet(
    { wallet: 'SHOPEEPAY', key: 'shopeepay', brand: shopeePayBrand, config: deps.config.shopeepay, newWalletRef: () => randomDigits(18), notifyRetryDelaysMs: [] },
    deps,
  );
}
