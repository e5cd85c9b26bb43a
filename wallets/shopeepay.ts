import { snapDirectDebitWallet } from './module.js';

/**
 * ShopeePay (Indonesia) on SNAP Direct Debit, symmetric profile (WALLET-APIS.md: client id, client secret for the HMAC,
 * ShopeePay's public key for its notifies). ShopeePay sends its notify once, without retries: the payment workflow's
 * status checks, not the notify, are what the outcome rests on.
 */
export const shopeePay = snapDirectDebitWallet({
  mitraCd: 'ESHP',
  name: 'ShopeePay',
  flow: 'redirect',
  accountLinks: false,
  configPrefix: 'SHOPEEPAY',
  callbackPath: 'shopeepay',
  ledgerName: 'SHOPEEPAY',
  simulator: { kind: 'snap-direct-debit', notifyRetries: false, brand: { color: '#EE4D2D', dark: '#C73A1D', soft: '#FDECE8' } },
});
