/**
 * `node --import tsx bench/open-workflows.ts [--payments N] [--workflows PATH] [--label NAME]`: how many workflows are
 * open after a simulated day of traffic, with the production windows (settlement 1 day, refunds 30 days, merchant
 * notifications 48 h). N payments (2 400) arrive evenly over 24 hours on the time-skipping test server: 90 % paid by
 * the wallet's callback, 5 % declined, 5 % never submitted (they expire after an hour); 5 % of the paid are partly
 * refunded an hour later, and 1 % of all payments on day 2, after their payment closed. Open workflows are counted by
 * describing each one, at the end of the day and at the end of the next two.
 *
 * `--workflows` bundles another tree's `workflows/index.ts` (an earlier commit, checked out with `git worktree`), so
 * the same traffic measures the gateway before a change and after it. Figures, never assertions: bench/README.md.
 */
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { statusName } from '../domain/payment-status.js';
import { refundWorkflowId } from '../domain/tx-id.js';
import { paymentMetricsSinks } from '../platform/metrics.js';
import { resolveTestServer } from '../scripts/temporal-binaries.js';
import { cancelUpdate, paymentQuery, submitPaymentUpdate, walletCallbackSignal, type CancelRequest, type PaymentView } from '../workflows/messages.js';
import { bundlerOptions, workflowsPath as ourWorkflows } from '../workers/bundle.js';
import { ovoPaymentInput, submission } from '../test/support/payment-input.js';
import { scriptedActivities } from '../test/support/scripted-activities.js';
import { quietLogger } from '../test/support/workflow-env.js';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const total = Number(option('--payments') ?? 2_400);
const workflowsPath = option('--workflows') ?? ourWorkflows;
const label = option('--label') ?? 'open-workflows';
const perHour = Math.ceil(total / 24);

Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } } });
const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: await resolveTestServer() } } });
const bundle = await bundleWorkflowCode({ workflowsPath, ...bundlerOptions, logger: quietLogger });
const taskQueue = `open-workflows-${randomUUID()}`;
const { activities, calls } = scriptedActivities({});
const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities, sinks: paymentMetricsSinks(), maxCachedWorkflows: 1_000 });

const payments: WorkflowHandle[] = [];
const refundsAfterClose: string[] = [];
const partial = (amount: number): CancelRequest => ({ key: randomUUID(), cancelType: 'partial', amount, reason: 'one item returned' });

/** A refund as the API makes it: to the payment while it is open, else to its refund workflow (started once). */
async function refund(handle: WorkflowHandle, amount: number): Promise<void> {
  try {
    await handle.executeUpdate(cancelUpdate, { args: [partial(amount)] });
    return;
  } catch {
    // closed: on to the refund workflow, with the payment's result
  }
  const closed = (await handle.result()) as PaymentView;
  const refunds = await env.client.workflow.start('refundWorkflow', { taskQueue, workflowId: refundWorkflowId(closed.tXid), args: [{ payment: closed, searchable: false }] });
  await refunds.executeUpdate(cancelUpdate, { args: [partial(amount)] });
  refundsAfterClose.push(refunds.workflowId);
}

async function openCount(): Promise<{ payments: number; refunds: number }> {
  let open = 0;
  for (const h of payments) if ((await h.describe()).status.name === 'RUNNING') open++;
  let refunds = 0;
  for (const id of refundsAfterClose) if ((await env.client.workflow.getHandle(id).describe()).status.name === 'RUNNING') refunds++;
  return { payments: open, refunds };
}

const started = Date.now();
const counts: string[] = [];
// The test server is a child process: stopped however the run ends.
try {
  await worker.runUntil(async () => {
    let n = 0;
    const refundNextHour: WorkflowHandle[] = [];
    for (let hour = 0; hour < 24; hour++) {
      for (const h of refundNextHour.splice(0)) await refund(h, 1_000);
      for (let i = 0; i < perHour && n < total; i++, n++) {
        // The server's clock is days ahead of this process's: registration and submission are stamped with it.
        const now = new Date(await env.currentTimeMs()).toISOString();
        const input = { ...ovoPaymentInput('000'), registeredAt: now };
        const handle = await env.client.workflow.start('paymentWorkflow', { taskQueue, workflowId: `payment-${input.tXid}`, args: [input] });
        payments.push(handle);
        const kind = n % 20; // 18 paid, 1 declined, 1 never submitted
        if (kind === 19) continue;
        await handle.executeUpdate(submitPaymentUpdate, { args: [submission({ submittedAt: now })] });
        await handle.signal(walletCallbackSignal, kind === 18 ? { state: 'FAILED', amount: 15_000, providerRef: `W-${n}`, reason: 'declined' } : { state: 'PAID', amount: 15_000, providerRef: `W-${n}` });
        if (kind === 0) refundNextHour.push(handle);
      }
      await env.sleep('1 hour');
    }
    const day = await openCount();
    counts.push(`after the day: ${day.payments} payment workflows open, ${day.refunds} refund workflows`);
    for (let d = 2; d <= 3; d++) {
      await env.sleep('1 day');
      const later = await openCount();
      counts.push(`day ${d}: ${later.payments} payment workflows open, ${later.refunds} refund workflows`);
      // On day 2, 1 in 100 payments is refunded (a return), after its payment closed: on its refund workflow.
      if (d === 2) for (const [i, h] of payments.entries()) if (i % 100 === 1) await refund(h, 2_000);
    }
    const refunded = refundsAfterClose[0];
    const sample = refunded ? await env.client.workflow.getHandle(refunded).query(paymentQuery) : undefined;
    counts.push(`a payment refunded after its close reads ${sample ? `${statusName[sample.status]}/${sample.cancelAmt}` : '(none was closed)'}`);
  });
} finally {
  await env.teardown();
}

console.log(`${label}: ${total} payments over a simulated day (${workflowsPath})`);
for (const line of counts) console.log(`  ${line}`);
console.log(`  wallet refunds made: ${calls.refunds.length}; merchant notifications: ${calls.notifications.length}; wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
