/**
 * Messages defined once (STYLE): the workflow, the API, the worker and the tests all import this module,
 * so a renamed signal breaks the build, not production. Imports nothing but the workflow SDK and pure types.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PaymentTimeouts } from '../domain/config.js';
import type { PaymentStatus } from '../domain/payment-status.js';
import type { ApprovalFlow } from '../domain/wallets.js';

export const TASK_QUEUE = 'ewallet-payments';

/** What the merchant registered; kept whole so a repeated registration can be compared and inquiry answered. */
export interface Registration {
  readonly iMid: string;
  readonly merchantName: string;
  readonly referenceNo: string;
  readonly payMethod: string;
  /** NICEPAY's code of a wallet of the registry (wallets/registry.ts). */
  readonly mitraCd: string;
  readonly currency: string;
  /** Integer rupiah. */
  readonly amt: number;
  readonly goodsNm: string;
  readonly billingNm: string;
  readonly billingPhone: string;
  readonly billingEmail: string;
  readonly dbProcessUrl: string;
  readonly callBackUrl?: string;
  readonly description?: string;
  /** NICEPAY's other accepted fields (cartData, billingAddr…, deliveryNm…, userIP, reqDomain…), kept as sent. */
  readonly extra: Readonly<Record<string, string>>;
}

export interface PaymentWorkflowInput {
  readonly tXid: string;
  readonly registration: Registration;
  /** SHA-256 of the registration's content: a repeated registration with another fingerprint is a conflict (9009). */
  readonly fingerprint: string;
  readonly flow: ApprovalFlow;
  readonly timeouts: PaymentTimeouts;
  /**
   * The server has the payments' search attributes (workflows/search-attributes.ts) and the workflow keeps
   * `paymentStatus` current. The API sets it; the time-skipping test server cannot register search attributes.
   */
  readonly searchable?: boolean;
  /** A payment on a linked account (AstraPay): the link and its account token, sealed. */
  readonly accountLink?: { readonly mandateID: string; readonly sealedAccountToken: string };
  /** When the API registered it (ISO): the transDt/transTm it answered before the workflow ran. */
  readonly registeredAt: string;
}

export interface PaymentSubmission {
  /** Where the customer's browser goes when the payment is over. */
  readonly callBackUrl?: string;
  /**
   * When the API took the payment call (ISO 8601). The wallet's deadline is counted from it, so the create call's
   * body is the same however often it is sent: a local activity that ran in a workflow task the worker never
   * completed (killed) runs again in a later task, whose clock differs, and the wallet would call the second body
   * "inconsistent" with the first (SNAP `404xx18`).
   */
  readonly submittedAt: string;
}

/**
 * What a payment call came to, in the gateway's words; the API says it in NICEPAY's codes (api/outcome-codes.ts).
 * `accepted`: the wallet has the request (or the payment is already final); `refused`: the wallet refused it for good
 * (`reason`), the payment failed; `nothing-charged`: the wallet could not be reached and has nothing, safe to retry;
 * `unknown`: the wallet did not answer and may have it, the gateway keeps checking.
 */
export interface SubmissionOutcome {
  readonly outcome: 'accepted' | 'refused' | 'nothing-charged' | 'unknown';
  readonly reason?: string;
  readonly status: PaymentStatus;
  readonly redirectUrl?: string;
}

/** A verified, mapped wallet callback (the API checked signature, transaction and amount before signalling). */
export interface WalletCallbackEvent {
  readonly state: 'PENDING' | 'PAID' | 'FAILED' | 'VOIDED';
  readonly amount: number;
  readonly providerRef: string;
  readonly reason?: string;
  readonly occurredAt?: string;
}

export interface NotificationAttempt {
  readonly at: string;
  readonly httpStatus?: number;
  readonly error?: string;
  readonly durationMs: number;
}

/** One notification's delivery: every attempt, and where it stands. */
export interface DeliveryState {
  readonly seq: number;
  readonly attempts: NotificationAttempt[];
  state: 'pending' | 'delivered' | 'superseded' | 'gave-up';
}

export interface NotificationRecord extends DeliveryState {
  readonly status: PaymentStatus;
  readonly cancelAmt: number;
}

