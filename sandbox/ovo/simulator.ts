import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { CallbackDelivery, CallbackDispatcher } from '../callback-dispatcher.js';
import type { SandboxConfig } from '../config.js';
import type { FaultRegistry } from '../faults.js';
import type { Ledger } from '../ledger.js';
import { magicOutcome, type MagicValue } from '../magic-values.js';
import { maskPhone } from '../mask.js';
import type { TimerSet } from '../timers.js';
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
export const EXPIRY_GRACE_SECONDS = 300;
const RECENT_ON_PHONE = 10;

export interface OvoSimulatorDeps {
  readonly config: SandboxConfig;
  readonly ledger: Ledger;
  readonly timers: TimerSet;
  readonly faults: FaultRegistry;
  readonly logger: Logger;
  readonly onChange: () => void;
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
 * The OVO wallet: payment requests pushed to a customer's phone, the magic-value customers (CONTRACT §6),
 * expiry, void and refunds, and the callbacks raised on every change to SUCCESS / DECLINED /
 * INSUFFICIENT_BALANCE. All state changes are synchronous, so concurrent HTTP calls cannot interleave inside one.
 */
export class OvoSimulator {
  readonly #d: OvoSimulatorDeps;
  readonly #payments = new Map<string, OvoPayment>();
  readonly #byPaymentId = new Map<string, OvoPayment>();
  readonly #creates = new Map<string, CreateRecord>();
  readonly #refunds = new Map<string, RefundRecord>();
  readonly #failedCreates = new Map<string, number>();
  readonly #callbacks: CallbackDispatcher;
  readonly #log: Logger;

