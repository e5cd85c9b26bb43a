/**
 * `node --import tsx bench/slow-bodies.ts [--seconds N] [--slow N] [--label NAME]`: what a slow-body attack costs a
 * normal merchant (issue 22, finding 8). Starts the stack as `npm start` runs it (bench/stack.ts: Temporal dev
 * server on SQLite, worker, API, sandbox, each its own process, loopback only), then times one merchant's
 * registrations, one after another, for `--seconds` (15) in each phase, three body timeouts and more:
 *   1. alone;
 *   2. while `--slow` (200) connections trickle their bodies to the registration route, a byte every 250 ms, each
 *      reopened as soon as the gateway closes it, so the attack holds steady for the whole measurement.
 * Prints p50/p95/max of the registration call and its result codes in each phase, and what the slow connections got.
 * Figures, never assertions: bench/README.md ("Slow bodies") has the latest ones.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SQLITE_PRAGMAS } from '../scripts/dev-server.js';
import { NicepayTestClient } from '../test/support/nicepay-client.js';
import { trickle, type TrickleClient } from '../test/support/trickle.js';
import { percentiles } from './load.js';
import { BenchStack } from './stack.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const seconds = Number(option('--seconds') ?? 15);
const slowCount = Number(option('--slow') ?? 200);
const label = option('--label') ?? 'slow-bodies';

const say = (m: string): void => void process.stdout.write(`[slow-bodies] ${m}\n`);

interface Phase {
  readonly name: string;
  readonly latenciesMs: number[];
  readonly codes: Map<string, number>;
}

/** One merchant registering payments one after another, 50 ms apart, as a shop's checkout would, for `seconds`. */
async function measure(name: string, client: NicepayTestClient): Promise<Phase> {
  const phase: Phase = { name, latenciesMs: [], codes: new Map() };
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    const reply = await client.register('081299999999').catch((err: unknown) => ({ resultCd: `error: ${err instanceof Error ? err.message : String(err)}` }));
    phase.latenciesMs.push(performance.now() - started);
    const code = reply.resultCd ?? 'none';
    phase.codes.set(code, (phase.codes.get(code) ?? 0) + 1);
    await sleep(50);
  }
  return phase;
}

/** `count` trickling connections, each replaced as soon as the gateway closes it; what the closed ones were told. */
function sustainTrickle(port: number, count: number) {
  const open = new Set<TrickleClient>();
  const answers = new Map<string, number>();
  const heldMs: number[] = [];
  let stopped = false;
  const openOne = async (): Promise<void> => {
    if (stopped) return;
    const opened = performance.now();
    const client = await trickle(port, '/nicepay/direct/v2/registration', { everyMs: 250 });
    open.add(client);
    void client.closed.then((answer) => {
      open.delete(client);
      if (stopped) return;
      heldMs.push(performance.now() - opened);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 'no answer';
      const resultCd = /"resultCd":"(\d{4})"/.exec(answer)?.[1];
      const key = resultCd ? `HTTP ${status} ${resultCd}` : status === 'no answer' ? 'closed without an answer' : `HTTP ${status}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
      void openOne();
    });
  };
  return {
    ready: Promise.all(Array.from({ length: count }, () => openOne())),
    open: () => open.size,
    answers,
    heldMs,
    stop: () => {
      stopped = true;
      for (const c of open) c.stop();
    },
  };
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

function row(p: Phase): string {
  const q = percentiles(p.latenciesMs);
  const codes = [...p.codes].map(([code, n]) => `${n} × ${code}`).join(', ');
  return `| ${p.name} | ${p.latenciesMs.length} | ${fmt(q.p50)} / ${fmt(q.p95)} / ${fmt(q.max)} | ${codes} |`;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ewallet-slow-bodies-'));
  const env: NodeJS.ProcessEnv = { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', SANDBOX_PERSIST: 'false' };
  say(`${label}: ${seconds} s of registrations alone, then ${seconds} s beside ${slowCount} trickling connections; data in ${dataDir}`);
  const stack = await BenchStack.start({ root, dataDir, sqlitePragmas: DEFAULT_SQLITE_PRAGMAS, dynamicConfig: [], env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  }
  try {
    const client = new NicepayTestClient(stack.apiUrl, 'http://127.0.0.1:9/notify', 'http://127.0.0.1:9/return');
    for (let i = 0; i < 10; i++) await client.register('081299999999'); // warm-up: JIT, connections, Temporal
    const alone = await measure('alone', client);
    stack.check();

    const attack = sustainTrickle(Number(new URL(stack.apiUrl).port), slowCount);
    await attack.ready;
    await sleep(500); // every slow request is inside the API, its body still coming
    say(`${attack.open()} trickling connections open`);
    const beside = await measure(`beside ${slowCount} trickling connections`, client);
    const openAtEnd = attack.open();
    attack.stop();
    stack.check();

    const held = percentiles(attack.heldMs);
    process.stdout.write(`\n${label}: one merchant's registration latency, ms\n\n`);
    process.stdout.write('| phase | registrations | p50 / p95 / max ms | result codes |\n|---|---|---|---|\n');
    process.stdout.write(`${row(alone)}\n${row(beside)}\n\n`);
    const answers = [...attack.answers].map(([k, n]) => `${n} × ${k}`).join(', ') || 'none closed yet';
    process.stdout.write(`Trickling connections: ${openAtEnd} open at the end; closed by the gateway: ${answers}; held p50 / max ${fmt(held.p50)} / ${fmt(held.max)} ms.\n`);
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
