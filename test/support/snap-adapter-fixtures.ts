import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { CreatePaymentRequest, RawCallback } from '../../activities/wallets/adapter.js';
import type { SymmetricCredentials } from '../../activities/wallets/snap/direct-debit-adapter.js';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';
import type { WalletEndpoint } from '../../domain/wallet-settings.js';
import type { RedirectCallback } from './sandbox-redirect-harness.js';

/** What the SNAP adapters' tests (DANA, the Direct Debit wallets, OVO) create payments with. */
export const RETURN = 'http://gateway.example/payments/return';
export const tXid = (): string => `IONPAYTEST05${randomBytes(8).toString('hex').toUpperCase()}`;
/** A payment request whose phone ends in `suffix` (a magic value, CONTRACT §6). */
export const request = (suffix: string, overrides: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest => ({
  tXid: tXid(),
  referenceNo: `ORD-${randomBytes(4).toString('hex')}`,
  amount: 15000,
  phone: `081234567${suffix}`,
  goodsName: 'Kopi susu x2',
  merchantName: 'Toko Kopi',
  returnUrl: RETURN,
  expirySeconds: 900,
  expiresAt: new Date(Date.now() + 900_000).toISOString(),
  ...overrides,
});
/** A notify as the gateway's callback route hands it to the wallet's verifier. */
export const raw = (cb: RedirectCallback): RawCallback => ({ headers: cb.headers, rawBody: Buffer.from(cb.rawBody) });
/** A private key nobody trusts: a request signed with it must change nothing. */
export const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** The SNAP Direct Debit wallets' configuration prefixes (symmetric profile), whose sandbox values sandboxSecrets holds. */
export type SymmetricSandboxWallet = 'OVO' | 'SHOPEEPAY' | 'LINKAJA' | 'ASTRAPAY';

/**
 * A symmetric wallet's settings with the sandbox's public values, built by hand as the adapter and verifier take them
 * (what loadConfig gives the worker in sandbox mode): the wallet at `baseUrl`, its notifies to `notifyUrl`.
 */
export function symmetricSandboxSettings(prefix: SymmetricSandboxWallet, baseUrl: string, notifyUrl: string): { endpoint: WalletEndpoint; credentials: SymmetricCredentials } {
  return {
    endpoint: { baseUrl, merchantId: sandboxSecrets[`${prefix}_CLIENT_ID`], publicKey: sandboxSecrets[`${prefix}_PUBLIC_KEY`], notifyUrl },
    credentials: { profile: 'symmetric-b2b', clientSecret: sandboxSecrets[`${prefix}_CLIENT_SECRET`], privateKey: sandboxSecrets[`${prefix}_PRIVATE_KEY`] },
  };
}
