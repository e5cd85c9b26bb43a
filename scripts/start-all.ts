/**
 * `npm start`: the whole gateway on one machine (CONTRACT §1). Starts the Temporal dev server (SQLite under
 * DATA_DIR, so pending payments survive a restart), waits for it, then the worker, the API and the sandbox; prints
 * the URLs once the API's /health says ok; on Ctrl-C/SIGTERM stops the apps, then Temporal, and exits 0.
 *
 * Each child runs in its own process group (detached): the terminal's Ctrl-C then reaches only this script, which
 * stops the children in order (apps before the server they drain against), and a group kill leaves no orphans.
 * Should this script die without stopping them (SIGKILL, a crash), a watchdog process does it (see startWatchdog).
 *
 * The process management is exported for `npm run start:postgres` (scripts/postgres/start.ts), which runs the same
 * apps against a PostgreSQL-backed Temporal server; it runs main() only when started as a script.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig, type GatewayConfig } from '../domain/config.js';
import { searchAttributeFlags } from '../workflows/search-attributes.js';
import { sqlitePragmaFlags } from './dev-server.js';
import { WORKER_NODE_FLAGS } from '../workers/node-flags.js';
import { resolveTemporalCli } from './temporal-binaries.js';

const execFileAsync = promisify(execFile);

const root = fileURLToPath(new URL('..', import.meta.url));
const stopGraceMs = 10_000;
const temporalReadyTimeoutMs = 60_000;
/** The worker bundles the workflows (webpack) before it polls, and /health waits for a poller: be generous. */
const healthTimeoutMs = 120_000;

export interface Child {
  readonly name: string;
  readonly kind: GroupKind;
  readonly proc: ChildProcess;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<void>;
}

const children: Child[] = [];
let watchdog: Watchdog | undefined;
/** Set once, by the first of Ctrl-C, SIGTERM or a failure; everything after waits for the same shutdown. */
let shutdown: Promise<void> | undefined;
const stopping = (): boolean => shutdown !== undefined;

export function say(message: string): void {
  process.stdout.write(`[start]    ${message}\n`);
}

/** Spawn options beyond the defaults: the group's kind (stop order), and the user to run as (uid/gid, when root). */
export interface ChildOptions {
  readonly kind?: GroupKind;
  readonly uid?: number;
  readonly gid?: number;
}

