import { randomUUID } from 'node:crypto';
import type { PaymentTimeouts } from '../../domain/config.js';
import { newTxId } from '../../domain/tx-id.js';
import type { PaymentSubmission, PaymentWorkflowInput, Registration } from '../../workflows/messages.js';

export const productionTimeouts: PaymentTimeouts = {
  ovoPushSeconds: 60,
  checkoutSeconds: 900,
  linkSeconds: 900,
  registrationSeconds: 3600,
  settlementWindowSeconds: 86_400,
  refundWindowSeconds: 30 * 86_400,
  notifyRetryHours: 48,
};

/** A registered OVO payment for a phone ending in the given magic digits (CONTRACT §6). */
export function ovoPaymentInput(magic: string, overrides: Partial<Registration> = {}, timeouts: Partial<PaymentTimeouts> = {}): PaymentWorkflowInput {
  const referenceNo = `ORD-${randomUUID().slice(0, 8)}`;
  const registration: Registration = {
    iMid: 'IONPAYTEST',
    merchantName: 'IONPAY Test Merchant',
    referenceNo,
    payMethod: '05',
    mitraCd: 'OVOE',
    currency: 'IDR',
    amt: 15_000,
    goodsNm: 'Kopi Susu',
    billingNm: 'Budi Santoso',
    billingPhone: `08123456${magic}`,
    billingEmail: 'budi@example.com',
    dbProcessUrl: 'http://merchant.example/notify',
    callBackUrl: 'http://merchant.example/return',
    extra: {},
    ...overrides,
  };
  return {
    tXid: newTxId(registration.iMid, registration.referenceNo, new Date()),
    registration,
    fingerprint: `fp-${referenceNo}`,
    flow: registration.mitraCd === 'OVOE' ? 'push' : 'redirect',
    timeouts: { ...productionTimeouts, ...timeouts },
    registeredAt: new Date().toISOString(),
  };
}

/** A payment call as the API sends it: stamped now (the wallet's deadline counts from it). */
export function submission(overrides: Partial<PaymentSubmission> = {}): PaymentSubmission {
  return { submittedAt: new Date().toISOString(), ...overrides };
}

/** A registered payment with a redirect wallet (DANA, ShopeePay, LinkAja). */
export function redirectPaymentInput(mitraCd: 'DANA' | 'ESHP' | 'LINK' | 'ASTR', magic: string, timeouts: Partial<PaymentTimeouts> = {}): PaymentWorkflowInput {
  return ovoPaymentInput(magic, { mitraCd }, timeouts);
}
