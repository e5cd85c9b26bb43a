import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { resolveTemporalCli } from '../../scripts/temporal-binaries.js';
import { WORKER_NODE_FLAGS } from '../../workers/node-flags.js';
import { searchAttributeFlags } from '../../workflows/search-attributes.js';
import { freePort } from '../support/free-port.js';
import { waitFor } from '../support/nicepay-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface WorkerProcess {
  readonly proc: ChildProcess;
  readonly port: number;
  readonly url: string;
  /** stdout and stderr, for the failure message. */
  readonly output: string[];
}

/** The TCP ports a process listens on (Linux: its socket inodes matched against /proc/net/tcp{,6} in LISTEN state). */
async function listeningPorts(pid: number): Promise<number[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
    if (inode) inodes.add(inode);
  }
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const text = await readFile(`/proc/${pid}/net/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [local, state, inode] = [cols[1], cols[3], cols[9]];
      if (state === '0A' && inode && inodes.has(inode) && local) ports.push(parseInt(local.split(':')[1] ?? '', 16));
    }
  }
  return ports.sort((a, b) => a - b);
}

/**
 * CONTRACT §1: a worker's only listener is WORKER_METRICS_PORT, so a second `npm run worker` on the host needs only
 * that port changed (issue 25: Core's own Prometheus exporter on a fixed second port killed the second worker). Two
 * real worker processes, alike but for that port, both run and both serve Temporal's SDK metrics and the gateway's.
 */
describe('two workers on one host', { timeout: 240_000 }, () => {
  let env: TestWorkflowEnvironment | undefined;
  let dataDir: string | undefined;
  const workers: WorkerProcess[] = [];

  before(async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } } });
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: await resolveTemporalCli() }, ip: '127.0.0.1', extraArgs: ['--log-level', 'error', ...searchAttributeFlags()] },
    });
    dataDir = await mkdtemp(join(tmpdir(), 'ewallet-two-workers-'));
    const shared: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_TEST_CONTEXT: undefined,
      GATEWAY_MODE: 'sandbox',
      TEMPORAL_ADDRESS: env.address,
      METRICS_HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const proc = spawn(process.execPath, [...WORKER_NODE_FLAGS, '--import', 'tsx', 'workers/main.ts'], {
        cwd: root,
        env: { ...shared, WORKER_METRICS_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output: string[] = [];
      for (const stream of [proc.stdout, proc.stderr]) stream?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      workers.push({ proc, port, url: `http://127.0.0.1:${port}/metrics`, output });
    }
  });

  after(async () => {
    await Promise.all(
      workers.map(async ({ proc }) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await env?.teardown();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const alive = (w: WorkerProcess) => w.proc.exitCode === null && w.proc.signalCode === null;
  const why = (w: WorkerProcess) => `worker on ${w.port} (exit ${w.proc.exitCode ?? w.proc.signalCode ?? 'none'}):\n${w.output.join('')}`;
  const scrape = async (w: WorkerProcess): Promise<string | undefined> => {
    assert.ok(alive(w), why(w));
    const res = await fetch(w.url).catch(() => undefined);
    return res?.status === 200 ? res.text() : undefined;
  };

  test('both stay up, each serves temporal_* SDK metrics next to its own on WORKER_METRICS_PORT, its only listener', async () => {
    const texts = await Promise.all(
      workers.map((w) => waitFor(async () => {
        const text = await scrape(w);
        // Pollers are counted once the worker polls, after it bundled its workflows.
        return text && /^temporal_num_pollers\{/m.test(text) && text;
      }, `temporal_num_pollers on ${w.url}`, 180_000)),
    );
    // Both still running a while later: nothing else of theirs had to bind.
    await new Promise((r) => setTimeout(r, 2_000));
    for (const [i, w] of workers.entries()) {
      assert.ok(alive(w), why(w));
      const text = (await scrape(w)) ?? texts[i] ?? '';
      for (const family of ['temporal_num_pollers', 'temporal_request', 'temporal_worker_start', 'ewallet_payments_final_total', 'nodejs_eventloop_lag_seconds']) {
        assert.match(text, new RegExp(`^# TYPE ${family} `, 'm'), `${family} on ${w.url}`);
      }
      assert.match(text, /^temporal_num_pollers\{[^}]*poller_type="workflow_task"[^}]*\} \d+/m);
      assert.match(text, /^temporal_request\{[^}]*service_name="temporal-core-sdk"[^}]*\} \d+/m);
      const typed = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
      assert.deepEqual(typed, [...new Set(typed)], 'every family once in a scrape');
      if (existsSync(`/proc/${w.proc.pid ?? 0}/fd`)) assert.deepEqual(await listeningPorts(w.proc.pid ?? 0), [w.port], `the listeners of ${why(w)}`);
    }
  });
});
