import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Request } from 'express';
import type { DanaSandboxConfig } from '../config.js';
import { asymmetricAuthProblem, publishedPath } from '../snap/auth.js';
import type { SnapRefusal } from '../snap/reply.js';

/** Where the sandbox serves DANA; the signature covers the published path, without it. */
export const DANA_PREFIX = '/dana';

/** The published path of a request at the sandbox (`/dana/payment-gateway/…` → `/payment-gateway/…`). */
export const danaPublishedPath = (req: Request): string => publishedPath(req, DANA_PREFIX);

/**
 * DANA's checks of a partner's call (SNAP asymmetric, the kit's order): the mandatory headers, the partner, the
 * timestamp, the SHA256withRSA signature over the published path with the partner's public key.
 */
export function danaAuthProblem(req: Request, dana: DanaSandboxConfig, partnerKey: KeyObject, now: number = Date.now()): SnapRefusal | undefined {
  return asymmetricAuthProblem(req, { partnerId: dana.partnerId, partnerPublicKey: partnerKey }, DANA_PREFIX, now);
}

export function partnerKeyOf(dana: DanaSandboxConfig): KeyObject {
  return createPublicKey(dana.partnerPublicKey);
}
