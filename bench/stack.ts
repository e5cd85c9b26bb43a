import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sqlitePragmaFlags } from '../scripts/dev-server.js';
import { resolveTemporalCli } from '../scripts/temporal-binaries.js';
import { loadTemporalTarget } from '../domain/config.js';
import { startPostgresTemporal } from '../scripts/postgres/cluster.js';
import { freeLowPort, freePort } from '../test/support/free-port.js';
import { searchAttributeFlags } from '../workflows/search-attributes.js';
import { WORKER_NODE_FLAGS } from '../workers/node-flags.js';
import { sampleGroup, type GroupSample } from './process-stats.js';

/** What is sampled: `temporal` is the server and, on PostgreSQL, its database; `worker` every gateway worker. */
export type ProcessName = 'temporal' | 'worker' | 'api' | 'sandbox' | 'baseline-worker';
/** The Temporal server under the benchmark: the CLI's dev server on SQLite (as `npm start`), or the real one on PostgreSQL. */
export type TemporalKind = 'dev-server' | 'postgres';

export interface StackOptions {
  readonly root: string;
  readonly dataDir: string;
  /** `PRAGMA=VALUE` statements for the dev server's SQLite (`--sqlite-pragma`). */
  readonly sqlitePragmas: readonly string[];
  /** `KEY=VALUE` dynamic configuration of the dev server (`--dynamic-config-value`). */
  readonly dynamicConfig: readonly string[];
  /** Extra environment for the gateway's processes (worker tuning, timeouts). */
  readonly env: NodeJS.ProcessEnv;
  readonly temporal?: TemporalKind;
  /** Gateway workers on the one task queue, as `npm run worker` started that many times (1 by default). */
  readonly workers?: number;
}

/**
 * The product as `npm start` runs it (Temporal dev server on SQLite in a file, worker, API, sandbox), or as
 * `npm run start:postgres` does (the real server on PostgreSQL), on free loopback ports, each process in its own group
 * so its CPU and memory can be read; plus the baseline's worker.
 * A process that dies during the run fails the run: a benchmark never reports figures from a broken stack.
 */
export class BenchStack {
  readonly #procs = new Map<string, ChildProcess>();
  /** The processes each sampled name adds up. */
  readonly #groups: Record<ProcessName, string[]> = { temporal: ['temporal'], worker: ['worker'], api: ['api'], sandbox: ['sandbox'], 'baseline-worker': ['baseline-worker'] };
  #stopping = false;
  #failure: string | undefined;
  apiUrl = '';
  sandboxUrl = '';
  temporalAddress = '';

  private constructor(private readonly o: StackOptions) {}

  static async start(o: StackOptions): Promise<BenchStack> {
    const stack = new BenchStack(o);
    try {
      await stack.#start();
    } catch (err) {
      await stack.stop(); // whatever did start must not outlive the run
      throw err;
    }
    return stack;
  }

