import { createHash } from 'node:crypto';
import { EWALLET_PAY_METHOD } from './wallets.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** 36^12 ≈ 2^62 per merchant: two references of one merchant sharing a key is not a practical concern (it would be refused, 9009, never merged). */
const KEY_LENGTH = 12;
/**
 * The registration's millisecond, modulo 36^6 ms (about 25.2 days), in base 36. Milliseconds, not seconds: a
 * workflow deleted and its referenceNo registered again within one second must still get a new tXid. The modulus
 * only matters across registrations of the same referenceNo that fall on the same millisecond 25.2 days apart
 * (one chance in 2·10^9 per re-registration), and none of them can be kept at the same time (one workflow per key).
 */
const GENERATION_LENGTH = 6;
const GENERATION_MODULUS = 36n ** BigInt(GENERATION_LENGTH);
/** NICEPAY's iMids are 10 characters; a tXid stays within its 30. */
export const MAX_IMID_LENGTH = 30 - EWALLET_PAY_METHOD.length - KEY_LENGTH - GENERATION_LENGTH;

function base36(n: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(n % 36n)] + out;
    n /= 36n;
  }
  return out;
}

/**
 * The registration key of iMid + referenceNo: `iMid` + "05" + 12 base-36 characters. The payment's workflow is
 * named by it, so a repeated registration lands on the same workflow while that workflow is kept.
 */
export function registrationKey(iMid: string, referenceNo: string): string {
  const digest = createHash('sha256').update(`${iMid}\u0000${referenceNo}`, 'utf8').digest();
  return `${iMid}${EWALLET_PAY_METHOD}${base36(BigInt(`0x${digest.subarray(0, 16).toString('hex')}`), KEY_LENGTH)}`;
}

/**
 * A new tXid (CONTRACT §3): the registration key followed by the registration's millisecond (GENERATION_LENGTH).
 * A referenceNo registered again after its earlier workflow left Temporal's storage gets the same key but another
 * tXid, and no wallet ever sees the earlier transaction's id for the new payment. The tXid finds its
 * workflow without a lookup table (the payment call carries nothing else); the workflow's own tXid is then
 * compared, so the earlier tXid is unknown (8004) to the new workflow.
 */
export function newTxId(iMid: string, referenceNo: string, at: Date): string {
  const millisecond = BigInt(Math.max(0, Math.floor(at.getTime()))) % GENERATION_MODULUS;
  return `${registrationKey(iMid, referenceNo)}${base36(millisecond, GENERATION_LENGTH)}`;
}

/** The workflow of the payment registered as iMid + referenceNo: `payment-<registration key>`. */
export function paymentWorkflowIdOf(iMid: string, referenceNo: string): string {
  return `payment-${registrationKey(iMid, referenceNo)}`;
}

/** The workflow a tXid names (its registration key); the workflow's tXid must still be compared with it. */
export function paymentWorkflowId(tXid: string): string {
  return `payment-${tXid.slice(0, tXid.length - GENERATION_LENGTH)}`;
}

/**
 * The refund workflow of a closed payment (workflows/refund.ts): one per tXid, so a referenceNo registered again
 * never shares it with its earlier transaction.
 */
export function refundWorkflowId(tXid: string): string {
  return `refund-${tXid}`;
}

/** The iMid a tXid was issued under, so a tXid-only call (payment) can check the merchant's token. */
export function iMidOfTxId(tXid: string, knownIMids: Iterable<string>): string | undefined {
  for (const iMid of knownIMids) {
    if (tXid.length === iMid.length + EWALLET_PAY_METHOD.length + KEY_LENGTH + GENERATION_LENGTH && tXid.startsWith(`${iMid}${EWALLET_PAY_METHOD}`) && /^[0-9A-Z]+$/.test(tXid.slice(iMid.length + 2))) return iMid;
  }
  return undefined;
}

/** Whether a string can be a tXid at all (anything else is unknown without asking Temporal). */
export function hasTxIdShape(tXid: string): boolean {
  return tXid.length <= 30 && new RegExp(`^[A-Za-z0-9]+${EWALLET_PAY_METHOD}[0-9A-Z]{${KEY_LENGTH + GENERATION_LENGTH}}$`).test(tXid);
}
