import { z } from 'zod';
import { CallbackState } from '../callback-dispatcher.js';
import { CheckoutState } from '../checkout/schemas.js';
import { B2bToken } from '../snap/tokens.js';

/** AstraPay's binding statuses (`additionalInfo.bindingStatus`; REVOKED: unbound by the merchant). */
export const LinkStatus = z.enum(['PENDING', 'ACTIVE', 'FAILED', 'EXPIRED', 'REVOKED']);
export type LinkStatus = z.infer<typeof LinkStatus>;

export const AstraPayLink = z.object({
  /** The gateway's id of the link request (its mandateID): the binding's `partnerReferenceNo`. */
  linkRequestId: z.string(),
  /** AstraPay's id (`referenceNo`): `AL` + 16 hex; the registration page is named by it. */
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
  /** The customer token (`accessToken` of the binding, `Authorization-Customer` of its payments): `APT-` + 32 hex, set on ACTIVE (kept after a revoke, but refused). */
  accountToken: z.string().optional(),
  /** The binding's `refreshToken` (`APR-` + 32 hex): the inquiry may name the binding by it. */
  refreshToken: z.string().optional(),
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

/** AstraPay's slice of the state file: the payments (the checkout core's), the B2B tokens, today's external ids, the bindings and their notifies. */
export const AstraPayState = CheckoutState.extend({
  tokens: z.array(B2bToken).default([]),
  externalIds: z.record(z.string(), z.string()).default({}),
  links: z.array(AstraPayLink).default([]),
  linkCallbacks: CallbackState.default({ outbox: [], deliveries: [] }),
});
export type AstraPayState = z.infer<typeof AstraPayState>;
