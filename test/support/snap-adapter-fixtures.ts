import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { CreatePaymentRequest, RawCallback } from '../../activities/wallets/adapter.js';
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
/** A notify as the gateway's callback route hands it to the adapter. */
export const raw = (cb: RedirectCallback): RawCallback => ({ headers: cb.headers, rawBody: Buffer.from(cb.rawBody) });
/** A private key nobody trusts: a request signed with it must change nothing. */
export const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
