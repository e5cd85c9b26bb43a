/**
 * `npm run smoke:postgres`: the production topology end to end. Two parts, each printing one line:
 *   1. `npm run start:postgres` (its own PostgreSQL cluster in a temporary DATA_DIR, every port chosen free) takes
 *      one OVO payment through the public API (registration, payment as a server client, inquiry until paid: the
 *      sandbox phone ending 000 approves by itself), and stops on SIGTERM (its own Ctrl-C path);
 *   2. the scale-out crash test on the same kind of server (`npm run chaos -- --scale-out --postgres`: 300 payments,
 *      2 workers and 2 APIs, one of each and the Temporal server killed and restarted mid-run).
 * Exits 0 only if both pass. `.ci/run` runs it when CI_POSTGRES=1. The first run builds the Temporal server (about
 * 5 minutes).
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freeLowPort, freePort } from '../../test/support/free-port.js';
import { NicepayTestClient, type Reply } from '../../test/support/nicepay-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** A cold first run builds the Temporal server: allow for it. */
const startTimeoutMs = Number(process.env.SMOKE_START_TIMEOUT_SECONDS ?? 900) * 1000;
const paymentTimeoutMs = 60_000;
const stopTimeoutMs = 60_000;

const taken = new Set<number>();
/** A free ephemeral port not handed out before in this run. */
async function freshPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Part 2: the crash test's own summary line (`chaos: …`), or why there is none. */
async function crashTest(): Promise<{ ok: boolean; line: string }> {
  const log: string[] = [];
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'chaos', 'run.ts'), '--scale-out', '--postgres'], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [proc.stdout, proc.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      log.push(line);
      if (process.env.SMOKE_VERBOSE === '1' || line.startsWith('[chaos] problem')) process.stdout.write(`${line}\n`);
    });
  }
  const code = await new Promise<number | null>((settle) => proc.once('exit', (c) => settle(c)));
  const summary = log.find((l) => l.startsWith('chaos: '));
  if (code === 0 && summary) return { ok: true, line: summary };
  process.stderr.write(`--- chaos --scale-out --postgres output (last 80 lines) ---\n${log.slice(-80).join('\n')}\n---\n`);
  return { ok: false, line: `chaos --scale-out --postgres FAILED (exit ${code}): ${summary ?? 'no summary'}` };
}

async function main(): Promise<number> {
  const topology = await onePayment();
  const crash = await crashTest();
  process.stdout.write(`${crash.line}\n`);
  return topology && crash.ok ? 0 : 1;
}

/** Part 1: prints its line; whether it passed. */
async function onePayment(): Promise<boolean> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ewallet-pg-smoke-'));
  await chmod(dataDir, 0o755); // the postgres user must reach its cluster below it
  const temporalPort = await freeLowPort(17233, taken);
  const ports = { api: await freshPort(), ops: await freshPort(), sandbox: await freshPort(), codec: await freshPort(), metrics: await freshPort(), postgres: await freshPort() };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    POSTGRES_PORT: String(ports.postgres),
    API_PORT: String(ports.api),
    OPS_PORT: String(ports.ops),
    SANDBOX_PORT: String(ports.sandbox),
    CODEC_PORT: String(ports.codec),
    WORKER_METRICS_PORT: String(ports.metrics),
    LOG_LEVEL: 'warn',
  };
  delete env.SANDBOX_BASE_URL;
  delete env.GATEWAY_BASE_URL;
  delete env.PUBLIC_BASE_URL;

  const log: string[] = [];
  const timings = new Map<string, string>();
  const started = Date.now();
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'postgres', 'start.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let running = false;
  const exited = new Promise<number | null>((settle) => proc.once('exit', (code) => settle(code)));
  const ready = new Promise<void>((settle) => {
    for (const stream of [proc.stdout, proc.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        log.push(line);
        const timing = /^\[start\]\s+timing (\w+) ([\d.]+ s)/.exec(line);
        if (timing?.[1] && timing[2]) timings.set(timing[1], timing[2]);
        if (line.includes('ewallet-gateway is running')) {
          running = true;
          settle();
        }
        if (process.env.SMOKE_VERBOSE === '1') process.stdout.write(`${line}\n`);
      });
    }
  });

  let result = '';
  let ok = false;
  try {
    const outcome = await Promise.race([
      ready.then(() => 'ready' as const),
      exited.then((code) => `start:postgres exited (code ${code}) before it was ready` as const),
      sleep(startTimeoutMs).then(() => `start:postgres not ready within ${seconds(startTimeoutMs)}` as const),
    ]);
    if (outcome !== 'ready') throw new Error(outcome);
    const startMs = Date.now() - started;

    const sandbox = `http://127.0.0.1:${ports.sandbox}`;
    const client = new NicepayTestClient(`http://127.0.0.1:${ports.api}`, `${sandbox}/sandbox/merchant/notify`, `${sandbox}/`);
    const payStarted = Date.now();
    const reg = await client.register('081234567000'); // 000: the sandbox customer approves after a second
    if (reg.resultCd !== '0000') throw new Error(`registration answered ${reg.resultCd} ${reg.resultMsg}`);
    const pay = await client.payJson(reg);
    if (pay.resultCd !== '0000') throw new Error(`payment answered ${pay.resultCd} ${pay.resultMsg}`);
    let inquiry: Reply = {};
    for (const deadline = Date.now() + paymentTimeoutMs; inquiry.status !== '0'; await sleep(250)) {
      if (Date.now() > deadline) throw new Error(`payment ${reg.tXid} not paid within ${seconds(paymentTimeoutMs)} (last inquiry: status ${inquiry.status} ${inquiry.resultCd})`);
      inquiry = await client.inquire(reg);
    }
    const payMs = Date.now() - payStarted;
    ok = true;
    const phases = ['build', 'initdb', 'postgres', 'schema', 'temporal', 'namespace', 'apps'].map((p) => `${p} ${timings.get(p) ?? '?'}`).join(', ');
    result = `smoke:postgres ok: OVO payment ${reg.tXid} paid (status 0) in ${seconds(payMs)}; up in ${seconds(startMs)} (${phases})`;
  } catch (err) {
    result = `smoke:postgres FAILED: ${(err as Error).message}`;
  } finally {
    const stopStarted = Date.now();
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(stopTimeoutMs).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      proc.kill('SIGKILL');
      ok = false;
      result += `; start:postgres did not stop within ${seconds(stopTimeoutMs)}`;
    } else {
      if (running && code !== 0) {
        ok = false;
        result += `; start:postgres exited ${code} on SIGTERM`;
      }
      result += `; stopped in ${seconds(Date.now() - stopStarted)}`;
    }
    if (!ok) process.stderr.write(`--- start:postgres output (last 80 lines) ---\n${log.slice(-80).join('\n')}\n---\n`);
    await rm(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`${result}\n`);
  return ok;
}

process.exit(await main());
