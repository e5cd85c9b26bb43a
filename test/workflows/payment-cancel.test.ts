import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { PaymentStatus } from '../../domain/payment-status.js';
import {
  cancelUpdate,
  paymentQuery,
  resendNotificationUpdate,
  submitPaymentUpdate,
  walletCallbackSignal,
  type CancelRequest,
  type WalletCallbackEvent,
} from '../../workflows/messages.js';
import type { refundWorkflow } from '../../workflows/refund.js';
import { refundWorkflowId } from '../../domain/tx-id.js';
import { redirectPaymentInput, submission } from '../support/payment-input.js';
import { scriptedActivities, type WalletScript } from '../support/scripted-activities.js';
import { untilView } from '../support/until-view.js';
import { WorkflowSuite } from '../support/workflow-env.js';

const checkout = 'http://sandbox/dana/checkout/DANA1';
let keys = 0;
const full = (reason = 'out of stock'): CancelRequest => ({ key: `k${++keys}`, cancelType: 'full', amount: 15_000, reason });
const partial = (amount: number): CancelRequest => ({ key: `k${++keys}`, cancelType: 'partial', amount, reason: 'one item returned' });

/** The merchant's cancel (CONTRACT §3) on the time-skipping server: void before payment, refund after, never twice. */
describe('payment workflow: cancel and refund', () => {
  const suite = WorkflowSuite.forEachTest();

  /** A DANA payment taken to `paid` (0) by its callback, which then closes; `steps` run against it. */
  async function paidPayment<T>(script: WalletScript, steps: (handle: Awaited<ReturnType<typeof suite.startPayment>>, taskQueue: string) => Promise<T>) {
    const scripted = scriptedActivities({ redirectUrl: checkout, ...script });
    const result = await suite.withWorker(scripted.activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('DANA', '000'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await handle.signal(walletCallbackSignal, { state: 'PAID', amount: 15_000, providerRef: 'W-1' });
      return steps(handle, tq);
    });
    return { result, calls: scripted.calls };
  }

  /** A paid DANA payment's cancels, as the API sends them once it has closed: to its refund workflow. */
  async function refundsOfPaid<T>(script: WalletScript, steps: (refunds: WorkflowHandle<typeof refundWorkflow>) => Promise<T>) {
    return paidPayment(script, async (handle, tq) => steps(await suite.startRefunds(tq, await handle.result())));
  }

  test('not yet paid (3): void, nothing asked of the wallet; the merchant is notified (1)', async () => {
    const { activities, calls } = scriptedActivities({ redirectUrl: checkout });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('DANA', '999'));
      const outcome = await handle.executeUpdate(cancelUpdate, { args: [full()] });
      assert.deepEqual(outcome, { outcome: 'done', status: PaymentStatus.Void, cancelAmt: 0 });
      const result = await handle.result();
      // Closed once its merchant is told; the API answers a payment call on it 9502 (test/e2e/result-codes.test.ts).
      await assert.rejects(handle.executeUpdate(submitPaymentUpdate, { args: [submission()] }), 'a voided transaction cannot be paid');
      return result;
    });
    assert.equal(view.status, PaymentStatus.Void);
    assert.deepEqual([calls.create, calls.void], [0, 0]);
    assert.deepEqual(calls.notifications.map((n) => n.status), [PaymentStatus.Void]);
  });

  test('processing (4): voided at the wallet (1), and the checkout window no longer expires it', async () => {
    const { activities, calls } = scriptedActivities({ redirectUrl: checkout, status: { state: 'PENDING' } });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('DANA', '002'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      const outcome = await handle.executeUpdate(cancelUpdate, { args: [full()] });
      assert.deepEqual([outcome.outcome, outcome.status], ['done', PaymentStatus.Void]);
      const result = await handle.result();
      await suite.maybeRecordHistory(handle, 'dana-processing-cancelled-void');
      return result;
    });
    assert.equal(view.status, PaymentStatus.Void);
    assert.equal(calls.void, 1);
    assert.equal(view.history.some((h) => h.status === PaymentStatus.Expired), false);
    assert.deepEqual(calls.notifications.map((n) => n.status), [PaymentStatus.Void]);
  });

  test('processing, but the customer paid before the void arrived: paid, then refunded in full (2)', async () => {
    const { activities, calls } = scriptedActivities({ redirectUrl: checkout, voidOutcome: 'ALREADY_PAID' });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('DANA', '999'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      const outcome = await handle.executeUpdate(cancelUpdate, { args: [full()] });
      assert.deepEqual([outcome.outcome, outcome.status, outcome.cancelAmt], ['done', PaymentStatus.Refund, 15_000]);
      return handle.result();
    });
    assert.deepEqual(calls.refunds.map((r) => r.amount), [15_000]);
    assert.deepEqual(view.history.map((h) => h.status).slice(-2), [PaymentStatus.Paid, PaymentStatus.Refund]);
    assert.deepEqual(calls.notifications.map((n) => [n.status, n.cancelAmt]).at(-1), [PaymentStatus.Refund, 15_000]);
  });

  test('paid: partial refunds keep 0 and raise cancelAmt; the last one makes it refunded (2); beyond that 9502', async () => {
    const { result, calls } = await refundsOfPaid({}, async (handle) => {
      const a = await handle.executeUpdate(cancelUpdate, { args: [partial(5_000)] });
      assert.deepEqual([a.outcome, a.status, a.cancelAmt], ['done', PaymentStatus.Paid, 5_000]);
      const tooMuch = await handle.executeUpdate(cancelUpdate, { args: [partial(10_001)] });
      assert.equal(tooMuch.outcome, 'refused');
      assert.match(tooMuch.reason ?? '', /more than is left to refund \(10000\)/);
      const b = await handle.executeUpdate(cancelUpdate, { args: [partial(10_000)] });
      assert.deepEqual([b.outcome, b.status, b.cancelAmt], ['done', PaymentStatus.Refund, 15_000]);
      const after = await handle.executeUpdate(cancelUpdate, { args: [partial(1)] });
      assert.equal(after.outcome, 'refused');
      const fullAgain = await handle.executeUpdate(cancelUpdate, { args: [full()] });
      assert.deepEqual([fullAgain.outcome, fullAgain.status, fullAgain.cancelAmt], ['done', PaymentStatus.Refund, 15_000], 'a full cancel of a refunded payment is done, not repeated');
      const result = await handle.result();
      await suite.maybeRecordHistory(handle, 'dana-paid-partial-refunds');
      return result;
    });
    assert.deepEqual(calls.refunds.map((r) => r.amount), [5_000, 10_000]);
    assert.equal(result.cancelAmt, 15_000);
    assert.deepEqual(calls.notifications.map((n) => [n.status, n.cancelAmt]), [[0, 0], [0, 5_000], [2, 15_000]]);
  });

  test('the same cancel repeated or sent concurrently refunds once; a second full cancel at the same time too', async () => {
    const { calls, result: tXid } = await refundsOfPaid({}, async (handle) => {
      const same = full();
      const answers = await Promise.all([
        handle.executeUpdate(cancelUpdate, { args: [same] }),
        handle.executeUpdate(cancelUpdate, { args: [same] }),
        handle.executeUpdate(cancelUpdate, { args: [full('another click')] }),
      ]);
      for (const a of answers) assert.deepEqual([a.outcome, a.status, a.cancelAmt], ['done', PaymentStatus.Refund, 15_000]);
      const retried = await handle.executeUpdate(cancelUpdate, { args: [same] });
      assert.deepEqual([retried.outcome, retried.cancelAmt], ['done', 15_000]);
      const view = await handle.query(paymentQuery);
      assert.equal(view.cancellations?.length, 2, 'two distinct requests recorded');
      return view.tXid;
    });
    // One refund, under the key of whichever of the two requests reached the workflow first (concurrent: either);
    // the wallet's refund id names the transaction, so two transactions' cancels never share one (finding 5).
    assert.equal(calls.refunds.length, 1);
    assert.equal(calls.refunds[0]?.amount, 15_000);
    assert.ok([`cancel-${tXid}-k${keys - 1}`, `cancel-${tXid}-k${keys}`].includes(calls.refunds[0]?.idempotencyKey ?? ''), calls.refunds[0]?.idempotencyKey);
  });

  test('the wallet refuses the refund for good: 9502 naming why; nothing changes', async () => {
    const { calls } = await refundsOfPaid({ refundRejects: 'refund not allowed' }, async (handle) => {
      const outcome = await handle.executeUpdate(cancelUpdate, { args: [full()] });
      assert.equal(outcome.outcome, 'refused');
      assert.match(outcome.reason ?? '', /the wallet refused the refund: refund not allowed/);
      const view = await handle.query(paymentQuery);
      assert.deepEqual([view.status, view.cancelAmt], [PaymentStatus.Paid, 0]);
      assert.ok(view.audit.some((a) => a.kind === 'refund-failed' && a.detail.includes('refund of 15000 failed')));
    });
    assert.deepEqual(calls.notifications.map((n) => n.status), [PaymentStatus.Paid]);
  });

  test('failed (8) or expired (5) transactions cannot be cancelled (9502)', async () => {
    const { activities } = scriptedActivities({ redirectUrl: checkout });
    await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('DANA', '001'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await handle.signal(walletCallbackSignal, { state: 'FAILED', amount: 15_000, providerRef: 'W-1', reason: 'customer declined' });
      await untilView(handle, (v) => v.status === PaymentStatus.Failed);
      const outcome = await handle.executeUpdate(cancelUpdate, { args: [full()] });
      assert.deepEqual([outcome.outcome, outcome.status], ['refused', PaymentStatus.Failed]);
    });
  });

  test('a paid payment completes as soon as its merchant is told: its result is the final view, refundable for 30 days', async () => {
    const { result } = await paidPayment({}, async (handle) => {
      const view = await handle.result();
      const { closeTime } = await handle.describe();
      return { view, closeTime };
    });
    const paidAt = Date.parse(result.view.history.find((h) => h.status === PaymentStatus.Paid)?.at ?? '');
    assert.deepEqual([result.view.status, result.view.cancelAmt, result.view.notifications.map((n) => n.state)], [PaymentStatus.Paid, 0, ['delivered']]);
    assert.equal(Date.parse(result.view.refundUntil ?? '') - paidAt, 30 * 86_400_000, 'refundable for 30 days from the final status');
    const openFor = (result.closeTime?.getTime() ?? 0) - paidAt;
    assert.ok(openFor < 60_000, `closed once notified, no settlement window (open ${openFor} ms after paid)`);
  });

  test('an unpaid payment the wallet had (expired) waits out its settlement window before it closes', async () => {
    const { activities } = scriptedActivities({ redirectUrl: checkout, status: { state: 'PENDING' } });
    const { view, closeTime } = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('DANA', '002', { settlementWindowSeconds: 3_600 }));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      return { view: await handle.result(), closeTime: (await handle.describe()).closeTime };
    });
    const expiredAt = Date.parse(view.history.find((h) => h.status === PaymentStatus.Expired)?.at ?? '');
    const openFor = (closeTime?.getTime() ?? 0) - expiredAt;
    assert.equal(view.status, PaymentStatus.Expired);
    assert.ok(openFor >= 3_600_000 && openFor < 3_660_000, `closed an hour after it expired (open ${openFor} ms)`);
  });

  test('after the close, the refund workflow carries the result on: refunds one at a time until the refund window ends', async () => {
    const { result, calls } = await paidPayment({}, async (handle, tq) => {
      const closed = await handle.result();
      await assert.rejects(handle.executeUpdate(cancelUpdate, { args: [partial(1_000)] }), 'the closed payment takes no cancel');
      const refunds = await suite.startRefunds(tq, closed);
      const first = partial(5_000);
      assert.deepEqual(await refunds.executeUpdate(cancelUpdate, { args: [first] }), { outcome: 'done', status: PaymentStatus.Paid, cancelAmt: 5_000 });
      assert.deepEqual(await refunds.executeUpdate(cancelUpdate, { args: [first] }), { outcome: 'done', status: PaymentStatus.Paid, cancelAmt: 5_000 }, 'the same cancel: its first answer');
      const tooMuch = await refunds.executeUpdate(cancelUpdate, { args: [partial(10_001)] });
      assert.deepEqual([tooMuch.outcome, tooMuch.cancelAmt], ['refused', 5_000]);
      const rest = await Promise.all([full(), full(), full()].map((c) => refunds.executeUpdate(cancelUpdate, { args: [c] })));
      for (const answer of rest) assert.deepEqual(answer, { outcome: 'done', status: PaymentStatus.Refund, cancelAmt: 15_000 });
      const view = await refunds.result();
      const { closeTime } = await refunds.describe();
      assert.ok((closeTime?.getTime() ?? 0) >= Date.parse(closed.refundUntil ?? ''), 'open until the refund window ended');
      await assert.rejects(refunds.executeUpdate(cancelUpdate, { args: [partial(1)] }), 'after the refund window: closed');
      await suite.maybeRecordHistory(refunds, 'refund-after-close-partial-then-full');
      return view;
    });
    assert.deepEqual([result.status, result.cancelAmt], [PaymentStatus.Refund, 15_000]);
    assert.deepEqual(calls.refunds.map((r) => r.amount), [5_000, 10_000], 'never more than was paid, each once');
    assert.deepEqual(calls.notifications.map((n) => `${n.status}/${n.cancelAmt}`), ['0/0', '0/5000', '2/15000']);
    assert.deepEqual(result.notifications.map((n) => n.seq), [1, 2, 3], 'one notification history across both workflows');
  });

  test('a wallet PAID after an expired payment closed: the refund workflow refunds it and tells the merchant', async () => {
    const { activities, calls } = scriptedActivities({ redirectUrl: checkout });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('DANA', '999'));
      const closed = await handle.result();
      assert.equal(closed.status, PaymentStatus.Expired);
      const refunds = await suite.env.client.workflow.signalWithStart<typeof refundWorkflow, [WalletCallbackEvent]>('refundWorkflow', {
        taskQueue: tq,
        workflowId: refundWorkflowId(closed.tXid),
        args: [{ payment: closed, searchable: false }],
        signal: walletCallbackSignal,
        signalArgs: [{ state: 'PAID', amount: 15_000, providerRef: 'W-LATE' }],
      });
      await refunds.signal(walletCallbackSignal, { state: 'PAID', amount: 15_000, providerRef: 'W-LATE' });
      const result = await refunds.result();
      await suite.maybeRecordHistory(refunds, 'refund-late-charge-after-close');
      return result;
    });
    assert.deepEqual([view.status, view.cancelAmt], [PaymentStatus.Expired, 15_000]);
    assert.deepEqual(calls.refunds, [{ amount: 15_000, idempotencyKey: `late-${view.tXid}` }], 'refunded once, though told twice');
    assert.deepEqual(calls.notifications.map((n) => `${n.status}/${n.cancelAmt}`), ['5/0', '5/15000']);
    assert.ok(view.audit.some((a) => a.kind === 'late-charge-refunded'));
  });

  test('an operator resends the notification: a new one with the current state, delivered and recorded', async () => {
    // Expired: open in its settlement window (a paid payment closes once told; the API answers a resend on it 409).
    const { activities, calls } = scriptedActivities({ redirectUrl: checkout, status: { state: 'PENDING' } });
    await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('DANA', '002'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await suite.env.sleep('16 minutes');
      await untilView(handle, (v) => v.notifications[0]?.state === 'delivered');
      const record = await handle.executeUpdate(resendNotificationUpdate);
      assert.deepEqual([record.seq, record.status, record.state], [2, PaymentStatus.Expired, 'pending']);
      await untilView(handle, (v) => v.notifications[1]?.state === 'delivered');
      assert.equal((await handle.query(paymentQuery)).notifications[1]?.state, 'delivered');
      await handle.terminate();
    });
    assert.deepEqual(calls.notifications.map((n) => n.status), [PaymentStatus.Expired, PaymentStatus.Expired]);
  });
});

/** Polls the workflow's query until `ready` holds (the worker applies signals asynchronously). */
describe('payment workflow: a wallet that reports another amount', () => {
  const suite = WorkflowSuite.forEachTest();

  test('no callback; the status check says paid 14 000 for a 15 000 order → refunded at the wallet, failed (8), merchant told', async () => {
    const { activities, calls } = scriptedActivities({ redirectUrl: checkout, status: { state: 'PAID', amount: 14_000, providerRef: 'W-1' } });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('DANA', '003'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      // A callback with the wrong amount is not evidence of payment either.
      await handle.signal(walletCallbackSignal, { state: 'PAID', amount: 14_000, providerRef: 'W-1' });
      const result = await handle.result();
      await suite.maybeRecordHistory(handle, 'dana-wrong-amount-refunded');
      return result;
    });
    assert.equal(view.status, PaymentStatus.Failed);
    assert.equal(view.failureReason, 'the wallet charged 14000 instead of 15000; refunded');
    assert.deepEqual(calls.refunds, [{ amount: 14_000, idempotencyKey: `amount-${view.tXid}` }]);
    assert.deepEqual(calls.notifications.map((n) => [n.status, n.cancelAmt]), [[PaymentStatus.Failed, 14_000]]);
  });
});
