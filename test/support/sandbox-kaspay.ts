/**
 * KasPay, a wallet that exists only in tests: a registry entry on the SNAP Direct Debit profile and its keys, nothing
 * in the gateway's or the sandbox's code. It proves a sixth wallet is served from its entry alone
 * (test/unit/sandbox-sixth-wallet.test.ts, test/e2e/sixth-wallet.test.ts).
 */
import { generateKeyPairSync } from 'node:crypto';
import type { WalletDescriptor } from '../../wallets/descriptor.js';
import { snapDirectDebitWallet } from '../../wallets/module.js';
import type { AddedWallet } from './sandbox-redirect-harness.js';

/** The registry entry: the gateway builds its adapter and verifier, the sandbox its simulator, from this alone. */
export const kasPayWallet = snapDirectDebitWallet({
  mitraCd: 'KASP',
  name: 'KasPay',
  flow: 'redirect',
  accountLinks: false,
  configPrefix: 'KASPAY',
  callbackPath: 'kaspay',
  ledgerName: 'KASPAY',
  simulator: { kind: 'snap-direct-debit', brand: { color: '#0F7B6C', dark: '#0A5A4F', soft: '#E3F4F1' } },
});
export const kasPayDescriptor: WalletDescriptor = kasPayWallet;

const pem = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};
/** KasPay's own pair (signs its notifies) and the gateway's (signs its B2B token requests). */
const wallet = pem();
const gateway = pem();

export const kasPayClient = { clientId: 'kaspay-merchant-01', clientSecret: 'kaspay-secret-for-tests', privateKey: gateway.privateKey };

/** KasPay in the sandbox: its descriptor, the four variables its profile reads, and the gateway's halves. */
export const kasPay: AddedWallet = {
  descriptor: kasPayDescriptor,
  env: {
    KASPAY_CLIENT_ID: kasPayClient.clientId,
    KASPAY_CLIENT_SECRET: kasPayClient.clientSecret,
    SANDBOX_KASPAY_PRIVATE_KEY: wallet.privateKey,
    SANDBOX_KASPAY_PARTNER_PUBLIC_KEY: gateway.publicKey,
  },
  client: kasPayClient,
  publicKey: wallet.publicKey,
};

/** Both sides' variables: the sandbox's (above) and the gateway's (domain/wallet-settings.ts). */
export const kasPayVariables: Readonly<Record<string, string>> = {
  ...kasPay.env,
  KASPAY_PRIVATE_KEY: gateway.privateKey,
  KASPAY_PUBLIC_KEY: wallet.publicKey,
};
