import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createReconciliationActivities } from '../../activities/reconciliation.js';
import { SandboxLedgerSource } from '../../activities/wallet-ledger.js';
import { ReconciliationClient } from '../../api/reconciliation-client.js';
import { paymentWorkflowId } from '../../domain/tx-id.js';
import { bundlerOptions, workflowsPath } from '../../workers/bundle.js';
import { ensureReconciliationSchedule, RECONCILIATION_SCHEDULE_ID, runReconciliationNow } from '../../workers/schedules.js';
import type { reconciliationWorkflow } from '../../workflows/reconciliation.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { quietLogger } from '../support/workflow-env.js';
import { waitFor, type Reply } from '../support/nicepay-client.js';
import { SnapDirectDebitTestClient } from '../support/sandbox-redirect-harness.js';

/**
 * The daily reconciliation over the real stack: payments made through the API, the sandbox wallets' ledger, the
 * dev server's visibility (SQLite). The stack's own worker does not run reconciliation activities, so this suite
 * runs its own worker on a task queue of its own, with only those.
 */
describe('reconciliation end to end', () => {
  // Short settlement and refund windows, so the final payments' workflows complete and are read from their results.
  const e2e = useE2eStack({ SETTLEMENT_WINDOW_SECONDS: '12', REFUND_WINDOW_SECONDS: '20' });
  const taskQueue = `reconciliation-e2e-${randomUUID()}`;
  let bundle: WorkflowBundleWithSourceMap | undefined;

  before(async () => {
    bundle = await bundleWorkflowCode({ workflowsPath, ...bundlerOptions, logger: quietLogger });
  });

  /** Runs `body` while a worker serves reconciliation on the suite's task queue. */
  async function withReconciliationWorker<T>(body: () => Promise<T>): Promise<T> {
    if (!bundle) throw new Error('workflow bundle not built');
    const { env, sandbox, client, dataConverter, config } = e2e.stack;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: bundle,
      dataConverter,
      // As workers/main.ts: the sandbox's ledger names mapped to the configured wallets' mitraCds.
      activities: createReconciliationActivities({ client, ledger: new SandboxLedgerSource(sandbox.baseUrl, config.wallets.map((w) => w.module)) }),
    });
    return worker.runUntil(body());
  }

  async function pay(mitraCd: string, magic: string): Promise<Reply> {
    const reg = await e2e.client.register(`08120000${magic.padStart(4, '0')}`, { mitraCd });
    assert.equal(reg.resultCd, '0000', `${mitraCd} ${magic}: ${reg.resultMsg}`);
    const paid = await e2e.client.payJson(reg);
    assert.equal(paid.resultCd, '0000', `${mitraCd} ${magic}: ${paid.resultMsg}`);
    return reg;
  }

  test('payments made through the API match the ledgers; a charge the gateway never made is the one difference', async () => {
    const [ovoPaid, danaPaid, shopeeFailed, linkLateRefunded] = await Promise.all([pay('OVOE', '000'), pay('DANA', '000'), pay('ESHP', '001'), pay('LINK', '006')]);
    const unpaid = await e2e.client.register('081200000000', { mitraCd: 'OVOE' }); // registered, never paid: pending
    assert.equal(unpaid.resultCd, '0000');
    const voided = await e2e.client.register('081200000000', { mitraCd: 'DANA' }); // cancelled before paying: void (1)
    assert.equal((await e2e.client.cancel(voided, '1', 15000)).resultCd, '0000');

    // A charge at OVO for an invoice the gateway never issued (the customer 000 approves by itself).
    const stranger = `NOT-A-TXID-${randomUUID().slice(0, 8)}`;
    const ovo = new SnapDirectDebitTestClient(e2e.stack.sandbox.baseUrl, 'ovo');
    const created = await ovo.call('/payment-host-to-host', ovo.order({ tXid: stranger, phone: '081200000000', amount: 12345, remark: 'stray' }));
    assert.equal(created.body.responseCode, '2025400', JSON.stringify(created.body));

    await Promise.all([
      e2e.stack.notified(ovoPaid.tXid ?? '', '0'),
      e2e.stack.notified(danaPaid.tXid ?? '', '0'),
      e2e.stack.notified(shopeeFailed.tXid ?? '', '8'),
      waitFor(() => e2e.stack.merchant.for(linkLateRefunded.tXid ?? '').find((n) => n.fields.status === '5' && n.fields.cancelAmt === '15000'), 'LINK 006 refund notification', 30_000),
      waitFor(async () => (await e2e.stack.ledger(stranger)).length === 1, 'the stray charge in the ledger'),
    ]);
    // Refunds: a partial one (stays paid, cancelAmt 5000) and a full one (refunded, 2).
    const partial = await e2e.client.cancel(ovoPaid, '2', 5000);
    assert.deepEqual([partial.resultCd, partial.status, partial.cancelAmt], ['0000', '0', '5000'], JSON.stringify(partial));
    const full = await e2e.client.cancel(danaPaid, '1', 15000);
    assert.deepEqual([full.resultCd, full.status], ['0000', '2'], JSON.stringify(full));

    // The final ones close after their settlement window: then they are read from their results, the pending one by query.
    const final = [ovoPaid, danaPaid, shopeeFailed, linkLateRefunded, voided];
    await Promise.all(final.map((r) => e2e.stack.client.workflow.getHandle(paymentWorkflowId(r.tXid ?? '')).result()));

    const report = await withReconciliationWorker(() => runReconciliationNow(e2e.stack.client, taskQueue, 1, { settleMarginMinutes: 0 }));
    assert.deepEqual(report.differences, [
      {
        tXid: stranger,
        mitraCd: 'OVOE',
        problem: 'unknown-to-gateway',
        wallet: { charged: 12345, refunded: 0, charges: 1 },
        detail: 'OVO charged 12345 for a transaction the gateway has no payment of at this wallet',
      },
    ]);
    assert.deepEqual([report.checked, report.pending, report.matched], [6, 1, 5]);
    assert.ok(Date.parse(report.to) - Date.parse(report.from) === 3_600_000);

    // Operators read the same report back.
    assert.deepEqual(await new ReconciliationClient(e2e.stack.client, taskQueue).latest(), report);
  });

  test('the daily schedule: 02:00 WIB, overlaps skipped, created once and updated after; triggered, it reports on its window', async () => {
    const client = e2e.stack.client;
    assert.equal(await ensureReconciliationSchedule(client, { taskQueue }), 'created');
    assert.equal(await ensureReconciliationSchedule(client, { taskQueue, hourWib: 3 }), 'updated');
    const handle = client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID);
    const described = await handle.describe();
    assert.equal(described.spec.timezone, 'Asia/Jakarta');
    assert.deepEqual(
      described.spec.calendars?.map((c) => [c.hour, c.minute]),
      [[[{ start: 3, end: 3, step: 1 }], [{ start: 0, end: 0, step: 1 }]]],
    );
    assert.equal(described.policies.overlap, 'SKIP');
    assert.equal(described.action.type, 'startWorkflow');
    assert.equal(described.action.workflowType, 'reconciliationWorkflow');
    assert.equal(described.action.workflowId, 'reconciliation');
    assert.equal(described.action.taskQueue, taskQueue);
    assert.deepEqual(described.action.args, [{ lookbackHours: 25, settleMarginMinutes: 60 }]);
    // 03:00 WIB is 20:00 UTC.
    assert.ok(described.info.nextActionTimes.every((t) => t.getUTCHours() === 20 && t.getUTCMinutes() === 0), String(described.info.nextActionTimes));

    const report = await withReconciliationWorker(async () => {
      await handle.trigger();
      const started = await waitFor(async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId, 'the triggered run');
      assert.match(started, /^reconciliation-/);
      return client.workflow.getHandle<typeof reconciliationWorkflow>(started).result();
    });
    // Its window ends an hour ago: the payments and the stray charge of a moment ago are the next days' business.
    assert.deepEqual([report.checked, report.pending, report.matched, report.differences], [0, 0, 0, []]);
    assert.equal(Date.parse(report.to) - Date.parse(report.from), 24 * 3_600_000);
    assert.deepEqual(await new ReconciliationClient(client, taskQueue).latest(), report, 'the newest run is the latest');
    await handle.delete();
  });
});
