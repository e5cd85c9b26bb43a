import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  proxyLocalActivities,
  proxySinks,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { WalletStatusResult } from '../activities/wallets/adapter.js';
import { FailureType } from '../domain/failures.js';
import type { PaymentMetricsSinks } from '../platform/metrics.js';
import { nicepayDate, nicepayTime } from '../domain/nicepay-time.js';
import { afterRefund, cancelPlan, latePlan, routeCallback, statusMove, walletVerdict, type PaymentBook } from '../domain/payment-rules.js';
import { PaymentStatus, isFinal, statusName } from '../domain/payment-status.js';
import { applicationCause, describeFailure, isFailureOfType } from './failures.js';
import {
  cancelUpdate,
  paymentQuery,
  resendNotificationUpdate,
  submitPaymentUpdate,
  walletCallbackSignal,
  type PaymentSubmission,
  type PaymentView,
  type PaymentWorkflowInput,
  type AuditEntry,
  type AuditKind,
  type CancelOutcome,
  type CancelRecord,
  type CancelRequest,
  type NotificationRecord,
  type StatusChange,
  type SubmissionOutcome,
  type WalletCallbackEvent,
} from './messages.js';
import { NotificationLane } from './notification-lane.js';
import { PaymentSearch } from './search-attributes.js';
import { notifyAttemptLocalOptions, walletCreateLocalOptions, walletMoneyBackOptions, walletStatusOptions } from './options.js';

// The create call and merchant notifications are local activities: fewer events and round trips (bench/README.md).
const local = {
  createWalletPayment: proxyLocalActivities<Activities>(walletCreateLocalOptions).createWalletPayment,
  notifyMerchant: proxyLocalActivities<Activities>(notifyAttemptLocalOptions).notifyMerchant,
};
const { checkWalletStatus } = proxyActivities<Activities>(walletStatusOptions);
const { voidWalletPayment, refundWalletPayment } = proxyActivities<Activities>(walletMoneyBackOptions);
/** Metrics leave the workflow through a sink: no command, not called on replay (platform/metrics.ts). */
const { paymentMetrics } = proxySinks<PaymentMetricsSinks>();

/** How often the workflow asks again while a wallet cannot be reached (the outcome is unknown, never guessed). */
const UNREACHABLE_RECHECK_MS = 60_000;
/** How long a cancel call waits for the wallet before answering "in progress, inquire later" (the cancel goes on). */
const CANCEL_ANSWER_WAIT_MS = 25_000;

/**
 * One payment, from registration to final status and merchant notification (CONTRACT §3, §5).
 * unpaid (3) → payment submitted: initiated (9) → wallet has it: processing (4) → callback or status check →
 * paid (0) | failed (8) | expired (5). The merchant's cancel voids (1) or refunds (2, or a partial refund that keeps
 * 0): cancels are updates, processed one at a time, so a repeated or concurrent cancel never refunds twice. Late
 * wallet callbacks are reconciled, and refunds accepted, while the workflow stays open after its final status.
 */
