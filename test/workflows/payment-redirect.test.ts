import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PaymentStatus } from '../../domain/payment-status.js';
import { paymentQuery, submitPaymentUpdate, walletCallbackSignal, type PaymentView } from '../../workflows/messages.js';
import { redirectPaymentInput, submission } from '../support/payment-input.js';
import { scriptedActivities } from '../support/scripted-activities.js';
import type { WalletStatusResult } from '../../activities/wallets/adapter.js';
import { WorkflowSuite } from '../support/workflow-env.js';

const at = (view: PaymentView, status: number) => Date.parse(view.history.find((h) => h.status === status)?.at ?? '');
const checkout = 'http://sandbox/dana/checkout/DANA1';

/** The same workflow serves redirect wallets: the checkout URL is the payment call's answer, the window is 15 min. */
describe('payment workflow, redirect wallets (DANA, ShopeePay, LinkAja)', () => {
  const suite = WorkflowSuite.forEachTest();

  for (const mitraCd of ['DANA', 'ESHP', 'LINK'] as const) {
    test(`${mitraCd}: the payment call answers the checkout URL; the wallet's callback makes it paid`, async () => {
      const { activities, calls } = scriptedActivities({ redirectUrl: checkout });
      const view = await suite.withWorker(activities, async (tq) => {
        const handle = await suite.startPayment(tq, redirectPaymentInput(mitraCd, '999'));
        const outcome = await handle.executeUpdate(submitPaymentUpdate, { args: [submission({ callBackUrl: 'http://shop/result' })] });
        assert.deepEqual([outcome.outcome, outcome.status, outcome.redirectUrl], ['accepted', PaymentStatus.Processing, checkout]);
        const again = await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
        assert.equal(again.redirectUrl, checkout, 'a reloaded payment call gets the same checkout');
        await handle.signal(walletCallbackSignal, { state: 'PAID', amount: 15_000, providerRef: 'W-1' });
        return handle.result();
      });
      assert.equal(view.status, PaymentStatus.Paid);
      assert.equal(view.redirectUrl, checkout);
      assert.equal(calls.create, 1);
      assert.deepEqual(calls.notifications.map((n) => n.status), [0]);
    });
  }

  test('nobody pays within the 15 min checkout window → checked, voided at the wallet, expired (5)', async () => {
    const { activities, calls } = scriptedActivities({ redirectUrl: checkout, status: { state: 'PENDING' } });
    const sub = submission();
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('DANA', '002'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [sub] });
      assert.equal((await handle.query(paymentQuery)).status, PaymentStatus.Processing);
      const result = await handle.result();
      await suite.maybeRecordHistory(handle, 'dana-002-expired-voided');
      return result;
    });
    const window = (at(view, PaymentStatus.Expired) - at(view, PaymentStatus.Processing)) / 1000;
    assert.ok(window >= 900 && window < 905, `expired after ${window} s`);
    assert.equal(calls.void, 1);
    assert.equal(view.status, PaymentStatus.Expired);
  });

  test('charged after the void, its notify lost (ShopeePay sends one): the last look before the close refunds it, the merchant told', async () => {
    let checks = 0;
    // Pending when the window ends; paid by the time the settlement window is over (magic 006, the callback lost).
    const status = (): WalletStatusResult => (++checks === 1 ? { state: 'PENDING' } : { state: 'PAID', amount: 15_000, providerRef: 'W-LATE' });
    const { activities, calls } = scriptedActivities({ redirectUrl: checkout, status });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('ESHP', '006'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      return handle.result();
    });
    assert.deepEqual([view.status, view.cancelAmt], [PaymentStatus.Expired, 15_000]);
    assert.deepEqual(calls.refunds, [{ amount: 15_000, idempotencyKey: `late-${view.tXid}` }]);
    assert.deepEqual(calls.notifications.map((n) => `${n.status}/${n.cancelAmt}`), ['5/0', '5/15000']);
    const lookedAt = Date.parse(view.audit.find((a) => a.kind === 'late-charge-refunded')?.at ?? '');
    assert.ok(lookedAt - at(view, PaymentStatus.Expired) >= 86_400_000, 'asked once the settlement window (a day) was over');
    assert.equal(checks, 2, 'once at the window, once before the close');
  });

  test('the customer cancels on the wallet page → failed (8), "cancelled by the customer"', async () => {
    const { activities, calls } = scriptedActivities({ redirectUrl: checkout });
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('LINK', '999'));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await handle.signal(walletCallbackSignal, { state: 'FAILED', amount: 15_000, providerRef: 'W-1', reason: 'cancelled by the customer' });
      return handle.result();
    });
    assert.equal(view.status, PaymentStatus.Failed);
    assert.equal(view.failureReason, 'cancelled by the customer');
    assert.deepEqual(calls.notifications.map((n) => n.status), [8]);
  });

  test('the checkout window is configuration (CHECKOUT_TIMEOUT_SECONDS)', async () => {
    const { activities } = scriptedActivities({ redirectUrl: checkout, status: { state: 'PENDING' } });
    const sub = submission();
    const view = await suite.withWorker(activities, async (tq) => {
      const handle = await suite.startPayment(tq, redirectPaymentInput('ESHP', '002', { checkoutSeconds: 120 }));
      await handle.executeUpdate(submitPaymentUpdate, { args: [sub] });
      return handle.result();
    });
    const window = (at(view, PaymentStatus.Expired) - at(view, PaymentStatus.Processing)) / 1000;
    assert.ok(window >= 120 && window < 125, `expired after ${window} s`);
  });
});
