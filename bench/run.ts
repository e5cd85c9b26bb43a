/**
 * `npm run bench [-- --quick] [-- --pending N] [-- --sqlite-defaults] [-- --label NAME] [-- --postgres] [-- --workers N]`:
 * how fast the gateway is next to what Temporal itself does on this machine. Starts the stack on a fresh dev server
 * (SQLite in a file, loopback only; `--postgres`: the real Temporal server on PostgreSQL, as `npm run
 * start:postgres`; `--workers N`: N gateway workers), then:
 *   1. baseline: a trivial workflow (start, one signal, one activity, complete) through the Temporal client;
 *   2. gateway: complete OVO payments over HTTP (registration → payment → the sandbox approves at once → callback →
 *      merchant notified), at the same concurrency levels, alternating with the baseline (B G G B, halves);
 *   3. memory: N payments held pending at once (customers who have not approved yet), then all approved together.
 * Prints the figures and writes them to bench/results/<time>-<label>.json and latest.json (`--results-dir` elsewhere).
 * Figures, never assertions: see bench/README.md for what they mean and the latest ones.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { paymentWorkflowId } from '../domain/tx-id.js';
import { NicepayTestClient, type Reply } from '../test/support/nicepay-client.js';
import { BASELINE_TASK_QUEUE, baselineWorkflow, goSignal } from './baseline/workflow.js';
import { profileHistory } from './history-profile.js';
import { startsAlone } from './starts-alone.js';
import { checkTargets, formatTargets } from './targets.js';
import { closedLoop, percentiles } from './load.js';
import { BenchResult, type BaselineLevel, type GatewayLevel, type HistoryProfile, type InquiryCpu, type MemoryRun, type Percentiles } from './result.js';
import { MerchantSink } from './merchant-sink.js';
import { mib, type GroupSample } from './process-stats.js';
import { BenchStack, type ProcessName } from './stack.js';
import { DEFAULT_SQLITE_PRAGMAS } from '../scripts/dev-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(name);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const quick = flag('--quick');
const levels = (option('--levels') ?? '1,10,50').split(',').map(Number);
const itemsOption = option('--items');
/** Items per concurrency level: enough for a stable p99 at 50, bounded so a full run stays within minutes. */
const itemsAt = (concurrency: number): number => (itemsOption ? Number(itemsOption) : quick ? Math.max(5, concurrency * 2) : concurrency === 1 ? 50 : concurrency === 10 ? 250 : concurrency * 12);
const pending = Number(option('--pending') ?? (quick ? 200 : 10_000));
const pragmaOption = option('--sqlite-pragmas');
const sqlitePragmas = flag('--sqlite-defaults') ? [] : pragmaOption !== undefined ? pragmaOption.split(',').filter(Boolean) : DEFAULT_SQLITE_PRAGMAS;
const dynamicConfig = (option('--dynamic-config') ?? '').split(',').filter(Boolean);
const temporal = flag('--postgres') ? 'postgres' : 'dev-server';
const workers = Number(option('--workers') ?? 1);
if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers ${option('--workers') ?? ''}: a whole number of workers, 1 or more`);
const label = option('--label') ?? (quick ? 'quick' : 'full');
const NOTIFY_TIMEOUT_MS = 120_000;

const say = (m: string): void => void process.stdout.write(`[bench] ${m}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  const dataDir = await mkdtemp(join(tmpdir(), 'ewallet-bench-'));
  if (temporal === 'postgres') await chmod(dataDir, 0o755); // the postgres user must reach its cluster below it
  const sink = await new MerchantSink().start();
  const env: NodeJS.ProcessEnv = {
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    SANDBOX_APPROVE_DELAY_MS: '0',
    // The wallets' own bookkeeping is not the gateway's cost: the simulator keeps its state in memory.
    SANDBOX_PERSIST: 'false',
    // Long enough for every pending payment of the memory run to still be waiting when the customers approve.
    OVO_PUSH_TIMEOUT_SECONDS: '3600',
  };
  const server = temporal === 'postgres' ? 'Temporal on PostgreSQL' : `SQLite pragmas: ${sqlitePragmas.join(' ') || 'the dev server defaults'}`;
  say(`${label} run: levels ${levels.join(', ')}; ${pending} pending; ${workers} gateway worker${workers === 1 ? '' : 's'}; ${server}; data in ${dataDir}`);
  const stack = await BenchStack.start({ root, dataDir, sqlitePragmas, dynamicConfig, env, temporal, workers });
  // Ctrl-C or a kill mid-run: the stack's processes run in groups of their own and must not outlive the run.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      say(`${signal}: stopping the stack`);
      void Promise.all([stack.stop(), sink.close()]).finally(() => process.exit(130));
    });
  }
  let ok = false;
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    say(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const client = new Client({ connection });
    const merchant = new NicepayTestClient(stack.apiUrl, `${sink.url}/notify`, `${sink.url}/return`);

    // Warm-up: the first workflows of a worker pay for JIT and caches; not measured.
    const warm = [await baselineRound(stack, client, 10, 20), await gatewayRound(stack, merchant, sink, 10, 20)];
    const broken = warm.find((w) => w.errors.length > 0);
    if (broken) throw new Error(`the warm-up failed, so nothing is measured: ${broken.errors[0] ?? ''}`);

    const baseline: BaselineLevel[] = [];
    const gateway: GatewayLevel[] = [];
    for (const c of levels) {
      // Baseline, gateway, gateway, baseline, each half of the level's items: this VM's speed drifts by 15–50 % within
      // minutes, and the order cancels a steady drift out of the ratio (run one after the other, it moved 59–78 %).
      const half = Math.max(1, Math.ceil(itemsAt(c) / 2));
      const b1 = await baselineRound(stack, client, c, half);
      const g1 = await gatewayRound(stack, merchant, sink, c, half);
      const g2 = await gatewayRound(stack, merchant, sink, c, half);
      const b2 = await baselineRound(stack, client, c, half);
      stack.check();
      const b = baselineLevel(c, [b1, b2]);
      baseline.push(b);
      say(`baseline  c=${String(c).padStart(2)}: ${b.perSecond.toFixed(1)} workflows/s, start p50/p95/p99 ${fmt(b.startMs)} ms, CPU ${b.cpuSecondsPerWorkflow.toFixed(3)} s/workflow${b.errors ? `, ${b.errors} errors` : ''}`);
      const level = gatewayLevel(c, [g1, g2]);
      const g: GatewayLevel = {
        ...level,
        ratioToBaseline: round(level.perSecond / b.perSecond, 2),
        registrationP99ToBareStartP99: round(level.registrationMs.p99 / b.startMs.p99, 2),
      };
      gateway.push(g);
      say(
        `gateway   c=${String(c).padStart(2)}: ${g.perSecond.toFixed(1)} payments/s (${Math.round(g.ratioToBaseline * 100)} % of baseline), ` +
          `registration p50/p95/p99 ${fmt(g.registrationMs)} ms, to notification ${fmt(g.timeToNotificationMs)} ms, ` +
          `CPU ${g.cpuSecondsPerPayment.total.toFixed(3)} s/payment${g.errors ? `, ${g.errors} errors (${g.firstError ?? ''})` : ''}`,
      );
    }

    const profile = await profileOne(client, merchant, sink);
    say(
      `per payment: ${profile.gateway.workflowTasks} workflow tasks, ${profile.gateway.activities} activities, ${profile.gateway.events} events, ` +
        `${profile.gateway.payloadBytes} payload bytes (baseline: ${profile.baseline.workflowTasks} tasks, ${profile.baseline.activities} activity, ${profile.baseline.events} events)`,
    );

    const aloneAt = Math.max(...levels);
    const alone = await startsAlone(client, (i) => merchant.register(phone(i, '555')), aloneAt, itemsAt(aloneAt));
    say(
      `alone     c=${String(aloneAt).padStart(2)}: bare start p50/p95/p99 ${fmt(alone.bareStartMs)} ms, registration ${fmt(alone.registrationMs)} ms ` +
        `(p99 ${alone.registrationP99ToBareStartP99} ×)${alone.errors ? `, ${alone.errors} errors (${alone.firstError ?? ''})` : ''}`,
    );

    const memory = pending > 0 ? await runMemory(stack, merchant, sink, pending) : undefined;
    if (memory) {
      say(
        `memory: ${memory.pending} pending: worker ${memory.rssMiB.pending.worker} MiB, Temporal ${memory.rssMiB.pending.temporal} MiB, API ${memory.rssMiB.pending.api} MiB, ` +
          `sandbox ${memory.rssMiB.pending.sandbox} MiB (created at ${memory.createdPerSecond} /s); drained in ${memory.drainSeconds} s (${memory.drainedPerSecond} /s)`,
      );
    }

    const result: BenchResult = BenchResult.parse({
      label,
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
      settings: { temporal, gatewayWorkers: workers, sqlitePragmas, dynamicConfig, logLevel: env.LOG_LEVEL, approveDelayMs: 0, worker: workerSettings() },
      baseline,
      gateway,
      profile,
      ...(memory ? { memory } : {}),
      startsAlone: alone,
      seconds: Math.round((Date.now() - started) / 1000),
    });
    const outDir = option('--results-dir') ?? join(root, 'bench', 'results');
    await mkdir(outDir, { recursive: true });
    const file = join(outDir, `${result.at.replace(/[:.]/g, '-')}-${label}.json`);
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(join(outDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    printSummary(result.baseline, result.gateway, memory);
    process.stdout.write(`Targets (issue 25; set for the full run):\n${formatTargets(checkTargets(result), false)}\n\n`);
    say(`written ${file} (${result.seconds} s)`);
    ok = gateway.every((g) => g.errors === 0) && baseline.every((b) => b.errors === 0) && (memory?.errors ?? 0) === 0 && alone.errors === 0;
    if (!ok) say('some items failed: the figures above include errors');
  } finally {
    await connection.close();
    await stack.stop();
    await sink.close();
    if (ok && !flag('--keep')) await rm(dataDir, { recursive: true, force: true });
    else say(`data and logs kept in ${dataDir}`);
  }
  process.exit(ok ? 0 : 1);
}

/** One round of baseline workflows: its samples, errors, wall time and the CPU it cost (server and baseline worker). */
interface BaselineRound {
  readonly results: readonly { readonly start: number; readonly completion: number }[];
  readonly errors: readonly string[];
  readonly seconds: number;
  readonly cpuSeconds: { readonly temporal: number; readonly worker: number; readonly benchClient: number };
}

async function baselineRound(stack: BenchStack, client: Client, concurrency: number, count: number): Promise<BaselineRound> {
  const before = await stack.sampleAll();
  const clientBefore = process.cpuUsage();
  const run = `${Date.now().toString(36)}-${concurrency}`;
  const { results, errors, seconds } = await closedLoop(concurrency, count, async (i) => {
    const t0 = performance.now();
    const handle = await client.workflow.start(baselineWorkflow, { taskQueue: BASELINE_TASK_QUEUE, workflowId: `baseline-${run}-${i}`, args: [String(i)] });
    const started = performance.now();
    await handle.signal(goSignal);
    await handle.result();
    return { start: started - t0, completion: performance.now() - t0 };
  });
  const after = await stack.sampleAll();
  const clientCpu = process.cpuUsage(clientBefore);
  const spent = (name: ProcessName): number => after[name].cpuSeconds - before[name].cpuSeconds;
  const cpuSeconds = { temporal: spent('temporal'), worker: spent('baseline-worker'), benchClient: (clientCpu.user + clientCpu.system) / 1e6 };
  return { results, errors, seconds, cpuSeconds };
}

function baselineLevel(concurrency: number, rounds: readonly BaselineRound[]): BaselineLevel {
  const results = rounds.flatMap((r) => r.results);
  const n = Math.max(1, results.length);
  const per = (name: keyof BaselineRound['cpuSeconds']): number => round(rounds.reduce((sum, r) => sum + r.cpuSeconds[name], 0) / n, 4);
  return {
    ...levelSummary(concurrency, results.length, rounds.flatMap((r) => r.errors), rounds.reduce((sum, r) => sum + r.seconds, 0)),
    startMs: percentiles(results.map((r) => r.start)),
    completionMs: percentiles(results.map((r) => r.completion)),
    cpuSecondsPerWorkflow: round(per('temporal') + per('worker'), 4),
    cpuShares: { temporal: per('temporal'), worker: per('worker'), benchClient: per('benchClient') },
  };
}

/** What every level reports: how many ran, how many failed (and the first reason), how long, how many per second. */
function levelSummary(concurrency: number, count: number, errors: readonly string[], seconds: number) {
  return {
    concurrency,
    count,
    errors: errors.length,
    ...(errors[0] ? { firstError: errors[0] } : {}),
    seconds: round(seconds, 2),
    perSecond: round(count / seconds, 1),
  };
}

/** A phone whose last three digits are the sandbox's magic value: 000 approves at once, 555 waits for a person. */
const phone = (i: number, magic: string): string => `0812${String(i % 100_000).padStart(5, '0')}${magic}`;

async function onePayment(merchant: NicepayTestClient, sink: MerchantSink, i: number, magic: string): Promise<{ reg: Reply; registration: number; payment: number; t0: number }> {
  const t0 = performance.now();
  const reg = await merchant.register(phone(i, magic));
  const registration = performance.now() - t0;
  if (reg.resultCd !== '0000' || !reg.tXid) throw new Error(`registration: ${reg.resultCd ?? '?'} ${reg.resultMsg ?? reg.raw ?? ''}`);
  const t1 = performance.now();
  const pay = await merchant.payJson(reg);
  const payment = performance.now() - t1;
  if (pay.resultCd !== '0000') throw new Error(`payment: ${pay.resultCd ?? '?'} ${pay.resultMsg ?? pay.raw ?? ''}`);
  return { reg, registration, payment, t0 };
}

type CpuShares = Record<'temporal' | 'worker' | 'api' | 'sandbox' | 'benchClient', number>;

/** One round of payments: its samples, errors, wall time and the CPU seconds each part of the stack spent on it. */
interface GatewayRound {
  readonly results: readonly { readonly registration: number; readonly payment: number; readonly toNotification: number }[];
  readonly errors: readonly string[];
  readonly seconds: number;
  readonly cpuSeconds: CpuShares;
}

async function gatewayRound(stack: BenchStack, merchant: NicepayTestClient, sink: MerchantSink, concurrency: number, count: number): Promise<GatewayRound> {
  const before = await stack.sampleAll();
  const clientBefore = process.cpuUsage();
  const { results, errors, seconds } = await closedLoop(concurrency, count, async (i) => {
    const p = await onePayment(merchant, sink, i, '000');
    const notifiedAt = await sink.paid(p.reg.tXid ?? '', NOTIFY_TIMEOUT_MS);
    return { registration: p.registration, payment: p.payment, toNotification: notifiedAt - p.t0 };
  });
  const after = await stack.sampleAll();
  const clientCpu = process.cpuUsage(clientBefore);
  const spent = (name: ProcessName): number => after[name].cpuSeconds - before[name].cpuSeconds;
  const cpuSeconds = { temporal: spent('temporal'), worker: spent('worker'), api: spent('api'), sandbox: spent('sandbox'), benchClient: (clientCpu.user + clientCpu.system) / 1e6 };
  return { results, errors, seconds, cpuSeconds };
}

function gatewayLevel(concurrency: number, rounds: readonly GatewayRound[]): Omit<GatewayLevel, 'ratioToBaseline' | 'registrationP99ToBareStartP99'> {
  const results = rounds.flatMap((r) => r.results);
  const n = Math.max(1, results.length);
  const per = (name: keyof CpuShares): number => round(rounds.reduce((sum, r) => sum + r.cpuSeconds[name], 0) / n, 4);
  const cpu = { temporal: per('temporal'), worker: per('worker'), api: per('api'), sandbox: per('sandbox'), benchClient: per('benchClient') };
  return {
    ...levelSummary(concurrency, results.length, rounds.flatMap((r) => r.errors), rounds.reduce((sum, r) => sum + r.seconds, 0)),
    registrationMs: percentiles(results.map((r) => r.registration)),
    paymentCallMs: percentiles(results.map((r) => r.payment)),
    timeToNotificationMs: percentiles(results.map((r) => r.toNotification)),
    cpuSecondsPerPayment: { total: round(cpu.temporal + cpu.worker + cpu.api + cpu.sandbox, 4), ...cpu },
  };
}

/** One payment and one baseline workflow, each read back from Temporal's history once done. */
async function profileOne(client: Client, merchant: NicepayTestClient, sink: MerchantSink): Promise<{ gateway: HistoryProfile; baseline: HistoryProfile }> {
  const p = await onePayment(merchant, sink, 99_999, '000');
  await sink.paid(p.reg.tXid ?? '', NOTIFY_TIMEOUT_MS);
  await sleep(500); // the notification activity's completion reaches history just after the merchant answered
  const gateway = await profileHistory(client, paymentWorkflowId(p.reg.tXid ?? ''));
  const workflowId = `baseline-profile-${Date.now()}`;
  const handle = await client.workflow.start(baselineWorkflow, { taskQueue: BASELINE_TASK_QUEUE, workflowId, args: ['profile'] });
  await handle.signal(goSignal);
  await handle.result();
  return { gateway, baseline: await profileHistory(client, workflowId) };
}

async function runMemory(stack: BenchStack, merchant: NicepayTestClient, sink: MerchantSink, count: number): Promise<MemoryRun> {
  const rss = async (): Promise<Record<'temporal' | 'worker' | 'api' | 'sandbox', number>> => {
    const s: Record<ProcessName, GroupSample> = await stack.sampleAll();
    return { temporal: mib(s.temporal.rssBytes), worker: mib(s.worker.rssBytes), api: mib(s.api.rssBytes), sandbox: mib(s.sandbox.rssBytes) };
  };
  const idle = await rss();
  say(`memory: creating ${count} payments that wait for their customers…`);
  const tXids: string[] = [];
  const regs: Reply[] = [];
  let lastReport = Date.now();
  const created = await closedLoop(50, count, async (i) => {
    const p = await onePayment(merchant, sink, i, '555');
    tXids.push(p.reg.tXid ?? '');
    regs.push(p.reg);
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      say(`memory: ${tXids.length} pending`);
    }
  });
  stack.check();
  await sleep(2000); // let the last workflow tasks settle before reading memory
  const pendingRss = await rss();
  const inquired = regs.slice(0, INQUIRIES);
  const inFlight = await inquiries(stack, merchant, inquired, '4');
  say(`memory: ${tXids.length} pending (inquiry p50/p95/p99 ${fmt(inFlight.ms)} ms, ${inFlight.perSecond}/s, ${inFlight.cpuMs.total} CPU ms each); the customers approve them all now`);
  const drainStart = performance.now();
  const approved = (await (await fetch(`${stack.sandboxUrl}/sandbox/customers/approve`, { method: 'POST' })).json()) as { approved: number };
  const drained = await Promise.allSettled(tXids.map((t) => sink.paid(t, Math.max(NOTIFY_TIMEOUT_MS, count * 100))));
  const drainSeconds = (performance.now() - drainStart) / 1000;
  const failed = drained.filter((d) => d.status === 'rejected').length;
  await sleep(2000); // paid payments close once their notification is answered
  const closed = await inquiries(stack, merchant, inquired, '0');
  say(`memory: drained; inquiry of closed payments p50/p95/p99 ${fmt(closed.ms)} ms, ${closed.perSecond}/s, ${closed.cpuMs.total} CPU ms each`);
  return {
    pending: tXids.length,
    approved: approved.approved,
    errors: created.errors.length + failed,
    ...(created.errors[0] ? { firstError: created.errors[0] } : {}),
    createSeconds: round(created.seconds, 1),
    createdPerSecond: round(tXids.length / created.seconds, 1),
    rssMiB: { idle, pending: pendingRss, drained: await rss() },
    drainSeconds: round(drainSeconds, 1),
    drainedPerSecond: round((tXids.length - failed) / drainSeconds, 1),
    inquiry: {
      count: inquired.length * 2,
      errors: inFlight.errors + closed.errors,
      inFlightMs: inFlight.ms,
      closedMs: closed.ms,
      inFlight: { perSecond: inFlight.perSecond, cpuMs: inFlight.cpuMs },
      closed: { perSecond: closed.perSecond, cpuMs: closed.cpuMs },
    },
  };
}

