import { z } from 'zod';
import { CallbackState } from '../callback-dispatcher.js';

/**
 * The state of a redirect-checkout payment, the same for every redirect wallet; each wallet shows it in its own
 * words (SNAP's `latestTransactionStatus` `01`, …) in exactly one table of its module.
 * PAID with `refundedAmount` > 0 is partly refunded; REFUNDED is fully refunded.
 */
export const CheckoutStatus = z.enum(['PENDING', 'PAID', 'FAILED', 'CANCELLED', 'VOIDED', 'EXPIRED', 'REFUNDED']);
export type CheckoutStatus = z.infer<typeof CheckoutStatus>;

/** The statuses a callback reports: the outcomes, and the stale PENDING of magic 004. */
export type CallbackStatus = 'PAID' | 'FAILED' | 'CANCELLED' | 'PENDING';

/** Any JSON value (a stored request or reply, replayed as it was). */
const Json: z.ZodType<unknown> = z.unknown();

export const CheckoutPayment = z.object({
  /** The merchant's id of the payment: the gateway's tXid (the SNAP wallets' partnerReferenceNo). */
  merchantRef: z.string(),
  /** The wallet's id: DANA, ShopeePay and LinkAja `referenceNo`; the checkout page is named by it. */
  walletRef: z.string(),
  /** Integer rupiah. */
  amount: z.int().positive(),
  /** As the merchant sent it; the state file is the wallet's database, so the full number lives here only. */
  phone: z.string(),
  merchantName: z.string(),
  /** What is bought, as shown on the checkout page. */
  description: z.string(),
  /** Where the browser goes after paying, and after anything else (the same URL for every SNAP wallet). */
  successUrl: z.string(),
  failureUrl: z.string(),
  /** The merchant's callback URL for this payment (DANA's NOTIFICATION url); absent: the wallet's configured one. */
  notifyUrl: z.string().optional(),
  /** The merchant's deadline; the sandbox expires the payment EXPIRY_GRACE_SECONDS after it. */
  expiresAt: z.iso.datetime({ offset: true }),
  status: CheckoutStatus,
  reason: z.string().optional(),
  refundedAmount: z.int().min(0),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** When a person last logged in on the checkout page (SNAP Direct Debit reports such a payment as 02, "paying"). */
  loggedInAt: z.iso.datetime().optional(),
  /** The ledger charge was written (exactly once per payment). */
  charged: z.boolean(),
  /** The magic-value customer has acted (so a restart does not act again). */
  autoActionDone: z.boolean(),
});
export type CheckoutPayment = z.infer<typeof CheckoutPayment>;

/** A create call that worked: a repeat with the same content gets the same reply. */
export const CheckoutCreateRecord = z.object({
  merchantRef: z.string(),
  /** What "the same content" is compared on (the wallet decides; the SNAP wallets compare the whole body). */
  request: Json,
  reply: Json,
});
export type CheckoutCreateRecord = z.infer<typeof CheckoutCreateRecord>;

/** A refund that worked: the same refund id of the same payment gets the same reply. */
export const CheckoutRefundRecord = z.object({
  merchantRef: z.string(),
  refundKey: z.string(),
  amount: z.int().positive(),
  reply: Json,
  at: z.iso.datetime(),
});
export type CheckoutRefundRecord = z.infer<typeof CheckoutRefundRecord>;

/** One redirect wallet's slice of the state file. */
export const CheckoutState = z.object({
  payments: z.array(CheckoutPayment).default([]),
  creates: z.array(CheckoutCreateRecord).default([]),
  refunds: z.array(CheckoutRefundRecord).default([]),
  /** Magic 005: create calls already failed, per merchantRef. */
  failedCreates: z.record(z.string(), z.int().min(0)).default({}),
  /** Magic 009: refund calls already failed, per merchantRef. */
  failedRefunds: z.record(z.string(), z.int().min(0)).default({}),
  callbacks: CallbackState.default({ outbox: [], deliveries: [] }),
});
export type CheckoutState = z.infer<typeof CheckoutState>;
