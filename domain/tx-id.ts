import { createHash } from 'node:crypto';
import { EWALLET_PAY_METHOD } from './wallets.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SUFFIX_LENGTH = 16; // 36^16 ≈ 2^82: collisions are not a practical concern, and one would be refused (9009), not merged.

/**
 * The tXid is derived from iMid + referenceNo, so a repeated registration lands on the same workflow
 * (its ID is `payment-<tXid>`), and a payment call that carries only the tXid finds it without a lookup table.
 * Shape: iMid + "05" + 16 base-36 characters, at most 30 characters for NICEPAY's 10-character iMids.
 */
export function deriveTxId(iMid: string, referenceNo: string): string {
  const digest = createHash('sha256').update(`${iMid}\u0000${referenceNo}`, 'utf8').digest();
  let n = BigInt(`0x${digest.subarray(0, 16).toString('hex')}`);
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) {
    suffix += ALPHABET[Number(n % 36n)];
    n /= 36n;
  }
  return `${iMid}${EWALLET_PAY_METHOD}${suffix}`;
}

export function paymentWorkflowId(tXid: string): string {
  return `payment-${tXid}`;
}

/** The iMid a tXid was issued under, so a tXid-only call (payment) can check the merchant's token. */
export function iMidOfTxId(tXid: string, knownIMids: Iterable<string>): string | undefined {
  for (const iMid of knownIMids) {
    if (tXid.length === iMid.length + 2 + SUFFIX_LENGTH && tXid.startsWith(`${iMid}${EWALLET_PAY_METHOD}`)) return iMid;
  }
  return undefined;
}
