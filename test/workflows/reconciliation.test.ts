import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { createActivities, type Activities } from '../../activities/index.js';
import { loadConfig } from '../../domain/config.js';
import { MerchantDirectory } from '../../domain/merchants.js';
import { ReconciliationNotConfigured, type ReconciliationReport } from '../../domain/reconciliation.js';
import { buildWalletRegistry } from '../../workers/wallets.js';
import type { ReconciliationInput, reconciliationWorkflow } from '../../workflows/reconciliation.js';
import { scriptedActivities } from '../support/scripted-activities.js';
import { WorkflowSuite } from '../support/workflow-env.js';

const HOUR = 3_600_000;

/** The scripted activities with the reconciliation played by a fixed report, recording the windows it was asked. */
function reconciliationActivities(report: Partial<ReconciliationReport> = {}) {
  const windows: { from: string; to: string }[] = [];
  const activities: Activities = {
    ...scriptedActivities({}).activities,
    async reconcileWindow(window) {
      windows.push(window);
      return { from: window.from, to: window.to, checked: 0, pending: 0, matched: 0, differences: [], ...report };
    },
  };
  return { activities, windows };
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

  test('the window is [now − lookback, now − margin) by the workflow clock; the activity compares it and its report is the result', async () => {
    const differences = [{ tXid: 'TX-EXPIRED', mitraCd: 'OVOE', problem: 'charged-but-not-paid' as const, wallet: { charges: 1, charged: 15000, refunded: 0 }, detail: 'charged' }];
    const { activities, windows } = reconciliationActivities({ checked: 4, pending: 1, matched: 2, differences });
    const { report, startedAt } = await run(activities, { lookbackHours: 25, settleMarginMinutes: 60 });
    const [window] = windows;
    assert.ok(window);
    assert.equal(windows.length, 1, "one activity: the day's payments never enter history");
    assert.equal(Date.parse(window.to) - Date.parse(window.from), 24 * HOUR);
    assert.ok(Math.abs(Date.parse(window.to) - (startedAt - HOUR)) < 5_000, `to ${window.to} is an hour before the start ${new Date(startedAt).toISOString()}`);
    assert.deepEqual(report, { from: window.from, to: window.to, checked: 4, pending: 1, matched: 2, differences });
  });

  test('without a margin given, the last 60 minutes are left to settle', async () => {
    const { activities, windows } = reconciliationActivities();
    const { startedAt } = await run(activities, { lookbackHours: 3 });
    const [window] = windows;
    assert.ok(window);
    assert.equal(Date.parse(window.to) - Date.parse(window.from), 2 * HOUR);
    assert.ok(Math.abs(Date.parse(window.to) - (startedAt - HOUR)) < 5_000);
  });

  test('a window that is not one (margin ≥ lookback) fails the run at once', async () => {
    const { activities, windows } = reconciliationActivities();
    await assert.rejects(run(activities, { lookbackHours: 1, settleMarginMinutes: 60 }), (err) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.match(String(err.cause?.message), /invalid reconciliation window/);
      return true;
    });
    assert.deepEqual(windows, []);
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
