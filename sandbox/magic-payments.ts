import type { Logger } from 'pino';
import type { CallbackDelivery, CallbackDispatcher } from './callback-dispatcher.js';
import type { SandboxConfig } from './config.js';
import type { FaultRegistry } from './faults.js';
import type { Ledger } from './ledger.js';
import { magicOutcome, type MagicValue } from './magic-values.js';
import { maskPhone } from './mask.js';
import type { TimerSet } from './timers.js';

/** A payment nobody answers is expired this long after the merchant's own deadline (every wallet). */
export const EXPIRY_GRACE_SECONDS = 300;

/** What the shared state machine reads and writes on a wallet's payment record (OVO's and the checkout core's). */
export interface MagicPayment<S extends string> {
  readonly phone: string;
  readonly amount: number;
  refundedAmount: number;
  status: S;
  reason?: string | undefined;
  readonly createdAt: string;
  updatedAt: string;
  /** The ledger charge was written (exactly once per payment). */
  charged: boolean;
  /** The magic-value customer has acted (so a restart does not act again). */
  autoActionDone: boolean;
}

/** A wallet's words for the states the shared machine moves a payment through, and how to name a payment. */
export interface MagicPaymentSpec<P, S extends string> {
  /** The wallet's ledger name. */
  readonly wallet: string;
  /** Timer keys: `${timerPrefix}:auto:<merchantRef>`, `${timerPrefix}:expire:<merchantRef>`. */
  readonly timerPrefix: string;
  readonly statuses: {
    readonly pending: S;
    readonly paid: S;
    /** Fully refunded (a partial refund stays `paid`). */
    readonly refunded: S;
    readonly voided: S;
    readonly expired: S;
    /** The statuses of the magic 001 and 007 customers. */
    readonly declined: S;
    readonly insufficientBalance: S;
  };
  /** The `reason` of an expired payment. */
  readonly expiredReason: string;
  /** The merchant's id (ledger `merchantInvoice`, callbacks, timers) and the wallet's (ledger `paymentId`). */
  merchantRef(p: P): string;
  walletRef(p: P): string;
  /** When a payment still pending is expired by the wallet (epoch ms). */
  expiresAt(p: P): number;
  /** The payment's fields in a log line (never a full phone number). */
  logFields(p: P): Record<string, string>;
}

/** What every wallet simulator is built from (app.ts has one of each for all of them). */
export interface SimulatorDeps {
  readonly config: SandboxConfig;
  readonly ledger: Ledger;
  readonly timers: TimerSet;
  readonly faults: FaultRegistry;
  readonly logger: Logger;
  /** Something changed: save the state soon. */
  readonly onChange: () => void;
}

export interface MagicPaymentDeps extends SimulatorDeps {
  /** When the 006 customer acts: past the gateway's own window for this wallet. */
  readonly lateApproveMs: number;
  /** Magic 005: create calls already failed, per merchantRef (from the state file). */
  readonly failedCreates?: Readonly<Record<string, number>> | undefined;
  /** Magic 009: refund calls already failed, per merchantRef (from the state file). */
  readonly failedRefunds?: Readonly<Record<string, number>> | undefined;
}

/**
 * The part of every simulated wallet that the magic values drive (CONTRACT §6), the same for OVO's push
 * payments and the redirect checkouts: the magic customer who acts after a delay (or late, or never), expiry,
 * the 006 payment that wins over a void, the charge written exactly once, the callbacks each outcome raises
 * (none for 003, three with a stale pending for 004), the failing creates of 005, the refunds refused for good
 * (008) or failing twice first (009), and resuming all of it after a restart. A wallet adds its API and its customer page, and renders its own callbacks.
 */
export abstract class MagicPaymentSimulator<P extends MagicPayment<S>, S extends string> {
  protected readonly log: Logger;
  readonly #spec: MagicPaymentSpec<P, S>;
  readonly #d: MagicPaymentDeps;
  readonly #callbacks: CallbackDispatcher;
  readonly #failedCreates: Map<string, number>;
  readonly #failedRefunds: Map<string, number>;
  /** Every payment, by the merchant's id and by the wallet's. */
  readonly #payments = new Map<string, P>();
  readonly #byWalletRef = new Map<string, P>();

