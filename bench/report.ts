/**
 * `node --import tsx bench/report.ts [bench/results/latest.json]`: a result as the Markdown table bench/README.md
 * shows, so the figures there are pasted from a run, never typed by hand.
 */
import { readFile } from 'node:fs/promises';
import { BenchResult } from './result.js';
import { checkTargets, formatTargets } from './targets.js';

const file = process.argv[2] ?? new URL('./results/latest.json', import.meta.url).pathname;
const r = BenchResult.parse(JSON.parse(await readFile(file, 'utf8')));
const ms = (p: { p50: number; p95: number; p99: number }): string => `${Math.round(p.p50)} / ${Math.round(p.p95)} / ${Math.round(p.p99)}`;
const lines = [
  `Run \`${r.label}\` of ${r.at.slice(0, 16).replace('T', ' ')} UTC, ${r.machine.cpus} × ${r.machine.model}, Node ${r.machine.node}, SQLite ${r.settings.sqlitePragmas.join(', ') || 'defaults'}, ${r.seconds} s.`,
  '',
  '| concurrency | baseline workflows/s | bare start p50 / p95 / p99 ms | gateway payments/s | gateway ÷ baseline | registration p50 / p95 / p99 ms | registration p99 ÷ bare start p99 | time to notification p50 / p95 / p99 ms | CPU s per payment (server + worker + API + sandbox) |',
  '|---|---|---|---|---|---|---|---|---|',
  ...r.gateway.map((g) => {
    const b = r.baseline.find((x) => x.concurrency === g.concurrency);
    const c = g.cpuSecondsPerPayment;
    return `| ${g.concurrency} | ${b?.perSecond ?? '-'} | ${b ? ms(b.startMs) : '-'} | ${g.perSecond} | ${Math.round(g.ratioToBaseline * 100)} % | ${ms(g.registrationMs)} | ${g.registrationP99ToBareStartP99} | ${ms(g.timeToNotificationMs)} | ${c.total} (${c.temporal} + ${c.worker} + ${c.api} + ${c.sandbox}) |`;
  }),
  '',
  ...baselineSplit(),
  `Per payment in Temporal's history: ${r.profile.gateway.workflowTasks} workflow tasks, ${r.profile.gateway.activities} activities, ${r.profile.gateway.localActivities} local activities, ${r.profile.gateway.events} events, ${r.profile.gateway.payloadBytes} bytes of (encrypted) payloads; the baseline workflow: ${r.profile.baseline.workflowTasks} workflow tasks, ${r.profile.baseline.activities} activity, ${r.profile.baseline.events} events.`,
];
/** The baseline's CPU per workflow, split as the gateway's is (its merchants' client beside it, not in the sum). */
function baselineSplit(): string[] {
  const shares = r.baseline.filter((b) => b.cpuShares).map((b) => `${b.concurrency}: ${b.cpuSecondsPerWorkflow} (${b.cpuShares?.temporal} + ${b.cpuShares?.worker}; client ${b.cpuShares?.benchClient})`);
  return shares.length > 0 ? ['', `Baseline CPU s per workflow (server + its worker; the benchmark's client) at ${shares.join(', ')}.`] : [];
}

if (r.memory) {
  const m = r.memory;
  lines.push(
    '',
    '| pending payments | worker RSS | Temporal server RSS | API RSS | sandbox RSS | created at | all approved at once: drained in |',
    '|---|---|---|---|---|---|---|',
    `| ${m.pending} | ${m.rssMiB.pending.worker} MiB (idle ${m.rssMiB.idle.worker}) | ${m.rssMiB.pending.temporal} MiB | ${m.rssMiB.pending.api} MiB | ${m.rssMiB.pending.sandbox} MiB | ${m.createdPerSecond} /s | ${m.drainSeconds} s (${m.drainedPerSecond} /s)${m.errors ? `, ${m.errors} errors` : ''} |`,
    '',
    `Inquiry at concurrency 50, ${m.inquiry.count / 2} payments each: waiting for their customers p50 / p95 / p99 ${ms(m.inquiry.inFlightMs)} ms; closed ${ms(m.inquiry.closedMs)} ms.`,
  );
  const pass = (name: string, p: NonNullable<typeof m.inquiry.inFlight>): string =>
    `${name} ${p.perSecond} /s at ${p.cpuMs.total} CPU ms each (server ${p.cpuMs.temporal}, API ${p.cpuMs.api}, worker ${p.cpuMs.worker}, the merchants' client ${p.cpuMs.benchClient})`;
  if (m.inquiry.inFlight && m.inquiry.closed) lines.push(`Inquiries: ${pass('waiting', m.inquiry.inFlight)}; ${pass('closed', m.inquiry.closed)}.`);
}
lines.push('', formatTargets(checkTargets(r), true));
process.stdout.write(`${lines.join('\n')}\n`);
