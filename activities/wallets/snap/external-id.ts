import { createHash, randomInt } from 'node:crypto';

/** SNAP allows at most 36 characters; all digits is the form every provider accepts. */
export const EXTERNAL_ID_LENGTH = 36;
const MODULUS = 10n ** BigInt(EXTERNAL_ID_LENGTH);

/**
 * The `X-EXTERNAL-ID` of one logical call, derived from what identifies it (the tXid, the operation, a refund's
 * idempotency key): every retry of the call sends the same id, so the wallet's same-day duplicate check stops a
 * second charge or refund, and two different calls never share one (a 256-bit digest reduced to 36 digits).
 */
export function externalIdFor(...identity: readonly string[]): string {
  if (identity.length === 0) throw new Error('externalIdFor needs the identity of the call');
  const digest = createHash('sha256').update(identity.join('\u001f'), 'utf8').digest('hex');
  return (BigInt(`0x${digest}`) % MODULUS).toString().padStart(EXTERNAL_ID_LENGTH, '0');
}

/** A fresh id for a call that changes nothing (a status check): each check is its own logical call. */
export function randomExternalId(): string {
  let id = '';
  while (id.length < EXTERNAL_ID_LENGTH) id += String(randomInt(0, 1_000_000_000)).padStart(9, '0');
  return id.slice(0, EXTERNAL_ID_LENGTH);
}
