import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { createActivities, type Activities } from '../../activities/index.js';
import { loadConfig } from '../../domain/config.js';
import { MerchantDirectory } from '../../domain/merchants.js';
import { PaymentStatus } from '../../domain/payment-status.js';
import { ReconciliationNotConfigured, type GatewayPaymentRecord, type WalletLedgerEntry } from '../../domain/reconciliation.js';
import { buildWalletRegistry } from '../../workers/wallets.js';
import type { ReconciliationInput, reconciliationWorkflow } from '../../workflows/reconciliation.js';
import { scriptedActivities } from '../support/scripted-activities.js';
import { WorkflowSuite } from '../support/workflow-env.js';

const HOUR = 3_600_000;

interface Recorded {
  lists: { from: string; to: string }[];
  ledgers: { from: string; to?: string; merchantInvoices?: readonly string[] }[];
  lookups: string[][];
}

/** The scripted activities with the reconciliation's three played from fixed data, recording what they were asked. */
function reconciliationActivities(data: {
  payments?: GatewayPaymentRecord[];
  ledger?: (range: { from: string; to?: string }) => WalletLedgerEntry[];
  earlier?: (tXids: readonly string[]) => GatewayPaymentRecord[];
}) {
  const recorded: Recorded = { lists: [], ledgers: [], lookups: [] };
  const activities: Activities = {
    ...scriptedActivities({}).activities,
    async listGatewayPayments(range) {
      recorded.lists.push(range);
      return data.payments ?? [];
    },
    async fetchWalletLedger(range) {
      recorded.ledgers.push(range);
      const wanted = range.merchantInvoices;
      return (data.ledger?.(range) ?? []).filter((e) => wanted === undefined || wanted.includes(e.merchantInvoice));
    },
    async lookupGatewayPayments({ tXids }) {
      recorded.lookups.push([...tXids]);
      return data.earlier?.(tXids) ?? [];
    },
  };
  return { activities, recorded };
}

