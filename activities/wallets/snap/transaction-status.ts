import type { WalletPaymentState } from '../adapter.js';

/** SNAP's `latestTransactionStatus`, the one table every SNAP wallet shares. */
export const snapTransactionStatus = {
  success: '00',
  initiated: '01',
  paying: '02',
  pending: '03',
  refunded: '04',
  cancelled: '05',
  failed: '06',
  notFound: '07',
} as const;
export type SnapTransactionStatus = (typeof snapTransactionStatus)[keyof typeof snapTransactionStatus];

/**
 * `latestTransactionStatus` → the adapters' state. Refunded (04) was paid: the gateway's own records say how much
 * went back. Cancelled (05) is an order closed unpaid (voided or expired); failed (06) is a payment the customer or
 * the wallet refused.
 */
const stateOf: Readonly<Record<SnapTransactionStatus, WalletPaymentState>> = {
  '00': 'PAID',
  '01': 'PENDING',
  '02': 'PENDING',
  '03': 'PENDING',
  '04': 'PAID',
  '05': 'VOIDED',
  '06': 'FAILED',
  '07': 'NOT_FOUND',
};

/** The state of a `latestTransactionStatus`, or `undefined` for a code outside 00–07 (an unknown outcome). */
export function walletStateOfSnapStatus(code: unknown): WalletPaymentState | undefined {
  return typeof code === 'string' && Object.hasOwn(stateOf, code) ? stateOf[code as SnapTransactionStatus] : undefined;
}
