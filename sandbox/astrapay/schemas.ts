import { z } from 'zod';
import { CallbackState } from '../callback-dispatcher.js';
import { CheckoutState } from '../checkout/schemas.js';

/** AstraPay's account-link statuses (its own words; the gateway maps REVOKED to DISABLED). */
export const LinkStatus = z.enum(['PENDING', 'ACTIVE', 'FAILED', 'EXPIRED', 'REVOKED']);
export type LinkStatus = z.infer<typeof LinkStatus>;

export const AstraPayLink = z.object({
  /** The gateway's id of the link request (its mandateID). */
  linkRequestId: z.string(),
  /** AstraPay's id: `AL` + 16 hex; the registration page is named by it. */
  linkId: z.string(),
  /** The linking phone of the create call: the link magic values follow it. */
  phone: z.string(),
  /** The phone registered on the page (pre-filled with `phone`); the payments' magic values follow it. */
  accountPhone: z.string().optional(),
  name: z.string(),
  email: z.string(),
  returnUrl: z.string(),
  expiresAt: z.iso.datetime({ offset: true }),
  status: LinkStatus,
  /** `APT-` + 32 hex, only while ACTIVE (kept after a revoke, but refused for payments). */
  accountToken: z.string().optional(),
  reason: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The magic-value customer has acted (so a restart does not act again). */
  autoActionDone: z.boolean(),
  /** The create request (compared for idempotency) and its reply. */
  request: z.unknown(),
  reply: z.unknown(),
});
export type AstraPayLink = z.infer<typeof AstraPayLink>;

/** A payment create that worked, by its `Idempotency-Key`. */
export const IdempotentCreate = z.object({ key: z.string(), request: z.unknown(), reply: z.unknown() });
export type IdempotentCreate = z.infer<typeof IdempotentCreate>;

/** AstraPay's slice of the state file: the payments (the checkout core's), the create keys, the links and their callbacks. */
export const AstraPayState = CheckoutState.extend({
  paymentKeys: z.array(IdempotentCreate).default([]),
  links: z.array(AstraPayLink).default([]),
  linkCallbacks: CallbackState.default({ outbox: [], deliveries: [] }),
});
export type AstraPayState = z.infer<typeof AstraPayState>;
