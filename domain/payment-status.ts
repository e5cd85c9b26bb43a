/** NICEPAY e-wallet transaction statuses (CONTRACT §3). */
export const PaymentStatus = {
  Paid: 0,
  Void: 1,
  Refund: 2,
  Unpaid: 3,
  Processing: 4,
  Expired: 5,
  Failed: 8,
  Initiated: 9,
} as const;

export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];

const finalStatuses: ReadonlySet<PaymentStatus> = new Set([
  PaymentStatus.Paid,
  PaymentStatus.Void,
  PaymentStatus.Refund,
  PaymentStatus.Expired,
  PaymentStatus.Failed,
]);

export function isFinal(status: PaymentStatus): boolean {
  return finalStatuses.has(status);
}

export const statusName: Record<PaymentStatus, string> = {
  0: 'PAID',
  1: 'VOID',
  2: 'REFUND',
  3: 'UNPAID',
  4: 'PROCESSING',
  5: 'EXPIRED',
  8: 'FAILED',
  9: 'INITIATED',
};