  async #start(): Promise<void> {
    const postgres = this.o.temporal === 'postgres';
    // The real server keeps membership ports in a smallint: its frontend and the ports near it stay below 32768.
    const temporalPort = postgres ? await freeLowPort(17233, new Set()) : await freePort();
    const [uiPort, apiPort, sandboxPort, metricsPort, opsPort] = await Promise.all(Array.from({ length: 5 }, () => freePort()));
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    this.sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    this.temporalAddress = `127.0.0.1:${temporalPort}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      API_PORT: String(apiPort),
      OPS_PORT: String(opsPort),
      SANDBOX_PORT: String(sandboxPort),
      TEMPORAL_ADDRESS: this.temporalAddress,
      DATA_DIR: this.o.dataDir,
      GATEWAY_BASE_URL: this.apiUrl,
      WORKER_METRICS_PORT: String(metricsPort),
      ...this.o.env,
    };
    if (postgres) {
      this.#groups.temporal.push('postgres');
      const options = { dataDir: this.o.dataDir, frontendPort: temporalPort, pgPort: await freePort(), password: randomBytes(12).toString('hex'), namespace: loadTemporalTarget().namespace, say: () => undefined };
      await startPostgresTemporal(options, (name, c) => {
        const proc = this.#spawn(name, c.file, [...c.args], c.env, c.uid === undefined ? {} : { uid: c.uid, gid: c.gid ?? c.uid });
        return () => proc.exitCode === null && proc.signalCode === null;
      });
    } else {
      const cli = await resolveTemporalCli();
      const pragmas = [...sqlitePragmaFlags(this.o.sqlitePragmas), ...this.o.dynamicConfig.flatMap((v) => ['--dynamic-config-value', v])];
      this.#spawn('temporal', cli, ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(temporalPort), '--ui-port', String(uiPort), '--headless']
        .concat(['--db-filename', join(this.o.dataDir, 'temporal.db'), '--log-level', 'error', ...pragmas, ...searchAttributeFlags()]), env);
    }
    const node = (script: string): string[] => ['--import', 'tsx', script];
    // BENCH_CPU_PROFILE=<dir>: V8 CPU profiles of the worker and the API, written when they stop.
    const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
    for (let i = 1; i <= (this.o.workers ?? 1); i++) {
      const name = i === 1 ? 'worker' : `worker-${i}`;
      if (i > 1) this.#groups.worker.push(name);
      // Each worker's only listener is its metrics port (CONTRACT §1): the others get their own.
      const own = i === 1 ? env : { ...env, WORKER_METRICS_PORT: String(await freePort()) };
      this.#spawn(name, process.execPath, [...profile, ...WORKER_NODE_FLAGS, ...node('workers/main.ts')], own);
    }
    this.#spawn('api', process.execPath, [...profile, ...node('api/server.ts')], env);
    this.#spawn('sandbox', process.execPath, node('sandbox/server.ts'), env);
    this.#spawn('baseline-worker', process.execPath, node('bench/baseline/worker.ts'), env);
    await this.#waitFor(`${this.apiUrl}/health`);
    await this.#waitFor(`${this.sandboxUrl}/health`);
  }

  #spawn(name: string, file: string, args: string[], env: NodeJS.ProcessEnv, user: { uid?: number; gid?: number } = {}): ChildProcess {
    const log = createWriteStream(join(this.o.dataDir, `${name}.log`));
    const proc = spawn(file, args, { cwd: this.o.root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...user });
    proc.stdout.pipe(log);
    proc.stderr.pipe(log);
    proc.once('exit', (code, signal) => {
      if (!this.#stopping) this.#failure ??= `${name} exited (${signal ?? code}) during the run; see ${join(this.o.dataDir, `${name}.log`)}`;
    });
    this.#procs.set(name, proc);
    return proc;
  }

  async #waitFor(url: string): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      this.check();
      if ((await fetch(url).catch(() => undefined))?.status === 200) return;
      await sleep(250);
    }
    throw new Error(`${url} never became healthy`);
  }

  /** Throws if a process has died. */
  check(): void {
    if (this.#failure) throw new Error(this.#failure);
  }

  async sample(name: ProcessName): Promise<GroupSample> {
    const pids = this.#groups[name].map((n) => this.#procs.get(n)?.pid).filter((pid) => pid !== undefined);
    const samples = await Promise.all(pids.map((pid) => sampleGroup(pid)));
    return samples.reduce((a, b) => ({ cpuSeconds: a.cpuSeconds + b.cpuSeconds, rssBytes: a.rssBytes + b.rssBytes }), { cpuSeconds: 0, rssBytes: 0 });
  }

  async sampleAll(): Promise<Record<ProcessName, GroupSample>> {
    const names: ProcessName[] = ['temporal', 'worker', 'api', 'sandbox', 'baseline-worker'];
    const samples = await Promise.all(names.map((n) => this.sample(n)));
    return Object.fromEntries(names.map((n, i) => [n, samples[i]])) as Record<ProcessName, GroupSample>;
  }

  /** SIGTERM to each group, the apps first, then the Temporal server, then its database (SIGINT: fast); SIGKILL after 10 s. */
  async stop(): Promise<void> {
    this.#stopping = true;
    const stopOne = async (proc: ChildProcess | undefined, first: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
      if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      const signal = (s: NodeJS.Signals): void => {
        try {
          process.kill(-(proc.pid ?? 0), s);
        } catch {
          // already gone
        }
      };
      signal(first);
      if (!(await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]))) signal('SIGKILL');
    };
    await Promise.all([...this.#procs].filter(([n]) => n !== 'temporal' && n !== 'postgres').map(([, p]) => stopOne(p)));
    await stopOne(this.#procs.get('temporal'));
    await stopOne(this.#procs.get('postgres'), 'SIGINT');
  }
}
