import { isDeepStrictEqual } from 'node:util';
import { CallbackDispatcher } from '../callback-dispatcher.js';
import { magicOutcome } from '../magic-values.js';
import { EXPIRY_GRACE_SECONDS, MagicPaymentSimulator, type MagicPaymentSpec, type SimulatorDeps } from '../magic-payments.js';
import { maskPhone } from '../mask.js';
import { canonicalPhone, PHONE_PATTERN } from '../phone.js';
import { CheckoutError } from './errors.js';
import type { CallbackStatus, CheckoutCreateRecord, CheckoutPayment, CheckoutRefundRecord, CheckoutState, CheckoutStatus } from './schemas.js';


/** What one redirect wallet adds to the shared core: its name, its ids and its callbacks. */
export interface CheckoutWalletSpec {
  /** The wallet's ledger name (ledger, faults, callbacks). */
  readonly wallet: string;
  /** The wallet's callbackPath: URL prefix (`/dana`), timer keys, logs. */
  readonly key: string;
  /** A fresh wallet-side id (e.g. `DANA` + 16 digits); the core retries on the rare collision. */
  newWalletRef(): string;
  /**
   * `merchant`: refund ids are unique across the merchant's payments (SNAP's `partnerRefundNo`), so one already
   * used for another payment is refused as `duplicate`. `payment` (default): each payment has its own refund ids.
   */
  readonly refundIdScope?: 'payment' | 'merchant';
  /** When the 006 customer approves; default the checkout window's (`checkoutLateApproveMs`). OVO: its push window's. */
  readonly lateApproveMs?: number;
  readonly callback: {
    /** `/callbacks/<wallet>` at GATEWAY_BASE_URL. */
    readonly path: string;
    /** Waits before each retry of an undelivered callback; default the dispatcher's. Empty: sent once, never retried. */
    readonly retryDelaysMs?: readonly number[];
    /** Signature headers for one delivery attempt to `url`. */
    sign(rawBody: string, timestampMs: number, url: string): Record<string, string>;
    /** The wallet's callback for `status` (which may be the stale PENDING of magic 004): its label, body and, when per payment, URL. */
    render(p: CheckoutPayment, status: CallbackStatus, eventTime: string): { readonly status: string; readonly body: object | string; readonly url?: string };
  };
}

export interface CheckoutSimulatorDeps extends SimulatorDeps {
  readonly initial?: CheckoutState;
}

/** The merchant's create call, in the core's words. */
export interface NewCheckout {
  readonly merchantRef: string;
  /** Integer rupiah. */
  readonly amount: number;
  readonly phone: string;
  readonly merchantName: string;
  readonly description: string;
  readonly successUrl: string;
  readonly failureUrl: string;
  /** ISO 8601 instant. */
  readonly expiresAt: string;
  /** Where the wallet calls the merchant back for this payment, when the create call names it (DANA's NOTIFICATION url). */
  readonly notifyUrl?: string;
}

export type Replayable<T> = { readonly replayed: boolean; readonly reply: T };

/** What became of a person's Pay or Cancel: done, or the payment was no longer waiting (or never existed). */
export type CustomerActionResult = 'done' | 'gone' | 'not-found';

const REASONS = {
  cancelled: 'cancelled by the customer',
  declined: 'customer declined',
  voided: 'voided by the merchant',
  expired: 'the customer did not pay in time',
} as const;

const CALLBACK_STATUSES: ReadonlySet<CheckoutStatus> = new Set<CallbackStatus>(['PAID', 'FAILED', 'CANCELLED', 'PENDING']);

/**
 * The redirect-checkout wallet, shared by DANA, ShopeePay and LinkAja: the merchant creates a payment and gets a
 * checkout page, a person (or a magic-value customer, CONTRACT §6) pays or cancels there, the merchant voids,
 * checks and refunds, and the wallet calls the merchant back on PAID / FAILED / CANCELLED. Each wallet's module
 * only translates its API shape, authentication and callback format to and from this core; the magic values
 * are the shared state machine's (magic-payments.ts). All state changes are synchronous, so concurrent HTTP
 * calls cannot interleave inside one.
 */
export class CheckoutSimulator extends MagicPaymentSimulator<CheckoutPayment, CheckoutStatus> {
  readonly spec: CheckoutWalletSpec;
  readonly #d: CheckoutSimulatorDeps;
  readonly #creates = new Map<string, CheckoutCreateRecord>();
  readonly #refunds = new Map<string, CheckoutRefundRecord>();