  constructor(deps: OvoSimulatorDeps) {
    this.#d = deps;
    this.#log = deps.logger.child({ wallet: 'OVO' });
    const initial = deps.initial;
    for (const p of initial?.payments ?? []) this.#index(p);
    for (const r of initial?.creates ?? []) this.#creates.set(r.idempotencyKey, r);
    for (const r of initial?.refunds ?? []) this.#refunds.set(refundKey(r.merchantInvoice, r.idempotencyKey), r);
    for (const [invoice, n] of Object.entries(initial?.failedCreates ?? {})) this.#failedCreates.set(invoice, n);
    this.#callbacks = createOvoCallbackDispatcher({
      gatewayBaseUrl: deps.config.gatewayBaseUrl,
      callbackSecret: deps.config.ovo.callbackSecret,
      timers: deps.timers,
      faults: deps.faults,
      logger: deps.logger,
      onChange: deps.onChange,
      ...(initial?.callbacks !== undefined ? { initial: initial.callbacks } : {}),
    });
  }

  /** After a restart: expire what is overdue, re-arm expiry and the magic customers, resume callbacks. */
  resume(): void {
    const now = Date.now();
    for (const p of this.#payments.values()) {
      this.#expireIfOverdue(p, now);
      if (p.status === 'PENDING') this.#scheduleExpiry(p);
      const magic = magicOutcome(p.phone);
      if (p.autoActionDone || magic.timing === 'never') continue;
      if (p.status !== 'PENDING' && !(magic.approvalBeatsVoid && (p.status === 'VOIDED' || p.status === 'EXPIRED'))) continue;
      // The customer "approves after the delay again", but never earlier than originally planned (006 stays late).
      const plannedAt = Date.parse(p.createdAt) + this.#actionDelay(magic);
      this.#scheduleAutoAction(p, Math.max(plannedAt, now + this.#d.config.approveDelayMs));
    }
    this.#callbacks.resume();
  }

  async close(): Promise<void> {
    await this.#callbacks.close();
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
    if (this.#payments.has(body.merchantInvoice)) {
      throw new OvoApiError(409, 'DUPLICATE_INVOICE', `merchantInvoice ${body.merchantInvoice} already exists`);
    }
    const magic = magicOutcome(body.phone);
    const failed = this.#failedCreates.get(body.merchantInvoice) ?? 0;
    if (failed < magic.failingCreates) {
      this.#failedCreates.set(body.merchantInvoice, failed + 1);
      this.#d.onChange();
      this.#log.warn({ merchantInvoice: body.merchantInvoice, phoneMasked: maskPhone(body.phone), failure: failed + 1 }, 'magic 005: simulated outage on create');
      throw new OvoApiError(500, 'INTERNAL', 'simulated outage');
    }

    const now = new Date().toISOString();
    const payment: OvoPayment = {
      paymentId: `OVO-${randomBytes(6).toString('hex').toUpperCase()}`,
      merchantInvoice: body.merchantInvoice,
      referenceNo: body.referenceNo,
      amount: body.amount,
      phone: body.phone,
      merchantName: body.merchantName,
      description: body.description,
      expirySeconds: body.expirySeconds,
      status: 'PENDING',
      refundedAmount: 0,
      createdAt: now,
      updatedAt: now,
      charged: false,
      autoActionDone: false,
    };
    const reply: CreatePaymentReply = { paymentId: payment.paymentId, merchantInvoice: payment.merchantInvoice, amount: payment.amount, status: 'PENDING' };
    this.#index(payment);
    this.#creates.set(idempotencyKey, { idempotencyKey, request: body, reply });
    this.#d.onChange();
    this.#log.info({ ...this.#logFields(payment), amount: payment.amount, magic: magic.suffix ?? 'manual' }, 'payment pushed to the customer');

    this.#scheduleExpiry(payment);
    if (magic.timing !== 'never') this.#scheduleAutoAction(payment, Date.now() + this.#actionDelay(magic));
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
      case 'PENDING': {
        const magic = magicOutcome(p.phone);
        this.#transition(p, 'VOIDED', 'voided by the merchant');
        // A voided request disappears from the phone, except the 006 customer whose approval is already on its way.
        if (!magic.approvalBeatsVoid) this.#customerDone(p);
        this.#log.info(this.#logFields(p), 'payment voided');
        return { status: 'VOIDED' };
      }
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
    if (p.status !== 'SUCCESS' && p.status !== 'REFUNDED') {
      throw new OvoApiError(409, 'NOT_PAID', `payment is ${p.status}, not paid`);
    }
    if (p.refundedAmount + body.amount > p.amount) {
      throw new OvoApiError(422, 'REFUND_EXCEEDS', `refund of ${body.amount} would exceed the paid amount ${p.amount} (already refunded ${p.refundedAmount})`);
    }
    const at = new Date();
    p.refundedAmount += body.amount;
    p.updatedAt = at.toISOString();
    if (p.refundedAmount === p.amount) p.status = 'REFUNDED';
    const reply: RefundReply = {
      refundId: `OVR-${randomBytes(6).toString('hex').toUpperCase()}`,
      amount: body.amount,
      refundedAmount: p.refundedAmount,
      status: p.status === 'REFUNDED' ? 'REFUNDED' : 'SUCCESS',
    };
    this.#refunds.set(refundKey(merchantInvoice, idempotencyKey), { merchantInvoice, idempotencyKey, request: body, reply, at: at.toISOString() });
    this.#d.ledger.record(
      { wallet: 'OVO', type: 'refund', merchantInvoice, paymentId: p.paymentId, amount: body.amount, phoneMasked: maskPhone(p.phone) },
      at,
    );
    this.#d.onChange();
    this.#log.info({ ...this.#logFields(p), refundId: reply.refundId, amount: body.amount, refundedAmount: p.refundedAmount }, 'payment refunded');
    return { replayed: false, reply };
  }

  // ---- the customer's phone ---------------------------------------------------------------------------------

  inbox(phone: string): PhoneInbox {
    const mine = canonicalPhone(phone);
    const now = Date.now();
    const payments = [...this.#payments.values()].filter((p) => canonicalPhone(p.phone) === mine);
    for (const p of payments) this.#expireIfOverdue(p, now);
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
    const p = this.#byPaymentId.get(paymentId);
    if (p === undefined || canonicalPhone(p.phone) !== canonicalPhone(phone)) return 'not-found';
    this.#expireIfOverdue(p, Date.now());
    if (p.status !== 'PENDING') return 'gone';
    this.#customerDone(p);
    if (decision === 'approve') {
      this.#approve(p, false);
      return 'approved';
    }
    this.#fail(p, 'DECLINED', 'customer declined');
    return 'declined';
  }

  // ---- inspection -------------------------------------------------------------------------------------------

  callbackDeliveries(filter: { merchantInvoice?: string } = {}): CallbackDelivery[] {
    return this.#callbacks.deliveries(filter);
  }

  toJSON(): OvoState {
    return {
      payments: [...this.#payments.values()],
      creates: [...this.#creates.values()],
      refunds: [...this.#refunds.values()],
      failedCreates: Object.fromEntries(this.#failedCreates),
      callbacks: this.#callbacks.toJSON(),
    };
  }

  // ---- state machine ----------------------------------------------------------------------------------------

  #actionDelay(magic: MagicValue): number {
    return magic.timing === 'late' ? this.#d.config.lateApproveMs : this.#d.config.approveDelayMs;
  }

  #scheduleAutoAction(p: OvoPayment, when: number): void {
    this.#d.timers.at(`ovo:auto:${p.merchantInvoice}`, when, () => this.#autoAct(p));
  }

  #scheduleExpiry(p: OvoPayment): void {
    this.#d.timers.at(`ovo:expire:${p.merchantInvoice}`, expiresAt(p), () => this.#expireIfOverdue(p, Date.now()));
  }

  /** The magic-value customer answers. */
  #autoAct(p: OvoPayment): void {
    const magic = magicOutcome(p.phone);
    p.autoActionDone = true;
    this.#d.onChange();
    switch (magic.action) {
      case 'approve':
        this.#approve(p, magic.approvalBeatsVoid);
        return;
      case 'decline':
        this.#fail(p, 'DECLINED', 'customer declined');
        return;
      case 'insufficient-balance':
        this.#fail(p, 'INSUFFICIENT_BALANCE', 'insufficient balance');
        return;
      case 'none':
      case 'manual':
        return;
    }
  }

  /** The customer no longer acts by itself on this request (it was answered, voided or expired). */
  #customerDone(p: OvoPayment): void {
    this.#d.timers.cancel(`ovo:auto:${p.merchantInvoice}`);
    if (!p.autoActionDone) {
      p.autoActionDone = true;
      this.#d.onChange();
    }
  }

  /**
   * Approval of a request that is no longer PENDING does nothing, except when `beatsVoid` (magic 006): the
   * customer's approval was already in flight at the wallet, so it wins over a void or an expiry.
   */
  #approve(p: OvoPayment, beatsVoid: boolean): void {
    const allowed = p.status === 'PENDING' || (beatsVoid && (p.status === 'VOIDED' || p.status === 'EXPIRED'));
    if (!allowed) {
      this.#log.info({ ...this.#logFields(p), status: p.status }, 'approval ignored: the payment is no longer pending');
      return;
    }
    if (p.status !== 'PENDING') this.#log.warn({ ...this.#logFields(p), was: p.status }, 'late approval wins over the void (magic 006): the gateway must reconcile');
    this.#transition(p, 'SUCCESS', undefined);
    if (!p.charged) {
      p.charged = true;
      this.#d.ledger.record(
        { wallet: 'OVO', type: 'charge', merchantInvoice: p.merchantInvoice, paymentId: p.paymentId, amount: p.amount, phoneMasked: maskPhone(p.phone) },
        new Date(p.updatedAt),
      );
    }
    this.#log.info({ ...this.#logFields(p), amount: p.amount }, 'customer approved: charged');
    this.#raiseCallbacks(p);
  }

  #fail(p: OvoPayment, status: 'DECLINED' | 'INSUFFICIENT_BALANCE', reason: string): void {
    if (p.status !== 'PENDING') {
      this.#log.info({ ...this.#logFields(p), status: p.status }, `${status} ignored: the payment is no longer pending`);
      return;
    }
    this.#transition(p, status, reason);
    this.#log.info({ ...this.#logFields(p), reason }, 'payment failed');
    this.#raiseCallbacks(p);
  }

  #expireIfOverdue(p: OvoPayment, now: number): void {
    if (p.status !== 'PENDING' || now < expiresAt(p)) return;
    const magic = magicOutcome(p.phone);
    this.#transition(p, 'EXPIRED', 'the customer did not respond in time');
    if (!magic.approvalBeatsVoid) this.#customerDone(p);
    this.#log.info(this.#logFields(p), 'payment expired');
  }

  #transition(p: OvoPayment, status: OvoStatus, reason: string | undefined): void {
    p.status = status;
    if (reason === undefined) delete p.reason;
    else p.reason = reason;
    p.updatedAt = new Date().toISOString();
    if (status !== 'PENDING') this.#d.timers.cancel(`ovo:expire:${p.merchantInvoice}`);
    this.#d.onChange();
  }

  /** Callbacks follow the phone's magic value, whoever answered (a person approving a 003 number gets none). */
  #raiseCallbacks(p: OvoPayment): void {
    const magic = magicOutcome(p.phone);
    const send = (status: 'SUCCESS' | 'DECLINED' | 'INSUFFICIENT_BALANCE' | 'PENDING', occurredAt?: string): void => {
      const body = ovoCallbackBody(p, { status, ...(occurredAt !== undefined ? { occurredAt } : {}) });
      this.#callbacks.enqueue(p.merchantInvoice, status, body);
    };
    const status = p.status;
    if (status !== 'SUCCESS' && status !== 'DECLINED' && status !== 'INSUFFICIENT_BALANCE') return;
    switch (magic.callbacks) {
      case 'none':
        this.#log.info(this.#logFields(p), 'magic 003: no callback is sent');
        return;
      case 'normal':
        send(status);
        return;
      case 'triple-with-stale-pending':
        send(status);
        send('PENDING', p.createdAt);
        send(status);
        return;
    }
  }

  #require(merchantInvoice: string): OvoPayment {
    const p = this.#payments.get(merchantInvoice);
    if (p === undefined) throw new OvoApiError(404, 'NOT_FOUND', `no payment with merchantInvoice ${merchantInvoice}`);
    this.#expireIfOverdue(p, Date.now());
    return p;
  }

  #index(p: OvoPayment): void {
    this.#payments.set(p.merchantInvoice, p);
    this.#byPaymentId.set(p.paymentId, p);
  }

  #logFields(p: OvoPayment): Record<string, string> {
    return { merchantInvoice: p.merchantInvoice, paymentId: p.paymentId, phoneMasked: maskPhone(p.phone), status: p.status };
  }
}

function expiresAt(p: OvoPayment): number {
  return Date.parse(p.createdAt) + (p.expirySeconds + EXPIRY_GRACE_SECONDS) * 1000;
}

function refundKey(merchantInvoice: string, idempotencyKey: string): string {
  return `${merchantInvoice}\u0000${idempotencyKey}`;
}
