import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { magicOutcome } from '../magic-values.js';
import { EXPIRY_GRACE_SECONDS, MagicPaymentSimulator, type MagicPaymentSpec, type SimulatorDeps } from '../magic-payments.js';
import { maskPhone } from '../mask.js';
import { createOvoCallbackDispatcher, ovoCallbackBody } from './callbacks.js';
import { OvoApiError } from './errors.js';
import {
  OVO_PHONE_PATTERN,
  canonicalPhone,
  type CreatePaymentBody,
  type CreatePaymentReply,
  type CreateRecord,
  type OvoPayment,
  type OvoState,
  type OvoStatus,
  type PaymentStatusReply,
  type RefundBody,
  type RefundRecord,
  type RefundReply,
} from './schemas.js';

/** A push nobody answers is expired this long after its own `expirySeconds`. */
export { EXPIRY_GRACE_SECONDS };
const RECENT_ON_PHONE = 10;

export interface OvoSimulatorDeps extends SimulatorDeps {
  readonly initial?: OvoState;
}

export type Replayable<T> = { readonly replayed: boolean; readonly reply: T };

export type CustomerDecision = 'approve' | 'decline';
export type CustomerDecisionResult = 'approved' | 'declined' | 'gone' | 'not-found';

export interface PhoneInbox {
  readonly pending: readonly OvoPayment[];
  readonly recent: readonly OvoPayment[];
}

/**
 * The OVO wallet: payment requests pushed to a customer's phone, the magic-value customers (CONTRACT §6, the
 * shared state machine of magic-payments.ts), expiry, void and refunds, and the callbacks raised on every change
 * to SUCCESS / DECLINED / INSUFFICIENT_BALANCE. All state changes are synchronous, so concurrent HTTP calls
 * cannot interleave inside one.
 */
export class OvoSimulator extends MagicPaymentSimulator<OvoPayment, OvoStatus> {
  readonly #d: OvoSimulatorDeps;
  readonly #creates = new Map<string, CreateRecord>();
  readonly #refunds = new Map<string, RefundRecord>();

  constructor(deps: OvoSimulatorDeps) {
    const initial = deps.initial;
    super(
      machineSpec,
      { ...deps, lateApproveMs: deps.config.lateApproveMs, failedCreates: initial?.failedCreates, failedRefunds: initial?.failedRefunds },
      createOvoCallbackDispatcher({
        gatewayBaseUrl: deps.config.gatewayBaseUrl,
        callbackSecret: deps.config.ovo.callbackSecret,
        timers: deps.timers,
        faults: deps.faults,
        logger: deps.logger,
        onChange: deps.onChange,
        ...(initial?.callbacks !== undefined ? { initial: initial.callbacks } : {}),
      }),
      initial?.payments,
    );
    this.#d = deps;
    for (const r of initial?.creates ?? []) this.#creates.set(r.idempotencyKey, r);
    for (const r of initial?.refunds ?? []) this.#refunds.set(refundKey(r.merchantInvoice, r.idempotencyKey), r);
  }

  // ---- merchant API ---------------------------------------------------------------------------------------

  createPayment(idempotencyKey: string, body: CreatePaymentBody): Replayable<CreatePaymentReply> {
    if (!OVO_PHONE_PATTERN.test(body.phone)) {
      throw new OvoApiError(422, 'INVALID_PHONE', 'phone must be an OVO number: 08…, 628… or +628… followed by 7 to 12 digits');
    }
    const previous = this.#creates.get(idempotencyKey);
    if (previous !== undefined) {
      if (!isDeepStrictEqual(previous.request, body)) {
        throw new OvoApiError(409, 'IDEMPOTENCY_MISMATCH', 'this Idempotency-Key was used with a different request body');
      }
      return { replayed: true, reply: previous.reply };
    }
    if (this.paymentByRef(body.merchantInvoice) !== undefined) {
      throw new OvoApiError(409, 'DUPLICATE_INVOICE', `merchantInvoice ${body.merchantInvoice} already exists`);
    }
    if (this.simulatedOutage(body.merchantInvoice, body.phone)) throw new OvoApiError(500, 'INTERNAL', 'simulated outage');

    const payment: OvoPayment = {
      paymentId: `OVO-${randomBytes(6).toString('hex').toUpperCase()}`,
      merchantInvoice: body.merchantInvoice,
      referenceNo: body.referenceNo,
      amount: body.amount,
      phone: body.phone,
      merchantName: body.merchantName,
      description: body.description,
      expirySeconds: body.expirySeconds,
      ...this.newPaymentFields(),
    };
    const reply: CreatePaymentReply = { paymentId: payment.paymentId, merchantInvoice: payment.merchantInvoice, amount: payment.amount, status: 'PENDING' };
    this.addPayment(payment);
    this.#creates.set(idempotencyKey, { idempotencyKey, request: body, reply });
    this.#d.onChange();
    this.log.info({ ...logFields(payment), amount: payment.amount, magic: magicOutcome(payment.phone).suffix ?? 'manual' }, 'payment pushed to the customer');
    this.arm(payment);
    return { replayed: false, reply };
  }

  status(merchantInvoice: string): PaymentStatusReply {
    const p = this.#require(merchantInvoice);
    return {
      paymentId: p.paymentId,
      merchantInvoice: p.merchantInvoice,
      amount: p.amount,
      status: p.status,
      ...(p.reason !== undefined ? { reason: p.reason } : {}),
      refundedAmount: p.refundedAmount,
      updatedAt: p.updatedAt,
    };
  }