describe('reconciliation workflow, on the time-skipping test server', () => {
  const suite = WorkflowSuite.forEachTest();

  async function run(activities: Activities, input: ReconciliationInput) {
    return suite.withWorker(activities, async (taskQueue) => {
      const handle = await suite.env.client.workflow.start<typeof reconciliationWorkflow>('reconciliationWorkflow', {
        taskQueue,
        workflowId: `reconciliation-test-${Date.now()}`,
        args: [input],
      });
      const report = await handle.result();
      const startedAt = (await handle.describe()).startTime.getTime();
      return { report, startedAt };
    });
  }

  test('the window is [now − lookback, now − margin) by the workflow clock; the ledger is read from `from` up to the read', async () => {
    const { activities, recorded } = reconciliationActivities({});
    const { report, startedAt } = await run(activities, { lookbackHours: 25, settleMarginMinutes: 60 });
    const [list] = recorded.lists;
    assert.ok(list);
    assert.equal(Date.parse(list.to) - Date.parse(list.from), 24 * HOUR);
    assert.ok(Math.abs(Date.parse(list.to) - (startedAt - HOUR)) < 5_000, `to ${list.to} is an hour before the start ${new Date(startedAt).toISOString()}`);
    assert.deepEqual(recorded.ledgers, [{ from: list.from }]);
    assert.deepEqual(recorded.lookups, [], 'nothing to look up');
    assert.deepEqual(report, { from: list.from, to: list.to, checked: 0, pending: 0, matched: 0, differences: [] });
  });

  test('without a margin given, the last 60 minutes are left to settle', async () => {
    const { activities, recorded } = reconciliationActivities({});
    const { startedAt } = await run(activities, { lookbackHours: 3 });
    const [list] = recorded.lists;
    assert.ok(list);
    assert.equal(Date.parse(list.to) - Date.parse(list.from), 2 * HOUR);
    assert.ok(Math.abs(Date.parse(list.to) - (startedAt - HOUR)) < 5_000);
  });

  test('returns the report: matches, pending, differences; an earlier payment with money in the window is looked up with its whole ledger', async () => {
    const base = { iMid: 'IONPAYTEST', mitraCd: 'OVOE', amt: 15000, cancelAmt: 0 } as const;
    const paid: GatewayPaymentRecord = { ...base, tXid: 'TX-PAID', status: PaymentStatus.Paid };
    const pending: GatewayPaymentRecord = { ...base, tXid: 'TX-PENDING', status: PaymentStatus.Processing };
    const expiredButCharged: GatewayPaymentRecord = { ...base, tXid: 'TX-EXPIRED', status: PaymentStatus.Expired };
    const at = (ms: number) => new Date(ms).toISOString();
    const { activities, recorded } = reconciliationActivities({
      payments: [paid, pending, expiredButCharged],
      ledger: (range) => {
        const from = Date.parse(range.from);
        if (range.to === undefined) {
          return [
            { wallet: 'OVO', mitraCd: 'OVOE', type: 'charge', merchantInvoice: 'TX-PAID', amount: 15000, at: at(from + HOUR) },
            { wallet: 'OVO', mitraCd: 'OVOE', type: 'charge', merchantInvoice: 'TX-EXPIRED', amount: 15000, at: at(from + HOUR) },
            { wallet: 'OVO', mitraCd: 'OVOE', type: 'refund', merchantInvoice: 'TX-EARLIER', amount: 15000, at: at(from + HOUR) },
            { wallet: 'OVO', mitraCd: 'OVOE', type: 'charge', merchantInvoice: 'NOT-OURS', amount: 9000, at: at(from + HOUR) },
            // After the window: a payment registered after it, left to the next run.
            { wallet: 'OVO', mitraCd: 'OVOE', type: 'charge', merchantInvoice: 'TX-NEXT-RUN', amount: 15000, at: at(from + 24.5 * HOUR) },
          ];
        }
        // The earlier payment's history before the window (and someone else's charge, which the activity leaves out).
        return [
          { wallet: 'OVO', mitraCd: 'OVOE', type: 'charge', merchantInvoice: 'TX-EARLIER', amount: 15000, at: at(from + 1000) },
          { wallet: 'OVO', mitraCd: 'OVOE', type: 'charge', merchantInvoice: 'SOMEONE-ELSE', amount: 1000, at: at(from + 2000) },
        ];
      },
      // TX-EARLIER was registered 3 hours before the window; NOT-OURS is no payment of the gateway.
      earlier: (tXids) =>
        tXids.includes('TX-EARLIER')
          ? [{ ...base, tXid: 'TX-EARLIER', status: PaymentStatus.Paid, cancelAmt: 15000, startedAt: at(Date.parse(recorded.lists[0]?.from ?? '') - 3 * HOUR) }]
          : [],
    });

    const { report } = await run(activities, { lookbackHours: 25, settleMarginMinutes: 60 });
    assert.deepEqual(recorded.lookups, [['TX-EARLIER', 'NOT-OURS']]);
    assert.equal(recorded.ledgers.length, 2);
    const from = recorded.lists[0]?.from ?? '';
    assert.deepEqual(recorded.ledgers[1], { from: at(Date.parse(from) - 3 * HOUR), to: from, merchantInvoices: ['TX-EARLIER'] });
    assert.equal(report.checked, 4);
    assert.equal(report.pending, 1);
    assert.equal(report.matched, 2, 'the paid one and the earlier refunded one');
    assert.deepEqual(
      report.differences.map((d) => [d.tXid, d.problem]),
      [
        ['TX-EXPIRED', 'charged-but-not-paid'],
        ['NOT-OURS', 'unknown-to-gateway'],
      ],
    );
  });

  test('a window that is not one (margin ≥ lookback) fails the run at once', async () => {
    const { activities, recorded } = reconciliationActivities({});
    await assert.rejects(run(activities, { lookbackHours: 1, settleMarginMinutes: 60 }), (err) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.match(String(err.cause?.message), /invalid reconciliation window/);
      return true;
    });
    assert.deepEqual(recorded.lists, []);
  });

  test('a worker without reconciliation deps fails the run at once, saying so', async () => {
    const config = loadConfig({});
    const activities = createActivities({
      wallets: buildWalletRegistry(config),
      merchants: new MerchantDirectory(config.merchants),
      publicBaseUrl: config.api.publicBaseUrl,
      pageSigningSecret: config.pageSigningSecret,
      accountTokenKey: config.accountLinks.tokenKey,
      mode: config.mode,
    });
    await assert.rejects(run(activities, { lookbackHours: 25 }), (err) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ActivityFailure);
      const failure = err.cause.cause;
      assert.ok(failure instanceof ApplicationFailure);
      assert.equal(failure.type, ReconciliationNotConfigured);
      assert.equal(failure.message, 'reconciliation is not configured on this worker');
      return true;
    });
  });
});
