/**
 * `node --import tsx bench/reconciliation.ts [--payments N] [--label NAME]`: what the daily reconciliation's activity
 * (activities/reconciliation.ts `reconcileWindow`) costs for a day of N payments (50 000): wall time, peak heap and
 * RSS, and the report's counts. Visibility is played by a generator that makes each listed payment as it is asked
 * (as the server's pages would arrive) and the wallets' ledger by an in-memory list; 1 in 100 payments is planted
 * with a difference, so the report's figures are checked by the run itself. It measures the comparison, not the
 * Temporal server's visibility store: that cost is the server's list API, a page of 1 000 at a time.
 * Figures, never assertions: bench/README.md ("Reconciliation") has the latest ones.
 */
import { TypedSearchAttributes } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createReconciliationActivities } from '../activities/reconciliation.js';
import { PaymentStatus } from '../domain/payment-status.js';
import type { ReconciliationReport, WalletLedgerEntry } from '../domain/reconciliation.js';
import { paymentWorkflowId } from '../domain/tx-id.js';
import { PaymentSearch } from '../workflows/search-attributes.js';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const total = Number(option('--payments') ?? 50_000);
const label = option('--label') ?? 'reconciliation';

const window = { from: '2026-12-05T17:00:00.000Z', to: '2026-12-06T17:00:00.000Z' };
const from = Date.parse(window.from);
const tXidOf = (i: number) => `IONPAYTEST0500000000${String(i).padStart(10, '0')}`;
/** Every 100th payment is paid at the gateway but never charged at the wallet: the planted differences. */
const planted = (i: number) => i % 100 === 0;
const at = (i: number) => new Date(from + Math.floor((i / total) * 23 * 3_600_000)).toISOString();

const ledger: WalletLedgerEntry[] = [];
for (let i = 0; i < total; i++) {
  if (!planted(i)) ledger.push({ wallet: 'OVO', mitraCd: 'OVOE', type: 'charge', merchantInvoice: tXidOf(i), amount: 15_000, at: at(i) });
}

const client = {
  options: { namespace: 'default' },
  workflow: {
    // A sync generator is iterated by `for await` as well: each payment is made when the activity asks for it.
    list: () =>
      (function* () {
        for (let i = 0; i < total; i++) {
          // Sampled here, on the activity's own path: the comparison never yields to a timer.
          if (i % 500 === 0) sample();
          yield {
            type: 'paymentWorkflow',
            workflowId: paymentWorkflowId(tXidOf(i)),
            status: { name: 'COMPLETED' },
            startTime: new Date(at(i)),
            typedSearchAttributes: new TypedSearchAttributes([
              { key: PaymentSearch.tXid, value: tXidOf(i) },
              { key: PaymentSearch.iMid, value: 'IONPAYTEST' },
              { key: PaymentSearch.mitraCd, value: 'OVOE' },
              { key: PaymentSearch.paymentStatus, value: PaymentStatus.Paid },
              { key: PaymentSearch.amt, value: 15_000 },
              { key: PaymentSearch.cancelAmt, value: 0 },
            ]),
          };
        }
      })(),
    getHandle: () => ({ describe: () => Promise.reject(new Error('no stray expected')) }),
  },
} as unknown as Client;

const activities = createReconciliationActivities({ client, ledger: { entries: () => Promise.resolve(ledger) } });
global.gc?.();
const baseline = process.memoryUsage();
let peakHeap = baseline.heapUsed;
let peakRss = baseline.rss;
function sample(): void {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
}
const started = performance.now();
const runActivity = (): Promise<ReconciliationReport> => new MockActivityEnvironment().run(() => activities.reconcileWindow(window));
const report = await runActivity();
const ms = performance.now() - started;
sample();
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const expected = Math.ceil(total / 100);
console.log(`${label}: ${total} payments (${ledger.length} ledger entries) reconciled in ${Math.round(ms)} ms (${Math.round(total / (ms / 1000))} payments/s)`);
console.log(`  report: checked ${report.checked}, pending ${report.pending}, matched ${report.matched}, differences ${report.differences.length} (planted ${expected}: ${report.differences.length === expected && report.matched === total - expected ? 'all found, nothing else' : 'MISMATCH'})`);
console.log(`  heap: ${mib(baseline.heapUsed)} MiB before, peak ${mib(peakHeap)} MiB; RSS peak ${mib(peakRss)} MiB; the report's JSON ${mib(JSON.stringify(report).length)} MiB`);
