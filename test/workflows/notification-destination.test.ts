/**
 * Notification destinations (issue 22, finding 9) as the workflow sees them: the real notifyMerchant activity in
 * production mode, the merchant's host resolving (through a fake resolver) to a private address. Each refused
 * attempt is recorded like any failed delivery, with the reason, and retried until the lane gives up. No connection
 * is ever attempted: the resolver's answer is refused before any socket connects.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { createNotifyActivities } from '../../activities/notify-merchant.js';
import { MerchantDirectory, sandboxMerchant } from '../../domain/merchants.js';
import { submitPaymentUpdate, walletCallbackSignal } from '../../workflows/messages.js';
import { ovoPaymentInput, submission } from '../support/payment-input.js';
import { scriptedActivities } from '../support/scripted-activities.js';
import { WorkflowSuite } from '../support/workflow-env.js';

describe('notification destinations in the payment workflow', () => {
  const suite = WorkflowSuite.forEachTest();

  test('production: a dbProcessUrl resolving to a private address gets failed attempts naming it, recorded and retried, never delivered', async () => {
    const asked: string[] = [];
    const resolve = (hostname: string): Promise<readonly LookupAddress[]> => {
      asked.push(hostname);
      return Promise.resolve([{ address: '10.0.0.5', family: 4 }]);
    };
    const { activities } = scriptedActivities({});
    const real = createNotifyActivities(new MerchantDirectory([sandboxMerchant]), { mode: 'production', resolve });
    const view = await suite.withWorker({ ...activities, notifyMerchant: (n) => real.notifyMerchant(n) }, async (tq) => {
      // ovoPaymentInput notifies http://merchant.example/notify.
      const handle = await suite.startPayment(tq, ovoPaymentInput('001', {}, { notifyRetryHours: 1, settlementWindowSeconds: 60 }));
      await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      await handle.signal(walletCallbackSignal, { state: 'FAILED', amount: 15_000, providerRef: 'OVO-1', reason: 'declined' });
      return handle.result();
    });
    const record = view.notifications[0];
    assert.ok(record);
    assert.equal(record.state, 'gave-up');
    assert.ok(record.attempts.length > 1, `${record.attempts.length} attempts`);
    for (const a of record.attempts) {
      assert.equal(a.error, 'notification address 10.0.0.5 is not public (private, 10.0.0.0/8)');
      assert.equal(a.httpStatus, undefined);
    }
    assert.ok(asked.length >= record.attempts.length && asked.every((h) => h === 'merchant.example'));
  });
});