  constructor(spec: CheckoutWalletSpec, deps: CheckoutSimulatorDeps) {
    const initial = deps.initial;
    super(
      machineSpec(spec.wallet, spec.key),
      { ...deps, lateApproveMs: spec.lateApproveMs ?? deps.config.checkoutLateApproveMs, failedCreates: initial?.failedCreates, failedRefunds: initial?.failedRefunds },
      new CallbackDispatcher({
        wallet: spec.wallet,
        url: `${deps.config.gatewayBaseUrl}${spec.callback.path}`,
        gatewayPublicUrl: deps.config.gatewayPublicUrl,
        ...(spec.callback.retryDelaysMs !== undefined ? { retryDelaysMs: spec.callback.retryDelaysMs } : {}),
        sign: (rawBody, timestamp, url) => spec.callback.sign(rawBody, timestamp, url),
        timers: deps.timers,
        faults: () => deps.faults.for(spec.wallet),
        logger: deps.logger,
        onChange: deps.onChange,
        ...(initial?.callbacks !== undefined ? { initial: initial.callbacks } : {}),
      }),
      initial?.payments,
    );
    this.spec = spec;
    this.#d = deps;
    for (const r of initial?.creates ?? []) this.#creates.set(r.merchantRef, r);
    for (const r of initial?.refunds ?? []) this.#refunds.set(this.#refundKey(r.merchantRef, r.refundKey), r);
  }

  // ---- merchant API ---------------------------------------------------------------------------------------

