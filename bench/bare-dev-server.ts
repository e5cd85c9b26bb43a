import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { sqlitePragmaFlags } from '../scripts/dev-server.js';
import { resolveTemporalCli } from '../scripts/temporal-binaries.js';
import { freePort } from '../test/support/free-port.js';

/**
 * A fresh Temporal dev server alone on loopback (SQLite in WAL mode in a temporary file, as `npm start` runs it) for
 * the measurements of single calls: `body` gets its address and process id (its CPU is read from `/proc`); the
 * server and its data are gone afterwards.
 */
export async function withBareDevServer<T>(extraFlags: readonly string[], body: (server: { address: string; pid: number }) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ewallet-bare-server-'));
  const [port, uiPort] = [await freePort(), await freePort()];
  const server = spawn(
    await resolveTemporalCli(),
    ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--headless', '--db-filename', join(dataDir, 'temporal.db'), '--log-level', 'error', ...sqlitePragmaFlags(), ...extraFlags],
    { detached: true, stdio: 'ignore' },
  );
  const address = `127.0.0.1:${port}`;
  try {
    for (let ready = false; !ready; ) {
      ready = await Connection.connect({ address, connectTimeout: 1000 }).then(async (c) => (await c.close(), true), () => false);
      if (!ready) await sleep(250);
    }
    return await body({ address, pid: server.pid ?? 0 });
  } finally {
    try {
      process.kill(-(server.pid ?? 0), 'SIGTERM');
    } catch {
      // already gone
    }
    await sleep(1000);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The command line of those measurements: `--count N` calls per row, `--concurrency C` at a time, `--rounds R`. */
export function callMeasureOptions(argv: readonly string[] = process.argv.slice(2)): { count: number; concurrency: number; rounds: number } {
  const option = (name: string, fallback: number): number => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  return { count: option('--count', 2000), concurrency: option('--concurrency', 50), rounds: option('--rounds', 2) };
}