/** Spawns `name` in its own process group and copies its output line by line, prefixed `[name]`. */
export function startChild(name: string, file: string, args: readonly string[], env: NodeJS.ProcessEnv, options: ChildOptions = {}): Child {
  const kind = options.kind ?? (name === 'temporal' ? 'temporal' : 'app');
  const user = options.uid === undefined ? {} : { uid: options.uid, ...(options.gid === undefined ? {} : { gid: options.gid }) };
  const proc = spawn(file, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...user });
  const prefix = `[${name}]`.padEnd(10);
  for (const [stream, out] of [
    [proc.stdout, process.stdout],
    [proc.stderr, process.stderr],
  ] as const) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${prefix} ${line}\n`));
  }
  const exited = new Promise<void>((settle) => {
    proc.once('exit', (code, signal) => {
      settle();
      if (!stopping()) void fail(`${name} exited unexpectedly (${signal === null ? `exit code ${code}` : `signal ${signal}`})`);
    });
    proc.once('error', (err) => {
      settle();
      if (!stopping()) void fail(`${name} could not be started: ${err.message}`);
    });
  });
  const child = { name, kind, proc, exited };
  children.push(child);
  if (proc.pid !== undefined) watchdog?.watch(kind, proc.pid);
  return child;
}

export function isRunning(child: Child): boolean {
  return child.proc.pid !== undefined && child.proc.exitCode === null && child.proc.signalCode === null;
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  if (child.proc.pid === undefined) return;
  try {
    process.kill(-child.proc.pid, signal); // the whole group: nothing the child started outlives it
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** How each kind is asked to stop: PostgreSQL's SIGINT is its "fast" shutdown (`pg_ctl stop -m fast`). */
const stopSignals: Readonly<Record<GroupKind, NodeJS.Signals>> = { app: 'SIGTERM', temporal: 'SIGTERM', database: 'SIGINT' };

/** SIGTERM, up to 10 s to finish (the worker lets running activities complete), then SIGKILL. */
async function stopChild(child: Child): Promise<void> {
  if (isRunning(child)) {
    signalGroup(child, stopSignals[child.kind]);
    const stopped = await Promise.race([child.exited.then(() => true), sleep(stopGraceMs).then(() => false)]);
    if (!stopped) {
      say(`${child.name} did not stop within ${stopGraceMs / 1000} s; killing it`);
      signalGroup(child, 'SIGKILL');
      await child.exited;
    }
  }
  signalGroup(child, 'SIGKILL'); // anything left in its group once the leader is gone
}

/** The apps first, so the worker drains against a live server; Temporal after them; its database last. */
export function stopAll(): Promise<void> {
  shutdown ??= (async () => {
    for (const kind of groupKinds) await Promise.all(children.filter((c) => c.kind === kind).map(stopChild));
  })();
  return shutdown;
}

export async function fail(reason: string): Promise<never> {
  if (!stopping()) process.stderr.write(`[start]    ${reason}${children.length > 0 ? '; stopping everything' : ''}\n`);
  await stopAll();
  process.exit(1);
}

let firstSignalAt = 0;

function onSignal(signal: NodeJS.Signals, why: string = signal): void {
  if (stopping()) {
    // Under `tsx scripts/start-all.ts` (npm start), a Ctrl-C arrives twice: from the terminal, and relayed by tsx
    // when this script is slow to acknowledge it. Only a second press after a pause means "do not wait".
    if (Date.now() - firstSignalAt < 1500) return;
    say(`${signal} again: killing everything now`);
    for (const child of children) signalGroup(child, 'SIGKILL');
    process.exit(1);
  }
  firstSignalAt = Date.now();
  say(`${why}: stopping (Ctrl-C again to kill at once)`);
  void stopAll().then(() => {
    say('stopped');
    process.exit(0);
  });
}

/**
 * `kill <npm pid>` ends npm and its `sh`, but neither passes the signal on, so this script would run on with
 * nobody left to Ctrl-C it. The leader of the process group we were started in (npm, or the shell job) going
 * away means the same as SIGTERM. Linux only (/proc); elsewhere the signal handlers alone apply.
 */
function stopWhenInvokerExits(): void {
  let pgid: number;
  try {
    // /proc/self/stat: "pid (comm) state ppid pgrp ...", and comm may contain spaces: split after the ')'.
    pgid = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ')[2]);
  } catch {
    return;
  }
  if (!Number.isInteger(pgid) || pgid <= 1 || pgid === process.pid) return;
  const timer = setInterval(() => {
    try {
      process.kill(pgid, 0);
    } catch {
      clearInterval(timer);
      if (!stopping()) onSignal('SIGTERM', `the process that started npm start (pid ${pgid}) is gone`);
    }
  }, 1000);
  timer.unref();
}

interface Watchdog {
  watch(kind: GroupKind, pgid: number): void;
}
/** Process groups by stop order: apps, then the Temporal server, then the database it stores into. */
const groupKinds = ['app', 'temporal', 'database'] as const;
export type GroupKind = (typeof groupKinds)[number];
const isGroupKind = (kind: string | undefined): kind is GroupKind => (groupKinds as readonly (string | undefined)[]).includes(kind);

/**
 * The last line of defence against orphans. A small process in its own session (so neither Ctrl-C nor a closed
 * terminal reaches it) reads the children's process groups from a pipe. The kernel closes that pipe however this
 * script ends; if it ended without stopping them (SIGKILL, a crash), the watchdog stops them: apps, then Temporal.
 */
function startWatchdog(): Watchdog {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--watchdog'], {
    cwd: root,
    detached: true,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  proc.on('error', (err) => say(`no watchdog (${err.message}): if this script is killed with SIGKILL, its children stay`));
  proc.stdin.on('error', () => undefined); // the watchdog gone: nothing to tell it any more
  return { watch: (kind, pgid) => void proc.stdin.write(`${kind} ${pgid}\n`) };
}

async function runWatchdog(): Promise<void> {
  const groups: { kind: GroupKind; pgid: number }[] = [];
  for await (const line of createInterface({ input: process.stdin })) {
    const [kind, pgid] = line.split(' ');
    if (isGroupKind(kind) && Number(pgid) > 1) groups.push({ kind, pgid: Number(pgid) });
  }
  // End of input: start-all has exited. After a normal stop every group is already gone.
  const alive = (pgid: number): boolean => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (pgid: number, sig: NodeJS.Signals): void => {
    try {
      process.kill(-pgid, sig);
    } catch {
      // already gone
    }
  };
  if (!groups.some((g) => alive(g.pgid))) return;
  process.stderr.write('[watchdog] start-all ended without stopping its children; stopping them\n');
  for (const kind of groupKinds) {
    const pgids = groups.filter((g) => g.kind === kind).map((g) => g.pgid);
    pgids.forEach((pgid) => signal(pgid, stopSignals[kind]));
    for (const deadline = Date.now() + stopGraceMs; Date.now() < deadline && pgids.some(alive); ) await sleep(100);
    pgids.forEach((pgid) => signal(pgid, 'SIGKILL'));
  }
}

/** Hosts a client on this machine can dial for a listener bound to `host`. */
export function dialHost(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
}

export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function temporalPort(address: string, runs = 'npm start runs its own Temporal dev server on 127.0.0.1'): number {
  const match = /^(?<host>.*):(?<port>\d+)$/.exec(address);
  const host = match?.groups?.host ?? address;
  if (!['127.0.0.1', 'localhost', '0.0.0.0'].includes(host)) {
    throw new Error(
      `TEMPORAL_ADDRESS=${address} is not on this machine; ${runs}. ` +
        'Against another server, run `npm run worker`, `npm run api` and `npm run sandbox` instead.',
    );
  }
  return Number(match?.groups?.port ?? 7233);
}

export function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((settle) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (listening: boolean): void => {
      socket.destroy();
      settle(listening);
    };
    socket.once('connect', () => done(true)).once('error', () => done(false)).once('timeout', () => done(false));
  });
}

/** A port already taken would make one child die later with a less obvious message: say it up front. */
export async function checkPortsFree(ports: readonly { what: string; variable: string; host: string; port: number }[]): Promise<void> {
  for (const p of ports) {
    if (await isListening(dialHost(p.host), p.port)) {
      throw new Error(`port ${p.port} (${p.what}) is already in use: stop whatever listens there, or set ${p.variable}`);
    }
  }
}

/** `temporal operator cluster health` answers SERVING once the frontend and the namespace are up. */
export async function waitForTemporal(cli: string, port: number, alive: () => boolean): Promise<void> {
  // The user's TEMPORAL_* variables (TLS, API key, namespace) are for the apps; the probe talks to the local server.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPORAL_')));
  const deadline = Date.now() + temporalReadyTimeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!alive()) throw new Error('the Temporal server exited before it answered');
    try {
      const { stdout } = await execFileAsync(cli, ['operator', 'cluster', 'health', '--address', `127.0.0.1:${port}`], { env, timeout: 5000 });
      if (stdout.includes('SERVING')) return;
      last = stdout.trim();
    } catch (err) {
      last = (err as Error).message.split('\n')[0] ?? '';
    }
    await sleep(250);
  }
  throw new Error(`the Temporal server did not answer on 127.0.0.1:${port} within ${temporalReadyTimeoutMs / 1000} s (${last})`);
}

export async function waitForHealth(url: string): Promise<boolean> {
  const deadline = Date.now() + healthTimeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline && !stopping()) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return true;
      last = `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(1000);
  }
  if (!stopping()) say(`${url} still not healthy after ${healthTimeoutMs / 1000} s (last: ${last}); everything keeps running, see the logs above`);
  return false;
}

