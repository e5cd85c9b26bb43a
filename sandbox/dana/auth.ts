import type { KeyObject } from 'node:crypto';
import type { Request } from 'express';
import type { AsymmetricWalletKeys } from '../wallet-config.js';
import { asymmetricAuthProblem } from '../snap/auth.js';
import type { SnapRefusal } from '../snap/reply.js';

/**
 * DANA's checks of a partner's call (SNAP asymmetric, the kit's order): the mandatory headers, the partner, the
 * timestamp, the SHA256withRSA signature over the published path (without `prefix`, where the sandbox serves DANA)
 * with the partner's public key.
 */
export function danaAuthProblem(req: Request, keys: AsymmetricWalletKeys, partnerKey: KeyObject, prefix: string, now: number = Date.now()): SnapRefusal | undefined {
  return asymmetricAuthProblem(req, { partnerId: keys.partnerId, partnerPublicKey: partnerKey }, prefix, now);
}
