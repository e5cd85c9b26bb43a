import type { BenchResult, InquiryCpu, Percentiles, StartsAlone } from './result.js';

/** A target of issue 25, its figure in a run and whether the run met it. */
export interface TargetCheck {
  readonly target: string;
  readonly figure: string;
  readonly met: boolean | undefined;
  /**
   * What the same run's own figures say about a throughput or latency target: the bound the machine's cores set,
   * or (registration) that the medians are as far apart as the tails (bench/README.md "What the machine allows").
   */
  readonly evidence?: string;
}

/** The concurrency the throughput targets are set at: the full run's highest level. */
const TARGET_CONCURRENCY = 50;

/**
 * Issue 25's targets, read from one run (full run, concurrency 50, the same machine and run as the baseline).
 * `met` is undefined where the run has no figure (a level or the memory run left out).
 */
export function checkTargets(r: BenchResult): TargetCheck[] {
  const g = r.gateway.find((x) => x.concurrency === TARGET_CONCURRENCY);
  const b = r.baseline.find((x) => x.concurrency === TARGET_CONCURRENCY);
  const m = r.memory;
  const pct = (v: number): string => `${Math.round(v * 100)} %`;
  const cores = r.machine.cpus;
  return [
    {
      target: `payments/s ≥ 75 % of the baseline's workflows/s at ${TARGET_CONCURRENCY}`,
      figure: g && b ? `${g.perSecond} ÷ ${b.perSecond} = ${pct(g.ratioToBaseline)}` : 'not run',
      met: g && b ? g.ratioToBaseline >= 0.75 : undefined,
      ...(g && b?.cpuShares ? { evidence: throughputLimit(g, { perSecond: b.perSecond, cpuShares: b.cpuShares }, cores) } : {}),
    },
    {
      target: `registration p99 ≤ 1.5 × bare start p99 at ${TARGET_CONCURRENCY}`,
      figure: g && b ? `${g.registrationMs.p99} ms ÷ ${b.startMs.p99} ms = ${g.registrationP99ToBareStartP99} ×` : 'not run',
      met: g && b ? g.registrationP99ToBareStartP99 <= 1.5 : undefined,
      ...(g && b ? { evidence: registrationEvidence(g.registrationMs, b.startMs, r.startsAlone) } : {}),
    },
    {
      target: `inquiry p99 ≤ 100 ms (in flight and closed, at ${TARGET_CONCURRENCY})`,
      figure: m?.inquiry ? `in flight ${m.inquiry.inFlightMs.p99} ms, closed ${m.inquiry.closedMs.p99} ms` : 'not run',
      met: m?.inquiry ? Math.max(m.inquiry.inFlightMs.p99, m.inquiry.closedMs.p99) <= 100 : undefined,
      ...(m?.inquiry.inFlight && m.inquiry.closed ? { evidence: inquiryLimit(m.inquiry.inFlight.cpuMs, m.inquiry.closed.cpuMs, cores) } : {}),
    },
    {
      target: '10 000 pending payments in < 600 MiB worker RSS',
      figure: m ? `${m.pending} pending: ${m.rssMiB.pending.worker} MiB` : 'not run',
      met: m ? m.pending >= 10_000 && m.rssMiB.pending.worker < 600 : undefined,
    },
    {
      target: `drained after a mass approval at ≥ 80 % of the steady rate (payments/s at ${TARGET_CONCURRENCY})`,
      figure: m && g ? `${m.drainedPerSecond} /s ÷ ${g.perSecond} /s = ${pct(m.drainedPerSecond / g.perSecond)}` : 'not run',
      met: m && g ? m.drainedPerSecond >= 0.8 * g.perSecond : undefined,
    },
  ];
}

type GatewayCpu = NonNullable<BenchResult['gateway'][number]>['cpuSecondsPerPayment'];
type BaselineCpu = NonNullable<NonNullable<BenchResult['baseline'][number]>['cpuShares']>;

/**
 * Rate × CPU per payment cannot pass the cores (the wallet simulator and the merchants share them): what 75 % of the
 * baseline's rate allows a payment, and so its worker, with everything else as it was.
 */
function throughputLimit(g: { readonly cpuSecondsPerPayment: GatewayCpu }, b: { readonly perSecond: number; readonly cpuShares: BaselineCpu }, cores: number): string {
  const c = g.cpuSecondsPerPayment;
  const payment = c.temporal + c.worker + c.api + c.sandbox + c.benchClient;
  const allowed = cores / (0.75 * b.perSecond);
  const s = (v: number): string => v.toFixed(4);
  return (
    `${(0.75 * b.perSecond).toFixed(1)} payments/s allow at most ${s(allowed)} CPU s each on ${cores} fully busy cores; one took ${s(payment)} ` +
    `(merchants and wallet simulator included), which leaves its worker ${s(allowed - (payment - c.worker))} against its ${s(c.worker)} (the baseline's worker: ${s(b.cpuShares.worker)})`
  );
}

/** Whether the medians are as far apart as the tails, and how far apart the two are with nothing else in flight. */
function registrationEvidence(registration: Percentiles, bareStart: Percentiles, alone: StartsAlone | undefined): string {
  const medians = `the medians too: ${registration.p50} ÷ ${bareStart.p50} ms = ${(registration.p50 / Math.max(1, bareStart.p50)).toFixed(2)} ×`;
  if (!alone) return medians;
  return `${medians}; with nothing else in flight at ${alone.concurrency}: p99 ${alone.registrationMs.p99} ÷ ${alone.bareStartMs.p99} ms = ${alone.registrationP99ToBareStartP99} ×`;
}

/** Merchants inquiring flat out: the mean latency is their number over the rate, and the rate is at most cores ÷ CPU per inquiry. */
function inquiryLimit(inFlight: InquiryCpu, closed: InquiryCpu, cores: number): string {
  const floor = (c: InquiryCpu): string => `${Math.round((TARGET_CONCURRENCY * c.total) / cores)} ms (the server's describes alone ${Math.round((TARGET_CONCURRENCY * c.temporal) / cores)})`;
  return `lowest mean ${TARGET_CONCURRENCY} merchants can see on ${cores} cores at the CPU each inquiry took: in flight ${floor(inFlight)}, closed ${floor(closed)}`;
}

/** The targets as a Markdown table (bench/report.ts) or plain lines (the run's summary). */
export function formatTargets(checks: readonly TargetCheck[], markdown: boolean): string {
  const verdict = (met: boolean | undefined): string => (met === undefined ? 'no figure' : met ? 'met' : markdown ? '**not met**' : 'NOT MET');
  if (markdown) return [`| target | figure | | what the same run's figures say |`, '|---|---|---|---|', ...checks.map((c) => `| ${c.target} | ${c.figure} | ${verdict(c.met)} | ${c.evidence ?? ''} |`)].join('\n');
  const width = Math.max(...checks.map((c) => c.target.length));
  return checks.map((c) => `${c.target.padEnd(width)}  ${c.figure}  → ${verdict(c.met)}${c.evidence ? `\n${' '.repeat(width + 2)}(${c.evidence})` : ''}`).join('\n');
}