/** Inquiries of the memory run's payments each read once by a merchant at concurrency 50, answered with `status`. */
const INQUIRIES = 2_000;

/**
 * One pass of inquiries: latency, rate and CPU per inquiry. The CPU figure bounds the latency: in a closed loop
 * the mean latency is concurrency ÷ rate, and the rate cannot pass the machine's cores ÷ CPU per inquiry.
 */
async function inquiries(stack: BenchStack, merchant: NicepayTestClient, regs: readonly Reply[], status: string): Promise<{ ms: Percentiles; errors: number; perSecond: number; cpuMs: InquiryCpu }> {
  const before = await stack.sampleAll();
  const clientBefore = process.cpuUsage();
  const { results, errors, seconds } = await closedLoop(50, regs.length, async (i) => {
    const t0 = performance.now();
    const answer = await merchant.inquire(regs[i] ?? {});
    const ms = performance.now() - t0;
    if (answer.resultCd !== '0000' || answer.status !== status) throw new Error(`inquiry: ${answer.resultCd ?? '?'} status ${answer.status ?? '?'} (${answer.resultMsg ?? ''})`);
    return ms;
  });
  const after = await stack.sampleAll();
  const clientCpu = process.cpuUsage(clientBefore);
  const n = Math.max(1, regs.length);
  const perInquiryMs = (cpuSeconds: number): number => round((cpuSeconds * 1000) / n, 2);
  const spent = (name: ProcessName): number => perInquiryMs(after[name].cpuSeconds - before[name].cpuSeconds);
  const cpu = { temporal: spent('temporal'), api: spent('api'), worker: spent('worker'), benchClient: perInquiryMs((clientCpu.user + clientCpu.system) / 1e6) };
  return { ms: percentiles(results), errors: errors.length, perSecond: round(regs.length / seconds, 1), cpuMs: { total: round(cpu.temporal + cpu.api + cpu.worker + cpu.benchClient, 2), ...cpu } };
}