export async function paymentWorkflow(input: PaymentWorkflowInput): Promise<PaymentView> {
  const { tXid, registration: reg, timeouts } = input;
  // The API answers the registration itself (no worker round trip) with its clock; the workflow says the same.
  const startedAt = new Date(input.registeredAt);
  const indexed = input.searchable === true;

  let status: PaymentStatus = PaymentStatus.Unpaid;
  let changedAt = startedAt;
  let cancelAmt = 0;
  let callBackUrl = reg.callBackUrl;
  let redirectUrl: string | undefined;
  let providerRef: string | undefined;
  let failureReason: string | undefined;
  const history: StatusChange[] = [{ status, at: startedAt.toISOString(), reason: 'registered' }];
  const audit: AuditEntry[] = [];
  /** What operators and the daily reconciliation must know beyond the status: typed, timed, in history. */
  const note = (kind: AuditKind, detail: string): void => {
    audit.push({ at: new Date().toISOString(), kind, detail });
  };

  let submission: PaymentSubmission | undefined;
  let outcome: SubmissionOutcome | undefined;
  let decisive: WalletCallbackEvent | undefined;
  const late: WalletCallbackEvent[] = [];
  const cancellations: CancelRecord[] = [];
  /** A create call is in flight: a cancel waits for its answer rather than race it at the wallet. */
  let creating = false;
  /** The workflow is about to complete: no new cancel or resend is taken. */
  let closing = false;

  const lane = new NotificationLane<NotificationRecord>(
    ({ status: s, cancelAmt: cancelled }) => ({
      kind: 'payment',
      dbProcessUrl: reg.dbProcessUrl,
      iMid: reg.iMid,
      tXid,
      referenceNo: reg.referenceNo,
      payMethod: reg.payMethod,
      mitraCd: reg.mitraCd,
      amt: reg.amt,
      currency: reg.currency,
      goodsNm: reg.goodsNm,
      billingNm: reg.billingNm,
      status: s,
      transDt: nicepayDate(changedAt),
      transTm: nicepayTime(changedAt),
      cancelAmt: cancelled,
    }),
    timeouts.notifyRetryHours,
    { attempt: local.notifyMerchant },
  );

  const book = (): PaymentBook => ({ status, amt: reg.amt, cancelAmt });

  function setStatus(next: PaymentStatus, reason: string): void {
    const move = statusMove(status, next);
    if (move === 'same') return;
    if (move === 'final') {
      // A final status is final (only a refund follows paid): a late word is reconciled, never obeyed.
      note('ignored-after-final', `ignored ${statusName[next]} after ${statusName[status]}: ${reason}`);
      return;
    }
    status = next;
    changedAt = new Date();
    history.push({ status, at: changedAt.toISOString(), reason });
    indexBook();
    log.info('payment status changed', { tXid, status, statusName: statusName[status], reason });
    if (isFinal(status)) lane.enqueue({ status, cancelAmt });
    if (isFinal(status)) paymentMetrics.finalStatus(reg.mitraCd, status);
  }

  /**
   * Operators filter on the status and refunds in the Web UI (e.g. the expired OVO payments of one merchant today);
   * the daily reconciliation reads them from visibility, without asking the workflow.
   */
  function indexBook(): void {
    if (indexed) upsertSearchAttributes([{ key: PaymentSearch.paymentStatus, value: status }, { key: PaymentSearch.cancelAmt, value: cancelAmt }]);
  }

  function answer(o: SubmissionOutcome): void {
    outcome = o;
  }

  function view(): PaymentView {
    return {
      tXid,
      runId: workflowInfo().runId,
      registration: reg,
      fingerprint: input.fingerprint,
      flow: input.flow,
      status,
      reqDt: nicepayDate(startedAt),
      reqTm: nicepayTime(startedAt),
      transDt: nicepayDate(changedAt),
      transTm: nicepayTime(changedAt),
      cancelAmt,
      ...(callBackUrl !== undefined ? { callBackUrl } : {}),
      ...(redirectUrl !== undefined ? { redirectUrl } : {}),
      ...(providerRef !== undefined ? { providerRef } : {}),
      ...(failureReason !== undefined ? { failureReason } : {}),
      history,
      notifications: lane.records,
      audit,
      cancellations,
    };
  }

  setHandler(paymentQuery, view);

  setHandler(
    submitPaymentUpdate,
    async (sub) => {
      if (status === PaymentStatus.Unpaid && submission === undefined) {
        submission = sub;
        outcome = undefined;
        callBackUrl = sub.callBackUrl ?? reg.callBackUrl;
      }
      // A repeated submission (a reloaded page, a retried call) waits for, and gets, the same answer.
      await condition(() => outcome !== undefined || isFinal(status));
      return outcome ?? { outcome: 'accepted', status, ...(redirectUrl ? { redirectUrl } : {}) };
    },
    {
      validator: (_sub: PaymentSubmission) => {
        if (isFinal(status)) {
          throw ApplicationFailure.nonRetryable(`transaction is already ${statusName[status].toLowerCase()}`, FailureType.InvalidState);
        }
      },
    },
  );

  setHandler(walletCallbackSignal, (event) => {
    const route = routeCallback(book(), event);
    switch (route.kind) {
      case 'mismatch':
        note('callback-amount-mismatch', route.note);
        return;
      case 'record':
        note('callback-while-unpaid', route.note);
        return;
      case 'late':
        late.push(event);
        return;
      case 'accept-while-unpaid':
        // A create call that timed out and that the status check did not find, created at the wallet late: the
        // customer's money, never dropped; the payment can still succeed, so it is accepted and the merchant told.
        note('paid-while-unpaid', route.note);
        applyWalletVerdict(event, 'wallet callback while unpaid');
        return;
      case 'decisive':
        decisive ??= event;
        return;
      case 'ignore':
        return;
    }
  });

  setHandler(
    cancelUpdate,
    async (request) => {
      let record = cancellations.find((c) => c.key === request.key);
      if (!record) {
        record = { ...request, at: new Date().toISOString() };
        cancellations.push(record);
      }
      const mine = record;
      await condition(() => mine.outcome !== undefined, CANCEL_ANSWER_WAIT_MS);
      return mine.outcome ?? { outcome: 'in-progress', status, cancelAmt };
    },
    {
      validator: (_request: CancelRequest) => {
        if (closing) throw ApplicationFailure.nonRetryable('the refund window of this transaction is over', FailureType.InvalidState);
      },
    },
  );

  setHandler(
    resendNotificationUpdate,
    () => {
      lane.enqueue({ status, cancelAmt });
      const record = lane.records.at(-1);
      if (!record) throw ApplicationFailure.nonRetryable('no notification queued', FailureType.InvalidState);
      return record;
    },
    {
      validator: () => {
        if (!isFinal(status)) throw ApplicationFailure.nonRetryable('nothing to notify: the transaction is not final yet', FailureType.InvalidState);
        if (closing) throw ApplicationFailure.nonRetryable('the transaction is closed', FailureType.InvalidState);
      },
    },
  );

  void lane.run();
  void processCancellations();

  // 1. Wait for the payment request, as long as the registration is valid; a wallet outage sends us back here.
  const registrationDeadline = startedAt.getTime() + timeouts.registrationSeconds * 1000;
  while (!isFinal(status)) {
    const remaining = registrationDeadline - Date.now();
    if (remaining > 0) await condition(() => submission !== undefined || isFinal(status), remaining);
    if (isFinal(status)) break; // cancelled by the merchant
    if (submission === undefined) {
      setStatus(PaymentStatus.Expired, 'registration was never paid');
      break;
    }
    await collectPayment(submission);
  }

  // 2. Settlement window: the wallet may still call back late; reconcile what it says. Refunds are taken meanwhile.
  const keepOpenSeconds = Math.max(timeouts.settlementWindowSeconds, timeouts.refundWindowSeconds);
  const settleUntil = Date.now() + keepOpenSeconds * 1000;
  for (;;) {
    const remaining = settleUntil - Date.now();
    if (remaining <= 0 || !(await condition(() => late.length > 0, remaining))) break;
    const event = late.shift();
    if (event) await reconcileLateCallback(event);
  }

  closing = true;
  await condition(() => lane.idle() && allHandlersFinished() && cancellations.every((c) => c.outcome !== undefined));
  return view();

  async function collectPayment(sub: PaymentSubmission): Promise<void> {
    if (isFinal(status)) return;
    setStatus(PaymentStatus.Initiated, 'payment submitted');
    const window = input.flow === 'push' ? timeouts.ovoPushSeconds : timeouts.checkoutSeconds;
    // From history (the submission), not this task's clock: a retried create sends the very same deadline.
    const expiresAt = new Date(Date.parse(sub.submittedAt) + window * 1000).toISOString();
    creating = true;
    try {
      const created = await local.createWalletPayment({
        mitraCd: reg.mitraCd,
        tXid,
        referenceNo: reg.referenceNo,
        amount: reg.amt,
        phone: reg.billingPhone,
        goodsName: reg.goodsNm,
        merchantName: reg.merchantName,
        expirySeconds: window,
        expiresAt,
        ...(input.accountLink ? { sealedAccountToken: input.accountLink.sealedAccountToken } : {}),
      });
      providerRef = created.providerRef;
      redirectUrl = created.redirectUrl;
      setStatus(PaymentStatus.Processing, 'wallet accepted the payment request');
      answer({ outcome: 'accepted', status, ...(redirectUrl ? { redirectUrl } : {}) });
    } catch (err) {
      if (isFailureOfType(err, FailureType.WalletRejected)) {
        const detail = applicationCause(err)?.details?.[0];
        failureReason = typeof detail === 'string' ? detail : describeFailure(err);
        setStatus(PaymentStatus.Failed, `wallet refused the payment request: ${failureReason}`);
        answer({ outcome: 'refused', reason: failureReason, status });
        return;
      }
      // The wallet may or may not have the request: ask it rather than guess.
      const found = await tryStatusCheck();
      if (found?.state === 'NOT_FOUND' && decisive) {
        // The wallet's callback overtook its own status check: it has the payment after all, and its word decides.
        note('callback-overtook-status-check', `the status check found nothing, but the wallet called back ${decisive.state}`);
        applyWalletVerdict(decisive, 'wallet callback during the create call');
        answer({ outcome: 'accepted', status });
        return;
      }
      if (found?.state === 'NOT_FOUND') {
        setStatus(PaymentStatus.Unpaid, `wallet unreachable, nothing was charged: ${describeFailure(err)}`);
        answer({ outcome: 'nothing-charged', status });
        submission = undefined;
        return;
      }
      if (found) {
        providerRef = found.providerRef;
        setStatus(PaymentStatus.Processing, 'wallet has the payment request (found by status check)');
        answer({ outcome: 'accepted', status });
      } else {
        answer({ outcome: 'unknown', status });
      }
    } finally {
      creating = false;
    }

    await condition(() => decisive !== undefined || isFinal(status), window * 1000);
    if (isFinal(status)) return; // cancelled by the merchant meanwhile
    if (decisive) applyWalletVerdict(decisive, 'wallet callback');
    else await resolveWithoutCallback();
  }

  /** No callback within the window: ask the wallet, and void what is still open so a late approval cannot charge. */
  async function resolveWithoutCallback(): Promise<void> {
    for (;;) {
      if (isFinal(status)) return;
      const found = await tryStatusCheck();
      if (decisive) return applyWalletVerdict(decisive, 'wallet callback');
      if (!found) {
        await condition(() => decisive !== undefined, UNREACHABLE_RECHECK_MS);
        continue;
      }
      if (found.state === 'PAID' && found.amount !== undefined && found.amount !== reg.amt) {
        return refundWrongAmount(found.amount);
      }
      if (found.state === 'PAID' || found.state === 'FAILED' || found.state === 'VOIDED') {
        return applyWalletVerdict({ state: found.state, amount: found.amount ?? reg.amt, providerRef: found.providerRef ?? providerRef ?? '', ...(found.reason ? { reason: found.reason } : {}) }, 'status check');
      }
      let voided;
      try {
        voided = await voidWalletPayment({ mitraCd: reg.mitraCd, tXid });
      } catch (err) {
        // The wallet refused the void (or never answered for a day): ask it again where the payment stands.
        note('void-failed', `void refused or unanswered: ${describeFailure(err)}`);
        await condition(() => decisive !== undefined, UNREACHABLE_RECHECK_MS);
        continue;
      }
      if (decisive) return applyWalletVerdict(decisive, 'wallet callback');
      if (voided.outcome === 'ALREADY_PAID') {
        return applyWalletVerdict({ state: 'PAID', amount: reg.amt, providerRef: providerRef ?? '' }, 'void found it already paid');
      }
      return setStatus(PaymentStatus.Expired, 'customer did not approve in time; voided at the wallet');
    }
  }

  function applyWalletVerdict(event: WalletCallbackEvent, source: string): void {
    if (event.providerRef) providerRef = event.providerRef;
    const verdict = walletVerdict(reg.amt, event, source);
    if (verdict.kind === 'distrust') {
      note('amount-distrusted', verdict.note);
      decisive = undefined;
    } else if (verdict.kind === 'move') {
      if (verdict.failureReason !== undefined) failureReason = verdict.failureReason;
      setStatus(verdict.to, verdict.reason);
    }
  }

  /**
   * The wallet took another amount than the merchant registered: never a valid payment. The charge is refunded and
   * the transaction fails, so the merchant never ships against money that does not match its order.
   */
  async function refundWrongAmount(charged: number): Promise<void> {
    const reason = `the wallet charged ${charged} instead of ${reg.amt}`;
    note('wrong-amount', reason);
    try {
      const refund = await refundWalletPayment({ mitraCd: reg.mitraCd, tXid, amount: charged, idempotencyKey: `amount-${tXid}`, reason });
      cancelAmt = charged;
      failureReason = `${reason}; refunded`;
      note('wrong-amount-refunded', `refunded the ${charged} charged (${refund.refundRef})`);
    } catch (err) {
      failureReason = `${reason}; the refund failed`;
      note('wrong-amount-not-refunded', `the ${charged} charged could NOT be refunded: ${describeFailure(err)}`);
      log.error('wrong-amount charge not refunded', { tXid, error: describeFailure(err) });
    }
    setStatus(PaymentStatus.Failed, failureReason);
  }

  /** A wallet's word after our final status: a charge we did not report as paid is refunded, and the merchant told. */
  async function reconcileLateCallback(event: WalletCallbackEvent): Promise<void> {
    const plan = latePlan(book(), event);
    if (plan.kind === 'ignore') {
      // Failed, voided or stale pending after a final status: not obeyed, but kept for operators and reconciliation.
      note('late-callback-ignored', plan.note);
      return;
    }
    if (plan.kind === 'same') return;
    let refund;
    try {
      refund = await refundWalletPayment({
        mitraCd: reg.mitraCd,
        tXid,
        amount: plan.amount,
        idempotencyKey: `late-${tXid}`,
        reason: `late payment after the transaction was ${statusName[status].toLowerCase()}`,
      });
    } catch (err) {
      // Never fail the payment's workflow over it: operators see the unrefunded late charge in its state.
      note('late-charge-not-refunded', `late payment of ${plan.amount} could NOT be refunded: ${describeFailure(err)}`);
      log.error('late payment not refunded', { tXid, error: describeFailure(err) });
      return;
    }
    cancelAmt = plan.amount;
    indexBook();
    note('late-charge-refunded', `late payment of ${plan.amount} after ${statusName[status].toLowerCase()} refunded (${refund.refundRef})`);
    lane.enqueue({ status, cancelAmt });
  }

  /** Cancels one at a time, in arrival order: the reason a repeated or concurrent cancel cannot refund twice. */
  async function processCancellations(): Promise<never> {
    for (;;) {
      await condition(() => cancellations.some((c) => c.outcome === undefined));
      const record = cancellations.find((c) => c.outcome === undefined);
      if (!record) continue;
      await condition(() => !creating);
      record.outcome = await cancel(record);
      log.info('cancel answered', { tXid, key: record.key, outcome: record.outcome.outcome, status, cancelAmt });
    }
  }

  async function cancel(c: CancelRecord): Promise<CancelOutcome> {
    const done = (): CancelOutcome => ({ outcome: 'done', status, cancelAmt });
    const refused = (why: string): CancelOutcome => ({ outcome: 'refused', reason: why, status, cancelAmt });
    const why = c.reason ? `: ${c.reason}` : '';

    let plan = cancelPlan(book(), c);
    if (plan.kind === 'void-here') {
      setStatus(PaymentStatus.Void, `cancelled by the merchant before payment${why}`);
      return done();
    }
    if (plan.kind === 'void-at-wallet') {
      let voided;
      try {
        voided = await voidWalletPayment({ mitraCd: reg.mitraCd, tXid });
      } catch (err) {
        note('merchant-void-failed', `merchant's void failed: ${describeFailure(err)}`);
        return isFailureOfType(err, FailureType.WalletRejected)
          ? refused(`the wallet refused the void: ${describeFailure(err)}`)
          : { outcome: 'void-unanswered', status, cancelAmt };
      }
      if (voided.outcome === 'VOIDED') {
        setStatus(PaymentStatus.Void, `cancelled by the merchant${why}`);
        return done();
      }
      // The customer paid before the void arrived: the payment stands, and the full cancel refunds it.
      applyWalletVerdict({ state: 'PAID', amount: reg.amt, providerRef: providerRef ?? '' }, 'void found it already paid');
      plan = cancelPlan(book(), c);
    }
    if (plan.kind === 'done') return done();
    if (plan.kind !== 'refund') return refused(plan.kind === 'refuse' ? plan.why : `transaction is ${statusName[status].toLowerCase()}`);
    const { amount } = plan;

    let refund;
    try {
      refund = await refundWalletPayment({ mitraCd: reg.mitraCd, tXid, amount, idempotencyKey: `cancel-${tXid}-${c.key}`, reason: c.reason || 'cancelled by the merchant' });
    } catch (err) {
      note('refund-failed', `refund of ${amount} failed: ${describeFailure(err)}`);
      if (isFailureOfType(err, FailureType.WalletRejected)) {
        const detail = applicationCause(err)?.details?.[0];
        return refused(`the wallet refused the refund: ${typeof detail === 'string' ? detail : describeFailure(err)}`);
      }
      return { outcome: 'not-refunded', status, cancelAmt };
    }
    const after = afterRefund(book(), amount);
    cancelAmt = after.cancelAmt;
    note('refunded', `refunded ${amount} at the merchant's request (${refund.refundRef})`);
    if (after.refundedInFull) {
      setStatus(PaymentStatus.Refund, `refunded by the merchant${why}`);
    } else {
      // A partial refund keeps 0; the merchant still hears of it, and the index shows what was refunded.
      indexBook();
      lane.enqueue({ status, cancelAmt });
    }
    return done();
  }

  /** undefined when the wallet cannot be reached even after the activity's retries. */
  async function tryStatusCheck(): Promise<WalletStatusResult | undefined> {
    try {
      return await checkWalletStatus({ mitraCd: reg.mitraCd, tXid });
    } catch (err) {
      log.warn('wallet status check failed', { tXid, error: describeFailure(err) });
      return undefined;
    }
  }
}
