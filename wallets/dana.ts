import { DanaAdapter } from '../activities/wallets/dana.js';
import { defineWallet, snapNotifyVerifier } from './module.js';
import type { WalletDescriptor } from './descriptor.js';

const descriptor: WalletDescriptor = {
  mitraCd: 'DANA',
  name: 'DANA',
  flow: 'redirect',
  accountLinks: false,
  configPrefix: 'DANA',
  callbackPath: 'dana',
  ledgerName: 'DANA',
  snapProfile: 'asymmetric',
  simulator: { kind: 'dana' },
};

/** DANA's Payment Gateway as published (SNAP, asymmetric profile); its finish notify always names the merchant. */
export const dana = defineWallet({
  ...descriptor,
  adapter: (endpoint, credentials, fetchImpl) => {
    if (credentials.profile !== 'asymmetric') throw new Error(`DANA: asymmetric credentials expected, got ${credentials.profile}`);
    return new DanaAdapter(descriptor.mitraCd, endpoint, credentials, fetchImpl);
  },
  verifier: (endpoint) => snapNotifyVerifier(descriptor, endpoint, true),
});