/** `temporalUi` replaces the Temporal Web UI line (a server without the dev server's built-in UI). */
export function banner(config: GatewayConfig, dataDir: string, temporalUi?: string): string {
  const api = `http://${urlHost(dialHost(config.api.host))}:${config.api.port}`;
  const ops = `http://${urlHost(dialHost(config.ops.host))}:${config.ops.port}`;
  const sandbox = `http://${urlHost(dialHost(config.sandbox.host))}:${config.sandbox.port}`;
  const lines = [
    'ewallet-gateway is running',
    '',
    `  Demo shop         ${sandbox}/shop   <- start here: buy a coffee with OVO, DANA, ShopeePay, LinkAja or AstraPay`,
    `  API               ${api}  (health: /health, docs: /docs)`,
    `  NICEPAY base URL  ${api}/nicepay`,
    `  Operations        ${ops}  (operator API: /ops, Bearer $OPERATOR_TOKEN; Prometheus: /metrics)`,
    `  Temporal Web UI   ${temporalUi ?? `http://127.0.0.1:${config.temporal.uiPort}${config.payloadKeys ? `  (payloads decrypted by the codec server on :${config.codec.port})` : ''}`}`,
    `  Sandbox           ${sandbox}  (wallet simulators; OVO phone app: /ovo/phone)`,
    `  Data              ${dataDir}`,
    '',
    'Ctrl-C to stop',
  ];
  const rule = '='.repeat(Math.max(...lines.map((l) => l.length)) + 4);
  return ['', rule, ...lines.map((l) => (l === '' ? '' : `  ${l}`)), rule, ''].join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig(); // the same validation the children do: a bad variable stops here, named
  const port = temporalPort(config.temporal.address);
  const dataDir = resolve(root, config.dataDir);
  await checkPortsFree([
    { what: 'Temporal', variable: 'TEMPORAL_ADDRESS', host: '127.0.0.1', port },
    { what: 'Temporal Web UI', variable: 'TEMPORAL_UI_PORT', host: '127.0.0.1', port: config.temporal.uiPort },
    { what: 'API', variable: 'API_PORT', host: config.api.host, port: config.api.port },
    { what: 'operations listener', variable: 'OPS_PORT', host: config.ops.host, port: config.ops.port },
    { what: 'sandbox', variable: 'SANDBOX_PORT', host: config.sandbox.host, port: config.sandbox.port },
    ...(config.payloadKeys ? [{ what: 'codec server', variable: 'CODEC_PORT', host: '127.0.0.1', port: config.codec.port }] : []),
  ]);
  await mkdir(dataDir, { recursive: true });
  const cli = await resolveTemporalCli();

  superviseChildren();

  say(`Temporal dev server (${cli}), data in ${dataDir}/temporal.db`);
  const temporal = startChild(
    'temporal',
    cli,
    ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(config.temporal.uiPort)]
      .concat(['--db-filename', resolve(dataDir, 'temporal.db'), '--namespace', config.temporal.namespace, '--log-level', 'warn'])
      // WAL, synchronous=normal: about twice the throughput, and durable across kill -9 (bench/README.md).
      .concat(sqlitePragmaFlags())
      // The payments' search attributes (no customer data: Temporal does not encrypt them), for the Web UI's filters.
      .concat(searchAttributeFlags())
      // The Web UI decrypts payloads through the local codec server (started below), for whoever runs this.
      .concat(config.payloadKeys ? ['--ui-codec-endpoint', `http://127.0.0.1:${config.codec.port}`] : []),
    process.env,
  );
  await waitForTemporal(cli, port, () => isRunning(temporal));
  say('Temporal is up; starting worker, API and sandbox');
  await startApps(config);
}

