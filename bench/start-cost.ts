/**
 * `node --import tsx bench/start-cost.ts [--count N] [--concurrency C] [--rounds R]`: what each part of a
 * registration's workflow start costs the Temporal server. On a fresh dev server (loopback, SQLite in WAL mode as
 * `npm start`, the payments' search attributes registered), through the API's connection (NativeConnection), N
 * starts per variant to a task queue nobody polls, C at a time: bare; with a registration-sized argument; with a
 * registration-sized memo; with the payment's eight search attributes; with all three, as a registration. Rounds
 * alternate the order, so a drift of the machine shows as a difference between rounds of the same variant.
 */
import { Client, type WorkflowStartOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { PaymentStatus } from '../domain/payment-status.js';
import { paymentAttributes, searchAttributeFlags } from '../workflows/search-attributes.js';
import { callMeasureOptions, withBareDevServer } from './bare-dev-server.js';
import { closedLoop, percentiles } from './load.js';
import { sampleGroup } from './process-stats.js';

const { count, concurrency, rounds } = callMeasureOptions();
/** About what a registration carries, encrypted: its facts as the argument and again as the memo. */
const facts = 'x'.repeat(700);

type Variant = 'bare' | 'argument' | 'memo' | 'search attributes' | 'all three';
const variants: Variant[] = ['bare', 'argument', 'memo', 'search attributes', 'all three'];

function options(variant: Variant, i: number): Partial<WorkflowStartOptions> {
  const attributes = paymentAttributes({ tXid: `TX${i}`, referenceNo: `ORD${i}`, iMid: 'IONPAYTEST', mitraCd: 'OVOE', amt: 10_000, status: PaymentStatus.Unpaid, cancelAmt: 0, statusAt: new Date() });
  switch (variant) {
    case 'bare':
      return {};
    case 'argument':
      return { args: [facts] };
    case 'memo':
      return { memo: { registration: facts } };
    case 'search attributes':
      return { typedSearchAttributes: attributes };
    case 'all three':
      return { args: [facts], memo: { registration: facts }, typedSearchAttributes: attributes };
  }
}

async function main(): Promise<void> {
  await withBareDevServer(searchAttributeFlags(), async ({ address, pid }) => {
    const connection = await NativeConnection.connect({ address });
    const client = new Client({ connection });
    const rows: string[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const variant of round % 2 === 1 ? variants : [...variants].reverse()) {
        const server0 = await sampleGroup(pid);
        const cpu0 = process.cpuUsage();
        const run = await closedLoop(concurrency, count, async (i) => {
          const t0 = performance.now();
          await client.workflow.start('benchIdle', { taskQueue: 'nobody-polls', workflowId: `start-cost-${round}-${variant}-${i}`, ...options(variant, i) });
          return performance.now() - t0;
        });
        const cpu = process.cpuUsage(cpu0);
        const serverCpu = (await sampleGroup(pid)).cpuSeconds - server0.cpuSeconds;
        if (run.errors.length > 0) throw new Error(`${variant}: ${run.errors.length} errors, first: ${run.errors[0] ?? ''}`);
        const p = percentiles(run.results);
        const perCall = (s: number): string => `${((s / count) * 1000).toFixed(2)} ms`;
        rows.push(`| ${round} | ${variant} | ${(count / run.seconds).toFixed(0)} | ${Math.round(p.p50)} / ${Math.round(p.p95)} / ${Math.round(p.p99)} | ${perCall((cpu.user + cpu.system) / 1e6)} | ${perCall(serverCpu)} |`);
      }
    }
    await connection.close();
    process.stdout.write(
      `${count} starts per row at concurrency ${concurrency}, dev server on loopback\n\n` +
        `| round | start with | starts/s | p50 / p95 / p99 ms | client CPU per start | server CPU per start |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
    );
  });
}

await main();