  protected constructor(spec: MagicPaymentSpec<P, S>, deps: MagicPaymentDeps, callbacks: CallbackDispatcher, payments: readonly P[] = []) {
    this.#spec = spec;
    this.#d = deps;
    this.#callbacks = callbacks;
    this.log = deps.logger.child({ wallet: spec.wallet });
    this.#failedCreates = new Map(Object.entries(deps.failedCreates ?? {}));
    this.#failedRefunds = new Map(Object.entries(deps.failedRefunds ?? {}));
    for (const p of payments) this.addPayment(p);
  }

  /** The wallet's callback for `status` of `p` (`pending`: the stale one of magic 004): its label and body. */
  /** `url`: where this payment's callbacks go, when the merchant named it per payment (DANA); else the wallet's. */
  protected abstract renderCallback(p: P, status: S, eventTime: string): { readonly status: string; readonly body: object | string; readonly url?: string };

  async close(): Promise<void> {
    await this.#callbacks.close();
  }

  callbackDeliveries(filter: { merchantInvoice?: string } = {}): CallbackDelivery[] {
    return this.#callbacks.deliveries(filter);
  }

  /** After a restart: expire what is overdue, re-arm expiry and the magic customers, resume callbacks. */
  resume(): void {
    const now = Date.now();
    const { pending, voided, expired } = this.#spec.statuses;
    for (const p of this.#payments.values()) {
      this.expireIfOverdue(p, now);
      if (p.status === pending) this.#scheduleExpiry(p);
      const magic = magicOutcome(p.phone);
      if (p.autoActionDone || magic.timing === 'never') continue;
      if (p.status !== pending && !(magic.approvalBeatsVoid && (p.status === voided || p.status === expired))) continue;
      // The customer "acts after the delay again", but never earlier than originally planned (006 stays late).
      const plannedAt = Date.parse(p.createdAt) + this.#actionDelay(magic);
      this.#scheduleAutoAction(p, Math.max(plannedAt, now + this.#d.config.approveDelayMs));
    }
    this.#callbacks.resume();
  }

