import type { CheckoutPayment, CheckoutStatus } from '../checkout/schemas.js';

/**
 * SNAP's `latestTransactionStatus` (00–07), the one table from the checkout core's statuses: 01 initiated until a
 * person logs in on the checkout page, then 02 paying; 04 once fully refunded (a partial refund stays 00); 05 an
 * order closed unpaid (voided, expired); 06 a payment the customer or the wallet refused.
 */
export function snapStatusOf(p: Readonly<Pick<CheckoutPayment, 'status' | 'loggedInAt'>>): string {
  return p.status === 'PENDING' && p.loggedInAt !== undefined ? '02' : statusCode[p.status];
}

const statusCode: Record<CheckoutStatus, string> = { PENDING: '01', PAID: '00', REFUNDED: '04', FAILED: '06', CANCELLED: '06', VOIDED: '05', EXPIRED: '05' };

const statusWords: Record<CheckoutStatus, string> = {
  PENDING: 'Initiated',
  PAID: 'Success',
  REFUNDED: 'Refunded',
  FAILED: 'Failed',
  CANCELLED: 'Failed',
  VOIDED: 'Cancelled',
  EXPIRED: 'Cancelled',
};

/** `transactionStatusDesc`: the reason of a failed or closed order, else the status in words. */
export function snapStatusDesc(p: Readonly<Pick<CheckoutPayment, 'status' | 'reason'>>): string {
  return (p.reason ?? statusWords[p.status]).slice(0, 50);
}
