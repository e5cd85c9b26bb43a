import { allHandlersFinished, condition, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { FailureType } from '../domain/failures.js';
import { afterRefund, cancelPlan, latePlan } from '../domain/payment-rules.js';
import { PaymentStatus, statusName } from '../domain/payment-status.js';
import { Deadline } from './deadline.js';
import { applicationCause, describeFailure, isFailureOfType } from './failures.js';
import type { CancelOutcome, CancelRecord, CancelRequest, PaymentView, WalletCallbackEvent } from './messages.js';
import { walletMoneyBackOptions } from './options.js';
import type { PaymentRecord } from './payment-record.js';

const { refundWalletPayment } = proxyActivities<Activities>(walletMoneyBackOptions);

/** How long a cancel call waits for the wallet before answering "in progress, inquire later" (the cancel goes on). */
const CANCEL_ANSWER_WAIT_MS = 25_000;

/**
 * A transaction's cancels, one at a time in arrival order: the reason a repeated or concurrent cancel cannot refund
 * twice. A request is known by its key (what its token covers): the same key again waits for, and gets, the first
 * answer, also after the payment closed (the refund workflow carries the payment's cancels on).
 */
export class CancelDesk {
  #serving = false;

  constructor(
    private readonly record: PaymentRecord,
    private readonly serve: (c: CancelRecord) => Promise<CancelOutcome>,
    /** Whether a cancel may start now (the payment's create call is not in flight). */
    private readonly ready: () => boolean = () => true,
  ) {}

  /** The cancel update's handler. */
  async take(request: CancelRequest): Promise<CancelOutcome> {
    const { record } = this;
    let entry = record.cancellations.find((c) => c.key === request.key);
    if (!entry) {
      entry = { ...request, at: new Date().toISOString() };
      record.cancellations.push(entry);
    }
    const mine = entry;
    void this.#serveAll();
    await condition(() => mine.outcome !== undefined, CANCEL_ANSWER_WAIT_MS);
    return mine.outcome ?? { outcome: 'in-progress', status: record.status, cancelAmt: record.cancelAmt };
  }

  answered(): boolean {
    return this.record.cancellations.every((c) => c.outcome !== undefined);
  }

  /**
   * Serves the cancels in arrival order until none is left unanswered; started by each cancel (and once for those a
   * workflow carried over), never by a loop waiting for work: a waiting promise costs the SDK a stack capture.
   */
  async #serveAll(): Promise<void> {
    if (this.#serving) return;
    this.#serving = true;
    const { record } = this;
    try {
      for (let entry = this.#next(); entry; entry = this.#next()) {
        if (!this.ready()) await condition(() => this.ready());
        entry.outcome = await this.serve(entry);
        log.info('cancel answered', { tXid: record.tXid, key: entry.key, outcome: entry.outcome.outcome, status: record.status, cancelAmt: record.cancelAmt });
      }
    } finally {
      this.#serving = false;
    }
  }

  #next(): CancelRecord | undefined {
    return this.record.cancellations.find((c) => c.outcome === undefined);
  }

  /** Serves the cancels a workflow carried over unanswered (none, unless an operator reset it). */
  start(): void {
    if (this.#next()) void this.#serveAll();
  }
}

export const done = (record: PaymentRecord): CancelOutcome => ({ outcome: 'done', status: record.status, cancelAmt: record.cancelAmt });
export const refused = (record: PaymentRecord, reason: string): CancelOutcome => ({ outcome: 'refused', reason, status: record.status, cancelAmt: record.cancelAmt });

/** A cancel of a final payment (paid, or already refunded or over): a refund at the wallet, or an answer. */
export async function cancelFinal(record: PaymentRecord, c: CancelRecord): Promise<CancelOutcome> {
  const plan = cancelPlan(record.book(), c);
  if (plan.kind === 'done') return done(record);
  if (plan.kind !== 'refund') return refused(record, plan.kind === 'refuse' ? plan.why : `transaction is ${statusName[record.status].toLowerCase()}`);
  const { tXid } = record;
  const { amount } = plan;
  const why = c.reason ? `: ${c.reason}` : '';
  let refund;
  try {
    refund = await refundWalletPayment({ mitraCd: record.registration.mitraCd, tXid, amount, idempotencyKey: `cancel-${tXid}-${c.key}`, reason: c.reason || 'cancelled by the merchant' });
  } catch (err) {
    record.note('refund-failed', `refund of ${amount} failed: ${describeFailure(err)}`);
    if (isFailureOfType(err, FailureType.WalletRejected)) {
      const detail = applicationCause(err)?.details?.[0];
      return refused(record, `the wallet refused the refund: ${typeof detail === 'string' ? detail : describeFailure(err)}`);
    }
    return { outcome: 'not-refunded', status: record.status, cancelAmt: record.cancelAmt };
  }
  const after = afterRefund(record.book(), amount);
  record.note('refunded', `refunded ${amount} at the merchant's request (${refund.refundRef})`);
  if (after.refundedInFull) {
    record.cancelAmt = after.cancelAmt;
    record.setStatus(PaymentStatus.Refund, `refunded by the merchant${why}`);
  } else {
    // A partial refund keeps 0; the merchant still hears of it, and the index shows what was refunded.
    record.refunded(after.cancelAmt);
  }
  return done(record);
}

/** A wallet's word after the final status: a charge the gateway did not report as paid is refunded, and the merchant told. */
export async function reconcileLateCallback(record: PaymentRecord, event: WalletCallbackEvent): Promise<void> {
  const plan = latePlan(record.book(), event);
  if (plan.kind === 'ignore') {
    // Failed, voided or stale pending after a final status: not obeyed, but kept for operators and reconciliation.
    record.note('late-callback-ignored', plan.note);
    return;
  }
  if (plan.kind === 'same') return;
  const { tXid } = record;
  let refund;
  try {
    refund = await refundWalletPayment({
      mitraCd: record.registration.mitraCd,
      tXid,
      amount: plan.amount,
      idempotencyKey: `late-${tXid}`,
      reason: `late payment after the transaction was ${statusName[record.status].toLowerCase()}`,
    });
  } catch (err) {
    // Never fail the workflow over it: operators see the unrefunded late charge in its state.
    record.note('late-charge-not-refunded', `late payment of ${plan.amount} could NOT be refunded: ${describeFailure(err)}`);
    log.error('late payment not refunded', { tXid, error: describeFailure(err) });
    return;
  }
  record.note('late-charge-refunded', `late payment of ${plan.amount} after ${statusName[record.status].toLowerCase()} refunded (${refund.refundRef})`);
  record.refunded(plan.amount);
}

/**
 * The end of a transaction's workflow: late wallet callbacks are reconciled and cancels taken until `until`, then
 * until nothing is left to do (no late callback, cancel, handler or notification pending). `lastLook`, once the time
 * is up, may find what a lost callback would have said. The last check and the return are one step, so no cancel can
 * be accepted in between; one sent then finds the workflow closed.
 */
export async function settle(
  record: PaymentRecord,
  desk: CancelDesk,
  late: WalletCallbackEvent[],
  until: number,
  lastLook?: () => Promise<WalletCallbackEvent | undefined>,
): Promise<PaymentView> {
  const window = new Deadline(until);
  const closable = (): boolean => window.passed && late.length === 0 && record.lane.idle() && desk.answered() && allHandlersFinished();
  let looked = lastLook === undefined;
  for (;;) {
    await condition(() => late.length > 0 || (window.passed && !looked) || (looked && closable()));
    const event = late.shift();
    if (event) await reconcileLateCallback(record, event);
    else if (!looked) {
      looked = true;
      const word = await lastLook?.();
      if (word) late.push(word);
    } else return record.view();
  }
}
