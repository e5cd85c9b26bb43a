/**
 * `npm run chaos [-- --quick] [-- --payments N] [-- --scale-out] [-- --postgres]`: hundreds of concurrent payments over every wallet
 * with mixed magic values while the worker, the API and the Temporal dev server are each killed with SIGKILL and
 * restarted. `--scale-out` runs two workers and two API instances against the one Temporal (as `npm run worker` and
 * `npm run api` run on one host: only their ports differ), payments alternating between the two APIs, and kills one
 * worker and one API (the other of each keeps serving) besides the server. `--postgres` runs the real Temporal server
 * on PostgreSQL instead of the dev server (scripts/postgres/cluster.ts, as `npm run start:postgres`): the server is
 * killed and restarted, its database stays up, as a database on its own machine would. Then
 * checks, from the outside only (inquiry, the sandbox ledgers, the merchant's inbox): every transaction final, no
 * customer charged twice, no charge without a paid (or refunded) transaction, every final status notified, no
 * notification going backwards. Loopback only; prints one summary line; exit code 1 if any figure is not zero.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { paymentWorkflowId } from '../../domain/tx-id.js';
import { loadTemporalTarget } from '../../domain/config.js';
import { freeLowPort, freePort } from '../../test/support/free-port.js';
import { historyText } from '../../test/support/history-text.js';
import { MerchantServer } from '../../test/support/merchant-server.js';
import { NicepayTestClient, type Reply } from '../../test/support/nicepay-client.js';
import { sqlitePragmaFlags } from '../dev-server.js';
import { startPostgresTemporal } from '../postgres/cluster.js';
import { WORKER_NODE_FLAGS } from '../../workers/node-flags.js';
import { resolveTemporalCli } from '../temporal-binaries.js';
import { expectedOutcomes, planPayments, type PlannedPayment } from './plan.js';
import { Supervisor } from './supervisor.js';
import { searchAttributeFlags } from '../../workflows/search-attributes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const quick = process.argv.includes('--quick');
const countArg = process.argv.indexOf('--payments');
const total = countArg > 0 ? Number(process.argv[countArg + 1]) : quick ? 60 : 300;
/** Payments are started over this long, so the kills land among payments being created, waiting and settling. */
const rampSeconds = quick ? 12 : 30;
const kills = quick ? [3, 6, 9] : [6, 15, 24];
const settleTimeoutMs = quick ? 120_000 : 240_000;
const scaleOut = process.argv.includes('--scale-out');
const postgres = process.argv.includes('--postgres');

interface Tracked extends PlannedPayment {
  reg?: Reply;
  error?: string;
}

const say = (m: string) => process.stdout.write(`[chaos] ${m}\n`);

