import { z } from 'zod';
import { CallbackState } from '../callback-dispatcher.js';

/** OVO payment statuses; REFUNDED means fully refunded (a partial refund keeps SUCCESS). */
export const OvoStatus = z.enum(['PENDING', 'SUCCESS', 'DECLINED', 'INSUFFICIENT_BALANCE', 'VOIDED', 'EXPIRED', 'REFUNDED']);
export type OvoStatus = z.infer<typeof OvoStatus>;

/** Accepted OVO numbers: 08…, 628…, +628… followed by 7–12 digits (the same for every sandbox wallet). */
export { PHONE_PATTERN as OVO_PHONE_PATTERN, canonicalPhone } from '../phone.js';

// ---- requests -------------------------------------------------------------------------------------------

export const CreatePaymentBody = z.object({
  merchantInvoice: z.string().min(1).max(40),
  referenceNo: z.string(),
  amount: z.int().positive(),
  phone: z.string(),
  merchantName: z.string(),
  description: z.string(),
  expirySeconds: z.int().positive(),
});
export type CreatePaymentBody = z.infer<typeof CreatePaymentBody>;

export const RefundBody = z.object({
  amount: z.int().positive(),
  reason: z.string(),
});
export type RefundBody = z.infer<typeof RefundBody>;

export const IdempotencyKey = z.string().min(1).max(255);

// ---- replies --------------------------------------------------------------------------------------------

export const CreatePaymentReply = z.object({
  paymentId: z.string(),
  merchantInvoice: z.string(),
  amount: z.int(),
  status: z.literal('PENDING'),
});
export type CreatePaymentReply = z.infer<typeof CreatePaymentReply>;

export const RefundReply = z.object({
  refundId: z.string(),
  amount: z.int(),
  refundedAmount: z.int(),
  status: z.enum(['SUCCESS', 'REFUNDED']),
});
export type RefundReply = z.infer<typeof RefundReply>;

export interface PaymentStatusReply {
  paymentId: string;
  merchantInvoice: string;
  amount: number;
  status: OvoStatus;
  reason?: string;
  refundedAmount: number;
  updatedAt: string;
}

/** The body of `POST ${GATEWAY_BASE_URL}/callbacks/ovo`. */
export interface OvoCallbackBody {
  event: 'payment.updated';
  paymentId: string;
  merchantInvoice: string;
  amount: number;
  status: 'SUCCESS' | 'DECLINED' | 'INSUFFICIENT_BALANCE' | 'PENDING';
  reason?: string;
  occurredAt: string;
}

// ---- persisted state ------------------------------------------------------------------------------------

export const OvoPayment = z.object({
  paymentId: z.string(),
  merchantInvoice: z.string(),
  referenceNo: z.string(),
  amount: z.int().positive(),
  /** As the merchant sent it; the state file is the wallet's database, so the full number lives here only. */
  phone: z.string(),
  merchantName: z.string(),
  description: z.string(),
  expirySeconds: z.int().positive(),
  status: OvoStatus,
  reason: z.string().optional(),
  refundedAmount: z.int().min(0),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The ledger charge was written (exactly once per payment). */
  charged: z.boolean(),
  /** The magic-value customer has acted (so a restart does not act again). */
  autoActionDone: z.boolean(),
});
export type OvoPayment = z.infer<typeof OvoPayment>;

export const CreateRecord = z.object({
  idempotencyKey: z.string(),
  request: CreatePaymentBody,
  reply: CreatePaymentReply,
});
export type CreateRecord = z.infer<typeof CreateRecord>;

export const RefundRecord = z.object({
  merchantInvoice: z.string(),
  idempotencyKey: z.string(),
  request: RefundBody,
  reply: RefundReply,
  at: z.iso.datetime(),
});
export type RefundRecord = z.infer<typeof RefundRecord>;

export const OvoState = z.object({
  payments: z.array(OvoPayment).default([]),
  creates: z.array(CreateRecord).default([]),
  refunds: z.array(RefundRecord).default([]),
  /** Magic 005: create calls already failed, per merchantInvoice. */
  failedCreates: z.record(z.string(), z.int().min(0)).default({}),
  /** Magic 009: refund calls already failed, per merchantInvoice. */
  failedRefunds: z.record(z.string(), z.int().min(0)).default({}),
  callbacks: CallbackState.default({ outbox: [], deliveries: [] }),
});
export type OvoState = z.infer<typeof OvoState>;
