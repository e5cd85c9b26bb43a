import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { paymentWorkflowId } from '../../domain/tx-id.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { waitFor } from '../support/nicepay-client.js';

/**
 * CONTRACT §3: a tXid is unique for all time. Once a finished payment's workflow has left Temporal's storage
 * (retention, or an operator's delete), its referenceNo may be registered again: that is a new transaction with a
 * new tXid, and the wallet never hears the earlier tXid for it.
 */
describe('a referenceNo registered again after its transaction left storage', () => {
  const e2e = useE2eStack();

  test('gets a new tXid; the wallet charges the new one once; the earlier tXid is unknown', async () => {
    const referenceNo = `ORD-REUSE-${randomUUID().slice(0, 8)}`;
    const phone = '081234560000';
    const first = await e2e.client.register(phone, { referenceNo });
    assert.equal(first.resultCd, '0000', first.resultMsg);
    assert.equal((await e2e.client.register(phone, { referenceNo })).tXid, first.tXid, 'idempotent while the transaction is kept');
    assert.equal((await e2e.client.payJson(first)).resultCd, '0000');
    await e2e.stack.notified(first.tXid ?? '', '0');

    const workflowId = paymentWorkflowId(first.tXid ?? '');
    await e2e.stack.client.workflowService.deleteWorkflowExecution({ namespace: e2e.stack.env.namespace ?? 'default', workflowExecution: { workflowId } });
    // The payment has closed (paid and notified); the server deletes a closed execution in the background (about
    // 30 s on the dev server).
    await waitFor(
      () => e2e.stack.client.workflow.getHandle(workflowId).describe().then(() => false, (err: unknown) => err instanceof WorkflowNotFoundError),
      'the workflow to be deleted',
      60_000,
    );

    const again = await e2e.client.register(phone, { referenceNo });
    assert.equal(again.resultCd, '0000', again.resultMsg);
    assert.notEqual(again.tXid, first.tXid, 'a new transaction, a new tXid');
    assert.equal(paymentWorkflowId(again.tXid ?? ''), workflowId, 'on the same registration key');
    assert.equal((await e2e.client.payJson(again)).resultCd, '0000');
    await e2e.stack.notified(again.tXid ?? '', '0');

    assert.deepEqual((await e2e.stack.ledger(again.tXid ?? '')).map((e) => [e.type, e.amount]), [['charge', 15000]], 'the wallet charged the new tXid');
    assert.deepEqual((await e2e.stack.ledger(first.tXid ?? '')).map((e) => [e.type, e.amount]), [['charge', 15000]], 'the earlier charge is untouched');
    const old = await e2e.client.inquire(first);
    assert.equal(old.resultCd, '8004', 'the earlier tXid does not name the new transaction');
    assert.equal((await e2e.client.cancel(first, '1', 15000)).resultCd, '8004', 'nor can it refund it');
    assert.deepEqual((await e2e.stack.ledger(again.tXid ?? '')).map((e) => e.type), ['charge']);
  });
});