/** A merchant's retry: the gateway's calls are idempotent, so a refused connection or "busy" is simply tried again. */
async function retrying(what: string, call: () => Promise<Reply>, done: (r: Reply) => boolean): Promise<Reply> {
  const deadline = Date.now() + 90_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const reply = await call();
      if (done(reply)) return reply;
      last = `${reply.resultCd ?? '?'} ${reply.resultMsg ?? reply.raw ?? ''}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(500);
  }
  throw new Error(`${what}: gave up (${last})`);
}

async function waitHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await fetch(url).catch(() => undefined))?.status === 200) return;
    await sleep(500);
  }
  throw new Error(`${url} never became healthy`);
}

async function start(client: NicepayTestClient, p: Tracked): Promise<void> {
  try {
    if (p.linked) {
      const link = await retrying('linkEnable', () => client.linkEnable(p.phone), (r) => r.resultCd === '0000');
      await retrying('link active', () => client.linkCall('linkInquiry', link.mandateID ?? ''), (r) => r.linkStatus === 'ACTIVE');
      const fields = { referenceNo: p.referenceNo };
      // 9502 with a tXid: already decided (our earlier try got through and the payment has ended since).
      const pay = await retrying('linkInitiate', () => client.linkInitiate(link.mandateID ?? '', fields), (r) => ['0000', '1004'].includes(r.resultCd ?? '') || (r.resultCd === '9502' && !!r.tXid));
      p.reg = { tXid: pay.tXid ?? '', referenceNo: p.referenceNo, amt: '15000' };
      return;
    }
    const reg = await retrying('registration', () => client.register(p.phone, { mitraCd: p.mitraCd, referenceNo: p.referenceNo, amt: 15000 }), (r) => r.resultCd === '0000');
    p.reg = reg;
    // 1004: the gateway has it and keeps checking; 9502: already decided (our earlier try got through).
    await retrying('payment', () => client.payJson(reg), (r) => ['0000', '1004', '9502'].includes(r.resultCd ?? ''));
  } catch (err) {
    p.error = err instanceof Error ? err.message : String(err);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const dataDir = await mkdtemp(join(tmpdir(), 'ewallet-chaos-'));
  if (postgres) await chmod(dataDir, 0o755); // the postgres user must reach its cluster below it
  const logDir = join(dataDir, 'logs');
  await mkdir(logDir);
  const temporalPort = postgres ? await freeLowPort(17233, new Set()) : await freePort();
  const [uiPort, apiPort, sandboxPort, opsPort, workerMetricsPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_PORT: String(apiPort),
    OPS_PORT: String(opsPort),
    SANDBOX_PORT: String(sandboxPort),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    GATEWAY_BASE_URL: apiUrl,
    OVO_PUSH_TIMEOUT_SECONDS: '6',
    CHECKOUT_TIMEOUT_SECONDS: '6',
    LINK_TIMEOUT_SECONDS: '6',
    SANDBOX_APPROVE_DELAY_MS: '500',
    SANDBOX_LATE_APPROVE_MS: '9000',
    // Payments close during the run (a day by default): their last look at the wallet happens under the kills too.
    SETTLEMENT_WINDOW_SECONDS: '15',
    WORKER_METRICS_PORT: String(workerMetricsPort),
  };
  // The second instance of each, scale-out only: the same environment but for its own listeners.
  const second = { api: { ...env, API_PORT: String(await freePort()), OPS_PORT: String(await freePort()) }, worker: { ...env, WORKER_METRICS_PORT: String(await freePort()) } };
  const apiUrls = scaleOut ? [apiUrl, `http://127.0.0.1:${second.api.API_PORT ?? ''}`] : [apiUrl];
  const supervisor = new Supervisor(root, logDir);
  // Stopped from outside (Ctrl-C, CI's timeout): the supervised processes run in groups of their own and must not
  // outlive the run.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      say(`${signal}: stopping everything (data and logs kept in ${dataDir})`);
      void supervisor.stopAll(['temporal', 'postgres']).finally(() => process.exit(130));
    });
  }
  const node = (script: string) => ({ file: process.execPath, args: ['--import', 'tsx', script] });
  const merchant = await MerchantServer.start();
  let exitCode = 1;
  try {
    if (postgres) {
      const options = { dataDir, frontendPort: temporalPort, pgPort: await freePort(), password: randomBytes(12).toString('hex'), namespace: loadTemporalTarget().namespace, say };
      await startPostgresTemporal(options, (name, command) => {
        supervisor.start({ name, ...command, stopSignal: name === 'postgres' ? 'SIGINT' : 'SIGTERM' });
        return () => supervisor.alive(name);
      });
    } else {
      const cli = await resolveTemporalCli();
      supervisor.start({
        name: 'temporal',
        file: cli,
        args: ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(temporalPort), '--ui-port', String(uiPort), '--headless', '--db-filename', join(dataDir, 'temporal.db'), '--log-level', 'error', ...sqlitePragmaFlags(), ...searchAttributeFlags()],
        env,
      });
    }
    for (const name of ['worker', 'api', 'sandbox'] as const) {
      const spec = node({ worker: 'workers/main.ts', api: 'api/server.ts', sandbox: 'sandbox/server.ts' }[name]);
      const args = name === 'worker' ? [...WORKER_NODE_FLAGS, ...spec.args] : spec.args;
      supervisor.start({ name, file: spec.file, args, env });
      if (scaleOut && name !== 'sandbox') supervisor.start({ name: `${name}-2`, file: spec.file, args, env: second[name] });
    }
    for (const url of apiUrls) await waitHealthy(`${url}/health`, 120_000);
    const shape = `${postgres ? 'Temporal on PostgreSQL; ' : ''}${scaleOut ? '2 workers and 2 APIs; ' : ''}`;
    say(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s; ${shape}${total} payments over ${rampSeconds} s; kills at ${kills.join(', ')} s: worker, api, temporal (logs in ${logDir})`);

    // Scale-out: payments alternate between the API instances (one merchant integration behind each).
    const clients = apiUrls.map((url) => new NicepayTestClient(url, `${merchant.url}/notify`, `${merchant.url}/return`));
    const clientOf = (i: number): NicepayTestClient => clients[i % clients.length] ?? new NicepayTestClient(apiUrl, `${merchant.url}/notify`, `${merchant.url}/return`);
    const payments: Tracked[] = planPayments(total);
    const loadStart = Date.now();
    const killers = (['worker', 'api', 'temporal'] as const).map(async (name, i) => {
      await sleep((kills[i] ?? 0) * 1000);
      say(`SIGKILL ${name} at ${((Date.now() - loadStart) / 1000).toFixed(1)} s`);
      supervisor.kill(name);
    });
    await Promise.all(
      payments.map(async (p, i) => {
        await sleep((i / total) * rampSeconds * 1000);
        await start(clientOf(i), p);
      }),
    );
    await Promise.all(killers);
    say(`all ${total} payments submitted after ${((Date.now() - loadStart) / 1000).toFixed(1)} s; waiting for them to settle`);
    for (const url of apiUrls) await waitHealthy(`${url}/health`, 120_000);

    const figures = await settleAndCheck(clientOf, merchant, sandboxUrl, payments);
    figures.leaks = await customerDataLeaks(logDir, `127.0.0.1:${temporalPort}`, payments, figures.problems);
    const restarts = [...supervisor.restarts].map(([n, c]) => `${n}:${c}`).join(' ');
    const summary =
      `chaos: payments=${total} final=${figures.final} ${postgres ? 'temporal=postgres ' : ''}${scaleOut ? 'workers=2 apis=2 ' : ''}kills=3 (worker, api, temporal) restarts=${restarts || 'none'} ` +
      `lost=${figures.lost} double-charges=${figures.doubleCharges} charges-without-payment=${figures.chargesWithoutPayment} ` +
      `missing-notifications=${figures.missingNotifications} backwards=${figures.backwards} wrong-outcome=${figures.wrongOutcome} ` +
      `customer-data-leaks=${figures.leaks} ` +
      `in ${((Date.now() - started) / 1000).toFixed(0)} s`;
    await writeFile(join(dataDir, 'chaos-result.json'), JSON.stringify({ summary, figures, problems: figures.problems }, null, 2));
    for (const problem of figures.problems.slice(0, 20)) say(`problem: ${problem}`);
    process.stdout.write(`${summary}\n`);
    const bad = figures.lost + figures.doubleCharges + figures.chargesWithoutPayment + figures.missingNotifications + figures.backwards + figures.wrongOutcome + figures.leaks;
    exitCode = bad === 0 ? 0 : 1;
  } finally {
    await supervisor.stopAll(['temporal', 'postgres']);
    await merchant.close();
    if (exitCode === 0 && !process.argv.includes('--keep')) await rm(dataDir, { recursive: true, force: true });
    else say(`data and logs kept in ${dataDir}`);
  }
  process.exit(exitCode);
}

interface Figures {
  final: number;
  lost: number;
  doubleCharges: number;
  chargesWithoutPayment: number;
  missingNotifications: number;
  backwards: number;
  wrongOutcome: number;
  /** Customer phone numbers, names or e-mails found in the processes' logs or in Temporal's stored history. */
  leaks: number;
  problems: string[];
}

async function settleAndCheck(clientOf: (i: number) => NicepayTestClient, merchant: MerchantServer, sandboxUrl: string, payments: Tracked[]): Promise<Figures> {
  const f: Figures = { final: 0, lost: 0, doubleCharges: 0, chargesWithoutPayment: 0, missingNotifications: 0, backwards: 0, wrongOutcome: 0, leaks: 0, problems: [] };
  const deadline = Date.now() + settleTimeoutMs;
  const inquiries = new Map<string, Reply>();
  const settled = (p: Tracked): boolean => {
    const tXid = p.reg?.tXid ?? '';
    const inquiry = inquiries.get(tXid);
    if (!inquiry || !['0', '1', '2', '5', '8'].includes(inquiry.status ?? '')) return false;
    const notes = merchant.for(tXid);
    const outcome = expectedOutcomes(p.magic).find((o) => o.status === inquiry.status);
    return notes.some((n) => n.fields.status === inquiry.status && n.fields.cancelAmt === inquiry.cancelAmt) && inquiry.cancelAmt === String(outcome?.cancelAmt ?? -1);
  };
  let lastReport = Date.now();
  while (Date.now() < deadline) {
    const open = payments.filter((p) => p.reg?.tXid && !settled(p));
    if (open.length === 0) break;
    if (Date.now() - lastReport > 15_000) {
      say(`${open.length} payments still settling`);
      lastReport = Date.now();
    }
    await Promise.all(
      open.map(async (p, i) => {
        const reply = await clientOf(i).inquire(p.reg ?? {}).catch(() => undefined);
        if (reply?.resultCd === '0000') inquiries.set(p.reg?.tXid ?? '', reply);
      }),
    );
    await sleep(1000);
  }

  const ledgerRes = await fetch(`${sandboxUrl}/sandbox/ledger`);
  const ledger = ((await ledgerRes.json()) as { entries: { type: string; merchantInvoice: string; amount: number }[] }).entries;
  for (const p of payments) {
    const tXid = p.reg?.tXid;
    if (!tXid) {
      f.lost++;
      f.problems.push(`${p.referenceNo} (${p.mitraCd} ${p.magic}) never registered: ${p.error ?? 'unknown'}`);
      continue;
    }
    const inquiry = inquiries.get(tXid);
    const status = inquiry?.status ?? '';
    if (!['0', '1', '2', '5', '8'].includes(status)) {
      f.lost++;
      f.problems.push(`${tXid} (${p.mitraCd} ${p.magic}) not final: status ${status || 'unknown'}`);
      continue;
    }
    f.final++;
    const expected = expectedOutcomes(p.magic);
    if (!expected.some((o) => o.status === status && String(o.cancelAmt) === inquiry?.cancelAmt)) {
      f.wrongOutcome++;
      f.problems.push(`${tXid} (${p.mitraCd} ${p.magic}) ended ${status}/${inquiry?.cancelAmt ?? '?'}, expected ${expected.map((o) => `${o.status}/${o.cancelAmt}`).join(' or ')}`);
    }
    const entries = ledger.filter((e) => e.merchantInvoice === tXid);
    const charges = entries.filter((e) => e.type === 'charge');
    const net = charges.reduce((s, e) => s + e.amount, 0) - entries.filter((e) => e.type === 'refund').reduce((s, e) => s + e.amount, 0);
    if (charges.length > 1 || charges.some((e) => e.amount !== 15000)) {
      f.doubleCharges++;
      f.problems.push(`${tXid} (${p.mitraCd} ${p.magic}) charged ${charges.length} times`);
    }
    const owed = status === '0' ? 15000 - Number(inquiry?.cancelAmt ?? 0) : 0;
    if (net !== owed) {
      f.chargesWithoutPayment++;
      f.problems.push(`${tXid} (${p.mitraCd} ${p.magic}) status ${status}: the wallet kept ${net}, the gateway says ${owed}`);
    }
    const notes = merchant.for(tXid);
    const last = notes.at(-1);
    if (!last || last.fields.status !== status || last.fields.cancelAmt !== inquiry?.cancelAmt || !notes.every((n) => n.tokenValid)) {
      f.missingNotifications++;
      f.problems.push(`${tXid} (${p.mitraCd} ${p.magic}) final ${status}/${inquiry?.cancelAmt ?? '?'}, last notification ${last ? `${last.fields.status}/${last.fields.cancelAmt}` : 'none'}`);
    }
    if (goesBackwards(notes.map((n) => ({ status: n.fields.status ?? '', cancelAmt: Number(n.fields.cancelAmt ?? 0) })))) {
      f.backwards++;
      f.problems.push(`${tXid} (${p.mitraCd} ${p.magic}) notifications went backwards: ${notes.map((n) => `${n.fields.status}/${n.fields.cancelAmt}`).join(' → ')}`);
    }
  }
  return f;
}

/**
 * The customer data every payment carried (phones, the name and e-mail the merchant sent), searched for in every
 * process's log and, through a client without the payload codec, in what Temporal stored for a sample of payments.
 */
async function customerDataLeaks(logDir: string, temporalAddress: string, payments: readonly Tracked[], problems: string[]): Promise<number> {
  const secrets = ['Budi Santoso', 'budi@example.com', ...payments.map((p) => p.phone)];
  let leaks = 0;
  for (const file of await readdir(logDir)) {
    const text = await readFile(join(logDir, file), 'utf8');
    const found = secrets.filter((v) => text.includes(v));
    if (found.length > 0) {
      leaks += found.length;
      problems.push(`${file}: customer data in the log (${found.slice(0, 3).join(', ')}…)`);
    }
  }
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const raw = new Client({ connection });
    for (const p of payments.filter((x) => x.reg?.tXid).slice(0, 25)) {
      const text = await historyText(await raw.workflow.getHandle(paymentWorkflowId(p.reg?.tXid ?? '')).fetchHistory());
      const found = [p.phone, 'Budi Santoso', 'budi@example.com'].filter((v) => text.includes(v));
      if (found.length > 0) {
        leaks += found.length;
        problems.push(`${p.reg?.tXid ?? ''}: customer data in Temporal's stored history (${found.join(', ')})`);
      }
    }
  } finally {
    await connection.close();
  }
  return leaks;
}

/** A later notification never reports a different final status, except paid → refunded; refunds only grow. */
function goesBackwards(notes: readonly { status: string; cancelAmt: number }[]): boolean {
  for (let i = 1; i < notes.length; i++) {
    const [a, b] = [notes[i - 1], notes[i]];
    if (!a || !b) continue;
    if (b.cancelAmt < a.cancelAmt) return true;
    if (a.status !== b.status && !(a.status === '0' && b.status === '2')) return true;
  }
  return false;
}

await main();
