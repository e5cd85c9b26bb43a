/**
 * `node --import tsx bench/client-connection.ts [--count N] [--concurrency C] [--rounds R]`: what the API's
 * connection to Temporal costs per call, for the two the TypeScript SDK has: the client package's `Connection`
 * (gRPC in JavaScript, @grpc/grpc-js) and the worker package's `NativeConnection` (gRPC in the SDK's Rust core).
 * On a fresh dev server (loopback, SQLite in WAL mode as `npm start`), each round and each connection:
 * N workflow starts (with a 1 KiB memo, to a task queue nobody polls: the server answers alone, as a registration)
 * and N describes of them (as an inquiry), C at a time. Prints calls/s, latency percentiles and the CPU seconds per
 * call of this process (the client side) and of the server. Rounds alternate the two, so a drift of the machine
 * shows as a difference between rounds of the same connection.
 */
import { Client, Connection, type ConnectionLike } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { callMeasureOptions, withBareDevServer } from './bare-dev-server.js';
import { closedLoop, percentiles } from './load.js';
import { sampleGroup } from './process-stats.js';

const { count, concurrency, rounds } = callMeasureOptions();
const memo = { registration: 'x'.repeat(1024) };

type Kind = 'Connection (grpc-js)' | 'NativeConnection (Rust core)';

async function open(kind: Kind, address: string): Promise<ConnectionLike & { close(): Promise<void> }> {
  return kind === 'NativeConnection (Rust core)' ? NativeConnection.connect({ address }) : Connection.connect({ address });
}

async function measure(kind: Kind, address: string, serverPid: number, round: number): Promise<string[]> {
  const connection = await open(kind, address);
  try {
    const client = new Client({ connection });
    const ids = Array.from({ length: count }, (_, i) => `conn-bench-${round}-${kind.startsWith('Native') ? 'n' : 'g'}-${i}`);
    const lines: string[] = [];
    for (const call of ['start', 'describe'] as const) {
      const server0 = await sampleGroup(serverPid);
      const cpu0 = process.cpuUsage();
      const run = await closedLoop(concurrency, count, async (i) => {
        const t0 = performance.now();
        const workflowId = ids[i] ?? '';
        if (call === 'start') await client.workflow.start('benchIdle', { taskQueue: 'nobody-polls', workflowId, memo });
        else await client.workflow.getHandle(workflowId).describe();
        return performance.now() - t0;
      });
      const cpu = process.cpuUsage(cpu0);
      const server = (await sampleGroup(serverPid)).cpuSeconds - server0.cpuSeconds;
      if (run.errors.length > 0) throw new Error(`${kind} ${call}: ${run.errors.length} errors, first: ${run.errors[0] ?? ''}`);
      const p = percentiles(run.results);
      const perCall = (s: number): string => `${((s / count) * 1000).toFixed(2)} ms`;
      lines.push(
        `| ${round} | ${kind} | ${call} | ${(count / run.seconds).toFixed(0)} | ${Math.round(p.p50)} / ${Math.round(p.p95)} / ${Math.round(p.p99)} | ${perCall((cpu.user + cpu.system) / 1e6)} | ${perCall(server)} |`,
      );
    }
    return lines;
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  await withBareDevServer([], async ({ address, pid }) => {
    const rows: string[] = [];
    for (let round = 1; round <= rounds; round++) {
      const order: Kind[] = round % 2 === 1 ? ['Connection (grpc-js)', 'NativeConnection (Rust core)'] : ['NativeConnection (Rust core)', 'Connection (grpc-js)'];
      for (const kind of order) rows.push(...(await measure(kind, address, pid, round)));
    }
    process.stdout.write(
      `${count} calls per row at concurrency ${concurrency}, dev server on loopback\n\n` +
        `| round | connection | call | calls/s | p50 / p95 / p99 ms | client CPU per call | server CPU per call |\n|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
    );
  });
}

await main();