  /**
   * A new payment, or the reply already given for the same `merchantRef` with the same `request` (compared as
   * JSON). The same `merchantRef` with another request → `duplicate`. `reply` builds the wallet's answer once.
   */
  create<R>(input: NewCheckout, request: unknown, reply: (p: CheckoutPayment) => R): Replayable<R> {
    if (!PHONE_PATTERN.test(input.phone)) {
      throw new CheckoutError('invalid-phone', 'phone must be 08…, 628… or +628… followed by 7 to 12 digits');
    }
    const previous = this.#creates.get(input.merchantRef);
    if (previous !== undefined) {
      if (!isDeepStrictEqual(previous.request, request)) {
        throw new CheckoutError('duplicate', `${input.merchantRef} already exists with other content`);
      }
      return { replayed: true, reply: previous.reply as R };
    }
    if (this.simulatedOutage(input.merchantRef, input.phone)) throw new CheckoutError('outage', 'simulated outage');

    const payment: CheckoutPayment = { ...input, walletRef: this.#newWalletRef(), ...this.newPaymentFields() };
    const answer = reply(payment);
    this.addPayment(payment);
    this.#creates.set(payment.merchantRef, { merchantRef: payment.merchantRef, request, reply: answer });
    this.#d.onChange();
    this.log.info({ ...logFields(payment), amount: payment.amount, magic: magicOutcome(payment.phone).suffix ?? 'manual' }, 'checkout created');
    this.arm(payment);
    return { replayed: false, reply: answer };
  }

  /** The payment of a merchant id (expired first if overdue); `not-found` when there is none. */
  find(merchantRef: string): Readonly<CheckoutPayment> {
    return this.#require(merchantRef);
  }

  /** The merchant cancels: a PENDING payment becomes VOIDED; PAID / REFUNDED → `already-paid`; others stay as they are. */
  voidPayment(merchantRef: string): Readonly<CheckoutPayment> {
    const p = this.#require(merchantRef);
    if (p.status === 'PAID' || p.status === 'REFUNDED') {
      throw new CheckoutError('already-paid', 'the customer has already paid; refund it instead');
    }
    if (p.status === 'PENDING') this.voidPending(p, REASONS.voided);
    return p;
  }

  /**
   * Refunds `amount` rupiah of a paid payment once per `refundKey` (a repeat gets the first reply, whatever
   * it asks). Where refund ids are the merchant's (`refundIdScope`), one already used for another payment is
   * `duplicate`, and that refund does not happen. Not paid → `not-paid`; refunds refused for good (magic 008) → `refund-not-allowed`; more than is
   * left → `refund-exceeds`; magic 009's first two calls → `outage` (nothing recorded). A full refund makes it REFUNDED.
   */
  refund<R>(merchantRef: string, key: string, amount: number, reply: (p: CheckoutPayment) => R): Replayable<R> {
    const p = this.#require(merchantRef);
    const previous = this.#refunds.get(this.#refundKey(merchantRef, key));
    if (previous !== undefined && previous.merchantRef !== merchantRef) throw new CheckoutError('duplicate', `refund id ${key} was already used for another payment`);
    if (previous !== undefined) return { replayed: true, reply: previous.reply as R };
    if (this.simulatedRefundOutage(p)) throw new CheckoutError('outage', 'simulated outage');
    const refusal = this.refundRefusal(p, amount);
    if (refusal === 'not-paid') throw new CheckoutError('not-paid', `payment is ${p.status}, not paid`);
    if (refusal === 'not-allowed') throw new CheckoutError('refund-not-allowed', 'refunds are not allowed for this payment');
    if (refusal === 'exceeds') {
      throw new CheckoutError('refund-exceeds', `refund of ${amount} would exceed the paid amount ${p.amount} (already refunded ${p.refundedAmount})`);
    }
    const at = this.applyRefund(p, amount);
    const answer = reply(p);
    this.#refunds.set(this.#refundKey(merchantRef, key), { merchantRef, refundKey: key, amount, reply: answer, at: at.toISOString() });
    this.#d.onChange();
    return { replayed: false, reply: answer };
  }

  /** The refunds that worked for one payment, oldest first (a wallet's refund history). */
  refundsOf(merchantRef: string): readonly Readonly<CheckoutRefundRecord>[] {
    return [...this.#refunds.values()].filter((r) => r.merchantRef === merchantRef);
  }

  #refundKey(merchantRef: string, key: string): string {
    return this.spec.refundIdScope === 'merchant' ? key : `${merchantRef}\u0000${key}`;
  }

  // ---- the customer's checkout page -------------------------------------------------------------------------

  /** The payment behind a checkout page (expired first if overdue). */
  checkout(walletRef: string): Readonly<CheckoutPayment> | undefined {
    return this.paymentByWalletRef(walletRef);
  }

  /** A person logged in on the checkout page of a pending payment. */
  customerLoggedIn(walletRef: string): void {
    const p = this.paymentByWalletRef(walletRef);
    if (p === undefined || p.status !== 'PENDING') return;
    p.loggedInAt = new Date().toISOString();
    this.#d.onChange();
  }

  /**
   * A person presses Pay or Cancel on a checkout page, or Approve (`pay`) or Decline on a push in the wallet's app
   * (a declined push fails as magic 001's does). Only a PENDING payment can be answered.
   */
  customerActs(walletRef: string, action: 'pay' | 'cancel' | 'decline'): CustomerActionResult {
    const p = this.paymentByWalletRef(walletRef);
    if (p === undefined) return 'not-found';
    if (p.status !== 'PENDING') return 'gone';
    this.customerDone(p);
    if (action === 'pay') this.pay(p, false);
    else if (action === 'decline') this.finish(p, 'FAILED', REASONS.declined);
    else this.finish(p, 'CANCELLED', REASONS.cancelled);
    return 'done';
  }

  /** The payments pushed to one phone (the wallet's app inbox), however the number was written. */
  paymentsOfPhone(phone: string): readonly Readonly<CheckoutPayment>[] {
    const mine = canonicalPhone(phone);
    return this.allPayments().filter((p) => canonicalPhone(p.phone) === mine);
  }

  /** The latest payments, newest first, for the wallet's list of checkouts. */
  recent(limit: number): readonly Readonly<CheckoutPayment>[] {
    return this.allPayments().sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  toJSON(): CheckoutState {
    return { ...this.machineJSON(), creates: [...this.#creates.values()], refunds: [...this.#refunds.values()] };
  }

  protected renderCallback(p: CheckoutPayment, status: CheckoutStatus, eventTime: string): { readonly status: string; readonly body: object | string; readonly url?: string } {
    if (!CALLBACK_STATUSES.has(status)) throw new Error(`no callback for status ${status}`);
    return this.spec.callback.render(p, status as CallbackStatus, eventTime);
  }

  #require(merchantRef: string): CheckoutPayment {
    const p = this.paymentByRef(merchantRef);
    if (p === undefined) throw new CheckoutError('not-found', `no payment ${merchantRef}`);
    return p;
  }

  #newWalletRef(): string {
    for (;;) {
      const ref = this.spec.newWalletRef();
      if (this.paymentByWalletRef(ref) === undefined) return ref;
    }
  }
}

/** The core's words for the shared state machine: FAILED (with a reason) for both declined and insufficient balance. */
function machineSpec(wallet: string, key: string): MagicPaymentSpec<CheckoutPayment, CheckoutStatus> {
  return {
    wallet,
    timerPrefix: key,
    statuses: { pending: 'PENDING', paid: 'PAID', refunded: 'REFUNDED', voided: 'VOIDED', expired: 'EXPIRED', declined: 'FAILED', insufficientBalance: 'FAILED' },
    expiredReason: REASONS.expired,
    merchantRef: (p) => p.merchantRef,
    walletRef: (p) => p.walletRef,
    expiresAt: (p) => Date.parse(p.expiresAt) + EXPIRY_GRACE_SECONDS * 1000,
    logFields,
  };
}

function logFields(p: CheckoutPayment): Record<string, string> {
  return { merchantRef: p.merchantRef, walletRef: p.walletRef, phoneMasked: maskPhone(p.phone), status: p.status };
}