/** A merchant's cancel (CONTRACT §3): void before payment, refund (full or partial) after. */
export interface CancelRequest {
  /** The same request again (a retry, a concurrent duplicate) has the same key and gets the first answer. */
  readonly key: string;
  readonly cancelType: 'full' | 'partial';
  /** Rupiah to refund (partial); a full cancel refunds whatever is left. */
  readonly amount: number;
  readonly reason: string;
}

/**
 * What a cancel came to (api/outcome-codes.ts says it in NICEPAY's codes). `done`: voided or refunded (or already);
 * `refused`: not allowed now (`reason`); `not-refunded`: the wallet could not be reached, nothing was refunded, retry;
 * `in-progress`: the wallet has not answered yet and the cancel goes on; `void-unanswered`: the wallet did not
 * answer the void, the payment may still complete.
 */
export interface CancelOutcome {
  readonly outcome: 'done' | 'refused' | 'not-refunded' | 'in-progress' | 'void-unanswered';
  readonly reason?: string;
  readonly status: PaymentStatus;
  /** Everything refunded so far. */
  readonly cancelAmt: number;
}

export interface CancelRecord extends CancelRequest {
  readonly at: string;
  outcome?: CancelOutcome;
}

/** The kinds of a payment's audit entries: one per thing operators and the daily reconciliation look for. */
export type AuditKind =
  | 'ignored-after-final'
  | 'callback-amount-mismatch'
  | 'callback-while-unpaid'
  | 'paid-while-unpaid'
  | 'callback-overtook-status-check'
  | 'amount-distrusted'
  | 'void-failed'
  | 'wrong-amount'
  | 'wrong-amount-refunded'
  | 'wrong-amount-not-refunded'
  | 'late-callback-ignored'
  | 'late-charge-refunded'
  | 'late-charge-not-refunded'
  | 'merchant-void-failed'
  | 'refund-failed'
  | 'refunded';

export interface AuditEntry {
  readonly at: string;
  readonly kind: AuditKind;
  /** For people: what happened, with the amounts and the wallet's words. */
  readonly detail: string;
}

export interface StatusChange {
  readonly status: PaymentStatus;
  readonly at: string;
  readonly reason: string;
}

/** The transaction as the workflow knows it: what inquiry, the payment pages and operators read. */
export interface PaymentView {
  readonly tXid: string;
  /** The workflow run that holds this tXid (API calls address the run: api/registered-payments.ts). */
  readonly runId: string;
  readonly registration: Registration;
  readonly fingerprint: string;
  readonly flow: ApprovalFlow;
  readonly status: PaymentStatus;
  readonly reqDt: string;
  readonly reqTm: string;
  readonly transDt: string;
  readonly transTm: string;
  readonly cancelAmt: number;
  readonly callBackUrl?: string;
  readonly redirectUrl?: string;
  readonly providerRef?: string;
  readonly failureReason?: string;
  /** Until when a cancel may refund it (`REFUND_WINDOW_SECONDS` after its first final status); set once final. */
  readonly refundUntil?: string;
  /** How long its merchant notifications are retried (`NOTIFY_RETRY_HOURS`): the refund workflow does the same. */
  readonly notifyRetryHours: number;
  readonly history: readonly StatusChange[];
  readonly notifications: readonly NotificationRecord[];
  /** What the status alone does not say (late charges, refused words, failed refunds), typed and timed. */
  readonly audit: readonly AuditEntry[];
  readonly cancellations: readonly CancelRecord[];
}

/**
 * A closed payment's refund workflow (workflows/refund.ts), started by the first cancel or late wallet callback after
 * the payment closed: it carries the payment's result on.
 */
export interface RefundWorkflowInput {
  /** The closed payment's result, or the result of this transaction's previous refund workflow. */
  readonly payment: PaymentView;
  readonly searchable: boolean;
}

export const submitPaymentUpdate = defineUpdate<SubmissionOutcome, [PaymentSubmission]>('submitPayment');
export const walletCallbackSignal = defineSignal<[WalletCallbackEvent]>('walletCallback');
export const paymentQuery = defineQuery<PaymentView>('payment');
export const cancelUpdate = defineUpdate<CancelOutcome, [CancelRequest]>('cancel');
/** Operators: send the current state to the merchant again (a new notification, retried like any other). */
export const resendNotificationUpdate = defineUpdate<NotificationRecord, []>('resendNotification');
