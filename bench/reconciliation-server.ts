/**
 * `node --expose-gc --import tsx bench/reconciliation-server.ts [--payments N] [--concurrency C]`: the daily
 * reconciliation's activity against a real Temporal dev server (SQLite in a file with `npm start`'s pragmas) holding
 * N payment workflows (50 000). The payments are started as the API starts them (their search attributes at start,
 * here with their final status already); no worker runs, so nothing but visibility can answer. 1 in 100 is planted
 * with a difference (paid at the gateway, never charged), 1 in 100 has a refund workflow after its close (refunded in
 * full: its status and cancelAmt only there). Figures, never assertions: bench/README.md ("Reconciliation").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment, TestWorkflowEnvironment } from '@temporalio/testing';
import { createReconciliationActivities } from '../activities/reconciliation.js';
import { PaymentStatus } from '../domain/payment-status.js';
import type { ReconciliationReport, WalletLedgerEntry } from '../domain/reconciliation.js';
import { newTxId, paymentWorkflowId, refundWorkflowId } from '../domain/tx-id.js';
import { sqlitePragmaFlags } from '../scripts/dev-server.js';
import { resolveTemporalCli } from '../scripts/temporal-binaries.js';
import { paymentAttributes, searchAttributeFlags } from '../workflows/search-attributes.js';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const total = Number(option('--payments') ?? 50_000);
const concurrency = Number(option('--concurrency') ?? 64);

const dir = mkdtempSync(join(tmpdir(), 'reconciliation-bench-'));
const env = await TestWorkflowEnvironment.createLocal({
  server: { executable: { type: 'existing-path', path: await resolveTemporalCli() }, ip: '127.0.0.1', dbFilename: join(dir, 'temporal.db'), extraArgs: ['--log-level', 'error', ...sqlitePragmaFlags(), ...searchAttributeFlags()] },
});
const { client } = env;
const planted = (i: number) => i % 100 === 0;
const refundedAfterClose = (i: number) => i % 100 === 1;
const from = new Date(Date.now() - 60_000);
const ledger: WalletLedgerEntry[] = [];
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

try {
  const startedAt = performance.now();
  let next = 0;
  async function starter(): Promise<void> {
    for (let i = next++; i < total; i = next++) {
      const referenceNo = `BENCH-${i}`;
      const tXid = newTxId('IONPAYTEST', referenceNo, new Date());
      const attributes = (status: number, cancelAmt: number) => paymentAttributes({ tXid, referenceNo, iMid: 'IONPAYTEST', mitraCd: 'OVOE', amt: 15_000, status, cancelAmt, statusAt: new Date() });
      // No worker: the input is never read, only the search attributes are.
      await client.workflow.start('paymentWorkflow', { taskQueue: 'no-worker', workflowId: paymentWorkflowId(tXid), args: [{ tXid }], typedSearchAttributes: attributes(PaymentStatus.Paid, 0) });
      if (refundedAfterClose(i)) {
        await client.workflow.start('refundWorkflow', { taskQueue: 'no-worker', workflowId: refundWorkflowId(tXid), args: [{ tXid }], typedSearchAttributes: attributes(PaymentStatus.Refund, 15_000) });
      }
      const at = new Date().toISOString();
      if (!planted(i)) ledger.push({ wallet: 'OVO', mitraCd: 'OVOE', type: 'charge', merchantInvoice: tXid, amount: 15_000, at });
      if (refundedAfterClose(i)) ledger.push({ wallet: 'OVO', mitraCd: 'OVOE', type: 'refund', merchantInvoice: tXid, amount: 15_000, at });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, starter));
  const startSeconds = (performance.now() - startedAt) / 1000;
  console.log(`started ${total} payment workflows (+${Math.ceil(total / 100)} refund workflows) in ${startSeconds.toFixed(0)} s (${Math.round(total / startSeconds)}/s, concurrency ${concurrency})`);

  const window = { from: from.toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
  const query = `WorkflowType = 'paymentWorkflow' AND StartTime >= '${window.from}'`;
  for (let seen = 0; seen < total; ) {
    seen = (await client.workflow.count(query)).count;
    if (seen < total) await new Promise((r) => setTimeout(r, 500));
  }

  const activities = createReconciliationActivities({ client, ledger: { entries: () => Promise.resolve(ledger) } });
  global.gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 50);
  const began = performance.now();
  const report: ReconciliationReport = await new MockActivityEnvironment().run(() => activities.reconcileWindow(window));
  const ms = performance.now() - began;
  clearInterval(sampler);
  const expected = Math.ceil(total / 100);
  console.log(`reconciled ${report.checked} payments against a real server in ${(ms / 1000).toFixed(1)} s (${Math.round(report.checked / (ms / 1000))} payments/s)`);
  console.log(`  report: matched ${report.matched}, pending ${report.pending}, differences ${report.differences.length} (planted ${expected}: ${report.differences.length === expected && report.matched === total - expected ? 'all found, nothing else' : 'MISMATCH'})`);
  console.log(`  heap ${mib(before.heapUsed)} → peak ${mib(peakHeap)} MiB; RSS peak ${mib(peakRss)} MiB; report JSON ${mib(JSON.stringify(report).length)} MiB`);
} finally {
  await env.teardown();
  rmSync(dir, { recursive: true, force: true });
}
