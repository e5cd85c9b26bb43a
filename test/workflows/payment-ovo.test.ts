import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { PaymentStatus } from '../../domain/payment-status.js';
import { paymentQuery, submitPaymentUpdate, walletCallbackSignal, type AuditKind, type PaymentView } from '../../workflows/messages.js';
import { ovoPaymentInput, submission } from '../support/payment-input.js';
import { scriptedActivities } from '../support/scripted-activities.js';
import { WorkflowSuite } from '../support/workflow-env.js';

const paid = { state: 'PAID', amount: 15_000, providerRef: 'OVO-1' } as const;
const at = (view: PaymentView, status: number) => view.history.find((h) => h.status === status)?.at;
const seconds = (from: string | undefined, to: string | undefined) => (Date.parse(to ?? '') - Date.parse(from ?? '')) / 1000;
/** The details of the payment's audit entries of one kind. */
const details = (view: PaymentView, kind: AuditKind): string => view.audit.filter((a) => a.kind === kind).map((a) => a.detail).join('\n');

describe('payment workflow, OVO, on the time-skipping test server', () => {
  const suite = WorkflowSuite.forEachTest();

  test('000: approved in the app → paid (0), the merchant notified once', async () => {
    const { activities, calls } = scriptedActivities({});
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('000'));
      assert.equal((await handle.query(paymentQuery)).status, PaymentStatus.Unpaid);
      const outcome = await handle.executeUpdate(submitPaymentUpdate, { args: [submission({ callBackUrl: 'http://shop/return' })] });
      assert.deepEqual([outcome.outcome, outcome.status], ['accepted', PaymentStatus.Processing]);
      await handle.signal(walletCallbackSignal, paid);
      const result = await handle.result();
      await suite.maybeRecordHistory(handle, 'ovo-000-paid');
      return result;
    });
    assert.equal(view.status, PaymentStatus.Paid);
    assert.deepEqual(view.history.map((h) => h.status), [3, 9, 4, 0]);
    assert.deepEqual(calls.notifications.map((n) => n.status), [0]);
    assert.equal(view.notifications[0]?.state, 'delivered');
    assert.equal(view.callBackUrl, 'http://shop/return');
  });

  test('001: declined → failed (8) with the reason', async () => {
    const { activities, calls } = scriptedActivities({});
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('001'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await handle.signal(walletCallbackSignal, { state: 'FAILED', amount: 15_000, providerRef: 'OVO-1', reason: 'declined by the customer' });
      const result = await handle.result();
      await suite.maybeRecordHistory(handle, 'ovo-001-declined');
      return result;
    });
    assert.equal(view.status, PaymentStatus.Failed);
    assert.equal(view.failureReason, 'declined by the customer');
    assert.deepEqual(calls.notifications.map((n) => n.status), [8]);
  });

  test('002: never answered → the 60 s push window ends, the status check finds it pending, it is voided → expired (5)', async () => {
    const { activities, calls } = scriptedActivities({ status: { state: 'PENDING' } });
    const sub = submission();
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('002'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [sub] });
      const result = await handle.result();
      await suite.maybeRecordHistory(handle, 'ovo-002-expired');
      return result;
    });
    assert.equal(view.status, PaymentStatus.Expired);
    const window = seconds(at(view, PaymentStatus.Processing), at(view, PaymentStatus.Expired));
    assert.ok(window >= 60 && window < 65, `expired ${window} s after the push, expected the 60 s window`);
    assert.equal(calls.status, 2, 'at the window, and a last look before the close');
    assert.equal(calls.void, 1);
    assert.deepEqual(calls.notifications.map((n) => n.status), [5]);
  });

  test('the push window is configuration: 20 s when so configured', async () => {
    const { activities } = scriptedActivities({ status: { state: 'PENDING' } });
    const sub = submission();
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('002', {}, { ovoPushSeconds: 20 }));
      await handle.executeUpdate(submitPaymentUpdate, { args: [sub] });
      return handle.result();
    });
    const window = seconds(at(view, PaymentStatus.Processing), at(view, PaymentStatus.Expired));
    assert.ok(window >= 20 && window < 25, `expired after ${window} s`);
  });

  test('003: approved but the callback is lost → the status check finds it paid (0)', async () => {
    const { activities, calls } = scriptedActivities({ status: { state: 'PAID', amount: 15_000, providerRef: 'OVO-1' } });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('003'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      return handle.result();
    });
    assert.equal(view.status, PaymentStatus.Paid);
    assert.equal(calls.void, 0);
    assert.deepEqual(calls.notifications.map((n) => n.status), [0]);
  });

  test('004: three callbacks, one a stale "pending" → one final state, one notification', async () => {
    const { activities, calls } = scriptedActivities({});
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('004'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await handle.signal(walletCallbackSignal, paid);
      await handle.signal(walletCallbackSignal, { state: 'PENDING', amount: 15_000, providerRef: 'OVO-1' });
      await handle.signal(walletCallbackSignal, paid);
      return handle.result();
    });
    assert.equal(view.status, PaymentStatus.Paid);
    assert.deepEqual(view.history.map((h) => h.status), [3, 9, 4, 0]);
    // One notification; a callback landing in the very task that closes the payment makes the server refuse the
    // close, and the task that runs again may send it a second time (CONTRACT §5: merchants take repeats).
    assert.deepEqual([...new Set(calls.notifications.map((n) => n.status))], [0]);
  });

  test('005: the wallet API fails twice, then works → paid once, created once per idempotency key', async () => {
    const { activities, calls } = scriptedActivities({ createFailures: 2 });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('005'));
      const outcome = await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      assert.equal(outcome.outcome, 'accepted');
      await handle.signal(walletCallbackSignal, paid);
      return handle.result();
    });
    assert.equal(view.status, PaymentStatus.Paid);
    assert.equal(calls.create, 3);
    assert.deepEqual(calls.notifications.map((n) => n.status), [0]);
  });

  test('006: approved after the window → expired, then the late charge is refunded once and the merchant told', async () => {
    const { activities, calls } = scriptedActivities({ status: { state: 'PENDING' } });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('006'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await suite.env.sleep('70 seconds');
      assert.equal((await handle.query(paymentQuery)).status, PaymentStatus.Expired);
      await handle.signal(walletCallbackSignal, paid);
      await handle.signal(walletCallbackSignal, paid); // the wallet retries its callback
      const result = await handle.result();
      await suite.maybeRecordHistory(handle, 'ovo-006-late-refunded');
      return result;
    });
    assert.equal(view.status, PaymentStatus.Expired);
    assert.equal(view.cancelAmt, 15_000);
    assert.deepEqual(calls.refunds, [{ amount: 15_000, idempotencyKey: `late-${view.tXid}` }]);
    assert.deepEqual(calls.notifications.map((n) => [n.status, n.cancelAmt]), [[5, 0], [5, 15_000]]);
    assert.match(details(view, 'late-charge-refunded'), /late payment of 15000 after expired refunded/);
  });

  test('006 when the wallet refuses the refund: the workflow completes and operators see the unrefunded late charge', async () => {
    const { activities, calls } = scriptedActivities({ status: { state: 'PENDING' }, refundRejects: 'refund exceeds the paid amount' });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('006'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await suite.env.sleep('70 seconds');
      await handle.signal(walletCallbackSignal, paid);
      return handle.result();
    });
    assert.equal(view.status, PaymentStatus.Expired);
    assert.equal(view.cancelAmt, 0);
    assert.match(details(view, 'late-charge-not-refunded'), /late payment of 15000 could NOT be refunded: .*refund exceeds/);
    assert.deepEqual(calls.notifications.map((n) => n.status), [5]);
  });

  test('006 when the void finds it already paid → paid (0), nothing refunded', async () => {
    const { activities, calls } = scriptedActivities({ status: { state: 'PENDING' }, voidOutcome: 'ALREADY_PAID' });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('006'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      return handle.result();
    });
    assert.equal(view.status, PaymentStatus.Paid);
    assert.equal(calls.refunds.length, 0);
  });

  test('007: insufficient balance → failed (8)', async () => {
    const { activities } = scriptedActivities({});
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('007'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await handle.signal(walletCallbackSignal, { state: 'FAILED', amount: 15_000, providerRef: 'OVO-1', reason: 'insufficient balance' });
      return handle.result();
    });
    assert.equal(view.status, PaymentStatus.Failed);
    assert.equal(view.failureReason, 'insufficient balance');
  });

  test('a callback with another amount is ignored: the status check decides', async () => {
    const { activities } = scriptedActivities({ status: { state: 'PENDING' } });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('000'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await handle.signal(walletCallbackSignal, { ...paid, amount: 1 });
      return handle.result();
    });
    assert.equal(view.status, PaymentStatus.Expired);
    assert.match(details(view, 'callback-amount-mismatch'), /amount 1, expected 15000/);
  });

  test('a registration never paid expires (5) after 60 min', async () => {
    const { activities, calls } = scriptedActivities({});
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('000'));
      return handle.result();
    });
    assert.equal(view.status, PaymentStatus.Expired);
    const waited = seconds(at(view, PaymentStatus.Unpaid), at(view, PaymentStatus.Expired));
    assert.ok(waited >= 3600 && waited < 3605, `expired after ${waited} s`);
    assert.equal(calls.create, 0);
    assert.deepEqual(calls.notifications.map((n) => n.status), [5]);
  });

  test('a payment call that reaches the worker with its registration starts no registration timer; the wallet window still holds', async () => {
    const { activities } = scriptedActivities({});
    const taskQueue = `test-${randomUUID()}`;
    // Registered and paid before any worker polls: the first workflow task carries the start and the payment call.
    const handle = await suite.startPayment(taskQueue, ovoPaymentInput('000'));
    const outcome = handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the call reaches the server (loopback)
    const view = await suite.withWorker(activities, async () => {
      assert.deepEqual((await outcome).outcome, 'accepted');
      return handle.result(); // no callback: the push window runs out, the status check finds it pending, voided
    }, taskQueue);
    assert.equal(view.status, PaymentStatus.Expired);
    const timers = (await handle.fetchHistory()).events?.filter((e) => e.timerStartedEventAttributes) ?? [];
    // The OVO push window, then the settlement window of a payment the wallet had; no registration timer (3600 s).
    assert.deepEqual(timers.map((e) => Number(e.timerStartedEventAttributes?.startToFireTimeout?.seconds)), [60, 86_400]);
  });

  test('wallet unreachable and no record of the request → 1001, still unpaid (3), and a retry can pay', async () => {
    const script = { createUnreachable: true };
    const { activities, calls } = scriptedActivities(script);
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('000'));
      const first = await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      assert.deepEqual([first.outcome, first.status], ['nothing-charged', PaymentStatus.Unpaid]);
      script.createUnreachable = false;
      const second = await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      assert.deepEqual([second.outcome, second.status], ['accepted', PaymentStatus.Processing]);
      await handle.signal(walletCallbackSignal, paid);
      return handle.result();
    });
    assert.equal(view.status, PaymentStatus.Paid);
    assert.ok(calls.create >= 5);
  });

  test('finding 7: the create timed out and the status check found nothing, then the wallet calls back PAID: accepted, never dropped', async () => {
    const { activities, calls } = scriptedActivities({ createUnreachable: true });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('000'));
      const first = await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      assert.deepEqual([first.outcome, first.status], ['nothing-charged', PaymentStatus.Unpaid]);
      // The wallet created the payment late after all, and the customer paid.
      await handle.signal(walletCallbackSignal, paid);
      const v = await handle.result();
      assert.match(details(v, 'paid-while-unpaid'), /PAID while the payment was unpaid/);
      return v;
    });
    assert.equal(view.status, PaymentStatus.Paid);
    assert.deepEqual(calls.notifications.map((n) => n.status), [PaymentStatus.Paid], 'the merchant is told');
  });

  test('finding 7: a FAILED or PENDING word while unpaid is recorded, not obeyed', async () => {
    const { activities } = scriptedActivities({ createUnreachable: true });
    await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('000'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await handle.signal(walletCallbackSignal, { ...paid, state: 'FAILED' });
      await handle.signal(walletCallbackSignal, { ...paid, state: 'PENDING' });
      const v = await handle.query(paymentQuery);
      assert.equal(v.status, PaymentStatus.Unpaid);
      assert.deepEqual(v.audit.filter((a) => a.kind === 'callback-while-unpaid').map((a) => a.detail), ['recorded a FAILED callback while unpaid', 'recorded a PENDING callback while unpaid']);
      await handle.terminate();
    });
  });

  test('a wallet refusal (not an OVO number) → failed (8) at once', async () => {
    const { activities } = scriptedActivities({ createRejects: 'billingPhone is not an OVO account' });
    await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('000'));
      const outcome = await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      assert.equal(outcome.status, PaymentStatus.Failed);
      assert.equal((await handle.result()).failureReason, 'billingPhone is not an OVO account');
    });
  });

  // Registration's idempotency by content is the API's (a plain start and the memo): test/e2e/result-codes.test.ts.
  // A paid payment closes at once; the API answers a payment call on it (test/e2e/result-codes.test.ts).
  test('a final payment, open in its settlement window, refuses another submission', async () => {
    const { activities } = scriptedActivities({ status: { state: 'PENDING' } });
    await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('002'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await suite.env.sleep('70 seconds'); // the push window ends, the payment is expired and in its settlement window
      assert.equal((await handle.query(paymentQuery)).status, PaymentStatus.Expired);
      await assert.rejects(handle.executeUpdate(submitPaymentUpdate, { args: [submission()] }), (err: unknown) => err instanceof WorkflowUpdateFailedError && /already expired/.test(String(err.cause?.message)));
      await handle.terminate();
    });
  });

  test('notifications: retried with backoff for over 24 h (first retry within 10 s, never an hour apart), every attempt recorded', async () => {
    const { activities } = scriptedActivities({ merchantAnswers: [503] });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('001', {}, { notifyRetryHours: 25, settlementWindowSeconds: 60 }));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await handle.signal(walletCallbackSignal, { state: 'FAILED', amount: 15_000, providerRef: 'OVO-1', reason: 'declined' });
      return handle.result();
    });
    const record = view.notifications[0];
    assert.ok(record);
    assert.equal(record.state, 'gave-up');
    const times = record.attempts.map((a) => Date.parse(a.at));
    const gaps = times.slice(1).map((t, i) => (t - (times[i] ?? t)) / 1000);
    assert.ok((gaps[0] ?? Infinity) <= 10, `first retry after ${gaps[0]} s`);
    assert.ok(Math.max(...gaps) <= 3600, `largest gap ${Math.max(...gaps)} s`);
    const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 3_600_000;
    assert.ok(span >= 24, `retried for ${span.toFixed(1)} h`);
    assert.ok(record.attempts.every((a) => a.httpStatus === 503 && /503/.test(a.error ?? '')));
  });

  test('notifications: a merchant that recovers gets it once delivered, then no more attempts', async () => {
    const { activities, calls } = scriptedActivities({ merchantAnswers: [500, 502, 200] });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, ovoPaymentInput('000'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await handle.signal(walletCallbackSignal, paid);
      return handle.result();
    });
    assert.equal(view.notifications[0]?.state, 'delivered');
    assert.deepEqual(view.notifications[0]?.attempts.map((a) => a.httpStatus), [500, 502, 200]);
    assert.equal(calls.notifications.length, 3);
  });
});