function workerSettings(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('WORKER_MAX') || k.endsWith('_POLLERS')).map(([k, v]) => [k, v ?? '']));
}

function printSummary(baseline: readonly BaselineLevel[], gateway: readonly GatewayLevel[], memory: MemoryRun | undefined): void {
  const rows = [
    ['concurrency', 'baseline wf/s', 'bare start p50/p95/p99 ms', 'gateway pay/s', 'ratio', 'registration p50/p95/p99 ms', 'to notification p50/p95/p99 ms', 'CPU s/payment'],
    ...gateway.map((g) => {
      const b = baseline.find((x) => x.concurrency === g.concurrency);
      return [String(g.concurrency), b ? b.perSecond.toFixed(1) : '-', b ? fmt(b.startMs) : '-', g.perSecond.toFixed(1), `${Math.round(g.ratioToBaseline * 100)} %`, fmt(g.registrationMs), fmt(g.timeToNotificationMs), g.cpuSecondsPerPayment.total.toFixed(3)];
    }),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  process.stdout.write(`\n${rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n')}\n`);
  if (memory) {
    process.stdout.write(
      `\n${memory.pending} pending payments: worker RSS ${memory.rssMiB.pending.worker} MiB, Temporal server ${memory.rssMiB.pending.temporal} MiB, ` +
        `API ${memory.rssMiB.pending.api} MiB, sandbox ${memory.rssMiB.pending.sandbox} MiB; all approved: drained in ${memory.drainSeconds} s\n\n`,
    );
  }
}

const fmt = (p: Percentiles): string => `${Math.round(p.p50)}/${Math.round(p.p95)}/${Math.round(p.p99)}`;
const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

await main();
