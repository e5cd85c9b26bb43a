import { AstraPayNotifyVerifier } from '../activities/wallets/astrapay-notify.js';
import { AstraPayAdapter } from '../activities/wallets/astrapay.js';
import { defineWallet, symmetricCredentials } from './module.js';
import type { WalletDescriptor } from './descriptor.js';

const descriptor: WalletDescriptor = {
  mitraCd: 'ASTR',
  name: 'AstraPay',
  flow: 'redirect',
  accountLinks: true,
  configPrefix: 'ASTRAPAY',
  callbackPath: 'astrapay',
  ledgerName: 'ASTRAPAY',
  snapProfile: 'symmetric-b2b',
  simulator: { kind: 'astrapay' },
};

/** AstraPay: SNAP account binding, then Direct Debit on the bound account (`Authorization-Customer`), as NICEPAY documents for `ASTR`. */
export const astraPay = defineWallet({
  ...descriptor,
  adapter: (endpoint, credentials, fetchImpl) => new AstraPayAdapter(descriptor.mitraCd, endpoint, symmetricCredentials(descriptor, credentials), fetchImpl),
  verifier: (endpoint) =>
    new AstraPayNotifyVerifier({ mitraCd: descriptor.mitraCd, name: descriptor.name, publicKey: endpoint.publicKey, notifyUrl: endpoint.notifyUrl, merchantId: endpoint.merchantId, notifyNamesMerchant: false }),
});