  /** The machine's fields of a payment just created: pending, nothing refunded, not charged, the customer still to act. */
  protected newPaymentFields(): Pick<MagicPayment<S>, 'status' | 'refundedAmount' | 'createdAt' | 'updatedAt' | 'charged' | 'autoActionDone'> {
    const now = new Date().toISOString();
    return { status: this.#spec.statuses.pending, refundedAmount: 0, createdAt: now, updatedAt: now, charged: false, autoActionDone: false };
  }

  protected addPayment(p: P): void {
    this.#payments.set(this.#spec.merchantRef(p), p);
    this.#byWalletRef.set(this.#spec.walletRef(p), p);
  }

  /** The payment of a merchant id, or of a wallet id; expired first if overdue. */
  protected paymentByRef(merchantRef: string): P | undefined {
    return this.#current(this.#payments.get(merchantRef));
  }

  protected paymentByWalletRef(walletRef: string): P | undefined {
    return this.#current(this.#byWalletRef.get(walletRef));
  }

  /** Every payment, each expired first if overdue. */
  protected allPayments(): P[] {
    const now = Date.now();
    const all = [...this.#payments.values()];
    for (const p of all) this.expireIfOverdue(p, now);
    return all;
  }

  /** The machine's part of the state file. */
  protected machineJSON(): {
    payments: P[];
    failedCreates: Record<string, number>;
    failedRefunds: Record<string, number>;
    callbacks: ReturnType<CallbackDispatcher['toJSON']>;
  } {
    return {
      payments: [...this.#payments.values()],
      failedCreates: Object.fromEntries(this.#failedCreates),
      failedRefunds: Object.fromEntries(this.#failedRefunds),
      callbacks: this.#callbacks.toJSON(),
    };
  }

  #current(p: P | undefined): P | undefined {
    if (p !== undefined) this.expireIfOverdue(p, Date.now());
    return p;
  }

  /** A new payment: its expiry, and its magic customer (if any). */
  protected arm(p: P): void {
    this.#scheduleExpiry(p);
    const magic = magicOutcome(p.phone);
    if (magic.timing !== 'never') this.#scheduleAutoAction(p, Date.now() + this.#actionDelay(magic));
  }

  /** Magic 005: true when this create must fail (HTTP 500, nothing recorded); counts the failure. */
  protected simulatedOutage(merchantRef: string, phone: string): boolean {
    const failed = this.#failedCreates.get(merchantRef) ?? 0;
    if (failed >= magicOutcome(phone).failingCreates) return false;
    this.#failedCreates.set(merchantRef, failed + 1);
    this.#d.onChange();
    this.log.warn({ merchantRef, phoneMasked: maskPhone(phone), failure: failed + 1 }, 'magic 005: simulated outage on create');
    return true;
  }

  /**
   * Magic 009: true when this refund call must fail (HTTP 500, nothing recorded); counts the failure. Asked once
   * per refund call that is not a replay, before `refundRefusal`: the wallet is down, whatever the refund.
   */
  protected simulatedRefundOutage(p: P): boolean {
    const merchantRef = this.#spec.merchantRef(p);
    const failed = this.#failedRefunds.get(merchantRef) ?? 0;
    if (failed >= magicOutcome(p.phone).failingRefunds) return false;
    this.#failedRefunds.set(merchantRef, failed + 1);
    this.#d.onChange();
    this.log.warn({ ...this.#spec.logFields(p), failure: failed + 1 }, 'magic 009: simulated outage on refund');
    return true;
  }

  /**
   * Why `amount` rupiah cannot be refunded now: the payment is not paid, its refunds are refused for good (magic
   * 008), or it is more than is left; `undefined`: it can.
   */
  protected refundRefusal(p: P, amount: number): 'not-paid' | 'not-allowed' | 'exceeds' | undefined {
    const { paid, refunded } = this.#spec.statuses;
    if (p.status !== paid && p.status !== refunded) return 'not-paid';
    if (magicOutcome(p.phone).refusesRefunds) {
      this.log.info({ ...this.#spec.logFields(p), amount }, 'magic 008: refund refused (refund not allowed)');
      return 'not-allowed';
    }
    return p.refundedAmount + amount > p.amount ? 'exceeds' : undefined;
  }

  /** Refunds `amount` rupiah (checked with `refundRefusal` first): a full refund makes the payment refunded; ledger entry. */
  protected applyRefund(p: P, amount: number): Date {
    const at = new Date();
    p.refundedAmount += amount;
    p.updatedAt = at.toISOString();
    if (p.refundedAmount === p.amount) p.status = this.#spec.statuses.refunded;
    const entry = { merchantInvoice: this.#spec.merchantRef(p), paymentId: this.#spec.walletRef(p), amount, phoneMasked: maskPhone(p.phone) };
    this.#d.ledger.record({ wallet: this.#spec.wallet, type: 'refund', ...entry }, at);
    this.#d.onChange();
    this.log.info({ ...this.#spec.logFields(p), amount, refundedAmount: p.refundedAmount }, 'payment refunded');
    return at;
  }

  /** The merchant voids a pending payment. The customer stops, except the 006 one whose payment is already on its way. */
  protected voidPending(p: P, reason: string): void {
    this.transition(p, this.#spec.statuses.voided, reason);
    if (!magicOutcome(p.phone).approvalBeatsVoid) this.customerDone(p);
    this.log.info(this.#spec.logFields(p), 'payment voided');
  }

  /** The customer no longer acts by itself on this payment (it was answered, voided or expired). */
  protected customerDone(p: P): void {
    this.#d.timers.cancel(this.#timerKey('auto', p));
    if (!p.autoActionDone) {
      p.autoActionDone = true;
      this.#d.onChange();
    }
  }

  /**
   * The customer pays. A payment no longer pending stays as it is, except when `beatsVoid` (magic 006): the
   * payment was already in flight at the wallet, so it wins over a void or an expiry. Charged at most once.
   */
  protected pay(p: P, beatsVoid: boolean): void {
    const { pending, paid, voided, expired } = this.#spec.statuses;
    const allowed = p.status === pending || (beatsVoid && (p.status === voided || p.status === expired));
    if (!allowed) {
      this.log.info(this.#spec.logFields(p), 'payment ignored: no longer pending');
      return;
    }
    if (p.status !== pending) this.log.warn({ ...this.#spec.logFields(p), was: p.status }, 'late payment wins over the void (magic 006): the gateway must reconcile');
    this.transition(p, paid, undefined);
    if (!p.charged) {
      p.charged = true;
      const entry = { merchantInvoice: this.#spec.merchantRef(p), paymentId: this.#spec.walletRef(p), amount: p.amount, phoneMasked: maskPhone(p.phone) };
      this.#d.ledger.record({ wallet: this.#spec.wallet, type: 'charge', ...entry }, new Date(p.updatedAt));
    }
    this.log.info({ ...this.#spec.logFields(p), amount: p.amount }, 'customer paid: charged');
    this.#raiseCallbacks(p);
  }

  /**
   * Every customer with a request still waiting for a person (magic "other") approves it now, as if all tapped
   * Approve at once: the benchmark's way to release thousands of pending payments together. Returns how many.
   */
  customersApproveWaiting(): number {
    let approved = 0;
    for (const p of this.allPayments()) {
      if (p.status !== this.#spec.statuses.pending || magicOutcome(p.phone).action !== 'manual') continue;
      this.customerDone(p);
      this.pay(p, false);
      approved++;
    }
    return approved;
  }

  /** Another outcome of a pending payment (declined, insufficient balance, cancelled by the customer), with its callbacks. */
  protected finish(p: P, status: S, reason: string): void {
    if (p.status !== this.#spec.statuses.pending) {
      this.log.info({ ...this.#spec.logFields(p), wanted: status }, 'outcome ignored: no longer pending');
      return;
    }
    this.transition(p, status, reason);
    this.log.info({ ...this.#spec.logFields(p), reason }, 'payment finished without paying');
    this.#raiseCallbacks(p);
  }

  protected expireIfOverdue(p: P, now: number): void {
    if (p.status !== this.#spec.statuses.pending || now < this.#spec.expiresAt(p)) return;
    this.transition(p, this.#spec.statuses.expired, this.#spec.expiredReason);
    if (!magicOutcome(p.phone).approvalBeatsVoid) this.customerDone(p);
    this.log.info(this.#spec.logFields(p), 'payment expired');
  }

  protected transition(p: P, status: S, reason: string | undefined): void {
    p.status = status;
    if (reason === undefined) delete p.reason;
    else p.reason = reason;
    p.updatedAt = new Date().toISOString();
    if (status !== this.#spec.statuses.pending) this.#d.timers.cancel(this.#timerKey('expire', p));
    this.#d.onChange();
  }

  #actionDelay(magic: MagicValue): number {
    return magic.timing === 'late' ? this.#d.lateApproveMs : this.#d.config.approveDelayMs;
  }

  #timerKey(kind: 'auto' | 'expire', p: P): string {
    return `${this.#spec.timerPrefix}:${kind}:${this.#spec.merchantRef(p)}`;
  }

  #scheduleAutoAction(p: P, when: number): void {
    this.#d.timers.at(this.#timerKey('auto', p), when, () => this.#autoAct(p));
  }

  #scheduleExpiry(p: P): void {
    this.#d.timers.at(this.#timerKey('expire', p), this.#spec.expiresAt(p), () => this.expireIfOverdue(p, Date.now()));
  }

  /** The magic-value customer acts. */
  #autoAct(p: P): void {
    const magic = magicOutcome(p.phone);
    p.autoActionDone = true;
    this.#d.onChange();
    switch (magic.action) {
      case 'approve':
        this.pay(p, magic.approvalBeatsVoid);
        return;
      case 'decline':
        this.finish(p, this.#spec.statuses.declined, 'customer declined');
        return;
      case 'insufficient-balance':
        this.finish(p, this.#spec.statuses.insufficientBalance, 'insufficient balance');
        return;
      case 'none':
      case 'manual':
        return;
    }
  }

  /** Callbacks follow the phone's magic value, whoever acted (a person paying for a 003 number gets none). */
  #raiseCallbacks(p: P): void {
    const send = (status: S, eventTime: string): void => {
      const callback = this.renderCallback(p, status, eventTime);
      this.#callbacks.enqueue(this.#spec.merchantRef(p), callback.status, callback.body, callback.url);
    };
    switch (magicOutcome(p.phone).callbacks) {
      case 'none':
        this.log.info(this.#spec.logFields(p), 'magic 003: no callback is sent');
        return;
      case 'normal':
        send(p.status, p.updatedAt);
        return;
      case 'triple-with-stale-pending':
        send(p.status, p.updatedAt);
        send(this.#spec.statuses.pending, p.createdAt);
        send(p.status, p.updatedAt);
        return;
    }
  }
}