  voidPayment(merchantInvoice: string): { status: OvoStatus } {
    const p = this.#require(merchantInvoice);
    switch (p.status) {
      case 'PENDING':
        // The request disappears from the phone, except for the 006 customer whose approval is already on its way.
        this.voidPending(p, 'voided by the merchant');
        return { status: 'VOIDED' };
      case 'SUCCESS':
      case 'REFUNDED':
        throw new OvoApiError(409, 'ALREADY_PAID', 'the customer has already paid; refund it instead', { status: p.status });
      default:
        return { status: p.status };
    }
  }

  refund(merchantInvoice: string, idempotencyKey: string, body: RefundBody): Replayable<RefundReply> {
    const p = this.#require(merchantInvoice);
    const previous = this.#refunds.get(refundKey(merchantInvoice, idempotencyKey));
    if (previous !== undefined) {
      if (!isDeepStrictEqual(previous.request, body)) {
        throw new OvoApiError(409, 'IDEMPOTENCY_MISMATCH', 'this Idempotency-Key was used with a different refund');
      }
      return { replayed: true, reply: previous.reply };
    }
    if (this.simulatedRefundOutage(p)) throw new OvoApiError(500, 'INTERNAL', 'simulated outage');
    const refusal = this.refundRefusal(p, body.amount);
    if (refusal === 'not-paid') throw new OvoApiError(409, 'NOT_PAID', `payment is ${p.status}, not paid`);
    if (refusal === 'not-allowed') throw new OvoApiError(422, 'REFUND_NOT_ALLOWED', 'refunds are not allowed for this payment');
    if (refusal === 'exceeds') {
      throw new OvoApiError(422, 'REFUND_EXCEEDS', `refund of ${body.amount} would exceed the paid amount ${p.amount} (already refunded ${p.refundedAmount})`);
    }
    const at = this.applyRefund(p, body.amount);
    const reply: RefundReply = {
      refundId: `OVR-${randomBytes(6).toString('hex').toUpperCase()}`,
      amount: body.amount,
      refundedAmount: p.refundedAmount,
      status: p.status === 'REFUNDED' ? 'REFUNDED' : 'SUCCESS',
    };
    this.#refunds.set(refundKey(merchantInvoice, idempotencyKey), { merchantInvoice, idempotencyKey, request: body, reply, at: at.toISOString() });
    this.#d.onChange();
    this.log.info({ ...logFields(p), refundId: reply.refundId }, 'refund recorded');
    return { replayed: false, reply };
  }

  // ---- the customer's phone ---------------------------------------------------------------------------------

  inbox(phone: string): PhoneInbox {
    const mine = canonicalPhone(phone);
    const payments = this.allPayments().filter((p) => canonicalPhone(p.phone) === mine);
    return {
      pending: payments.filter((p) => p.status === 'PENDING').sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
      recent: payments
        .filter((p) => p.status !== 'PENDING')
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .slice(0, RECENT_ON_PHONE),
    };
  }

  /** A person taps Approve or Decline on the phone page. Only a PENDING request of this phone can be answered. */
  customerDecides(phone: string, paymentId: string, decision: CustomerDecision): CustomerDecisionResult {
    const p = this.paymentByWalletRef(paymentId);
    if (p === undefined || canonicalPhone(p.phone) !== canonicalPhone(phone)) return 'not-found';
    if (p.status !== 'PENDING') return 'gone';
    this.customerDone(p);
    if (decision === 'approve') {
      this.pay(p, false);
      return 'approved';
    }
    this.finish(p, 'DECLINED', 'customer declined');
    return 'declined';
  }

  // ---- inspection -------------------------------------------------------------------------------------------

  toJSON(): OvoState {
    return { ...this.machineJSON(), creates: [...this.#creates.values()], refunds: [...this.#refunds.values()] };
  }

  protected renderCallback(p: OvoPayment, status: OvoStatus, eventTime: string): { readonly status: string; readonly body: object } {
    if (status !== 'SUCCESS' && status !== 'DECLINED' && status !== 'INSUFFICIENT_BALANCE' && status !== 'PENDING') {
      throw new Error(`no OVO callback for status ${status}`);
    }
    return { status, body: ovoCallbackBody(p, { status, occurredAt: eventTime }) };
  }

  #require(merchantInvoice: string): OvoPayment {
    const p = this.paymentByRef(merchantInvoice);
    if (p === undefined) throw new OvoApiError(404, 'NOT_FOUND', `no payment with merchantInvoice ${merchantInvoice}`);
    return p;
  }
}

/** OVO's words for the shared state machine; a push nobody answers expires `expirySeconds` + the grace after it was sent. */
const machineSpec: MagicPaymentSpec<OvoPayment, OvoStatus> = {
  wallet: 'OVO',
  timerPrefix: 'ovo',
  statuses: { pending: 'PENDING', paid: 'SUCCESS', refunded: 'REFUNDED', voided: 'VOIDED', expired: 'EXPIRED', declined: 'DECLINED', insufficientBalance: 'INSUFFICIENT_BALANCE' },
  expiredReason: 'the customer did not respond in time',
  merchantRef: (p) => p.merchantInvoice,
  walletRef: (p) => p.paymentId,
  expiresAt: (p) => Date.parse(p.createdAt) + (p.expirySeconds + EXPIRY_GRACE_SECONDS) * 1000,
  logFields,
};

function logFields(p: OvoPayment): Record<string, string> {
  return { merchantInvoice: p.merchantInvoice, paymentId: p.paymentId, phoneMasked: maskPhone(p.phone), status: p.status };
}

function refundKey(merchantInvoice: string, idempotencyKey: string): string {
  return `${merchantInvoice}\u0000${idempotencyKey}`;
}