/** From here on, Ctrl-C, SIGTERM, the invoker going away or this script dying stop every child started. */
export function superviseChildren(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => onSignal(signal));
  stopWhenInvokerExits();
  watchdog = startWatchdog();
}

/** The worker, the API, the codec server (with PAYLOAD_KEYS) and the sandbox; the banner once /health says ok. */
export async function startApps(config: GatewayConfig, temporalUi?: string): Promise<boolean> {
  const dataDir = resolve(root, config.dataDir);
  const node = (script: string): string[] => ['--import', 'tsx', script];
  startChild('worker', process.execPath, [...WORKER_NODE_FLAGS, ...node('workers/main.ts')], process.env);
  startChild('api', process.execPath, node('api/server.ts'), process.env);
  if (config.payloadKeys) startChild('codec', process.execPath, node('platform/codec-main.ts'), process.env);
  startChild('sandbox', process.execPath, node('sandbox/server.ts'), {
    ...process.env,
    GATEWAY_BASE_URL: process.env.GATEWAY_BASE_URL ?? `http://127.0.0.1:${config.api.port}`,
  });

  const healthUrl = `http://${urlHost(dialHost(config.api.host))}:${config.api.port}/health`;
  const healthy = await waitForHealth(healthUrl);
  if (healthy) process.stdout.write(banner(config, dataDir, temporalUi));
  return healthy;
}

/** Runs `main` as this script's body: any failure, thrown or unhandled, stops every child and exits 1. */
export function runScript(main: () => Promise<unknown>): void {
  // A closed output (`npm start | less`, then quit) must not crash the script before it has stopped the children.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  process.on('uncaughtException', (err) => void fail(`internal error: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => void fail(`internal error: ${String(err)}`));
  main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
}

if (process.argv.includes('--watchdog')) {
  await runWatchdog();
} else if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runScript(main);
}
