import type { BenchResult } from './result.js';

/** A target of issue 25, its figure in a run and whether the run met it. */
export interface TargetCheck {
  readonly target: string;
  readonly figure: string;
  readonly met: boolean | undefined;
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
  return [
    {
      target: `payments/s ≥ 75 % of the baseline's workflows/s at ${TARGET_CONCURRENCY}`,
      figure: g && b ? `${g.perSecond} ÷ ${b.perSecond} = ${pct(g.ratioToBaseline)}` : 'not run',
      met: g && b ? g.ratioToBaseline >= 0.75 : undefined,
    },
    {
      target: `registration p99 ≤ 1.5 × bare start p99 at ${TARGET_CONCURRENCY}`,
      figure: g && b ? `${g.registrationMs.p99} ms ÷ ${b.startMs.p99} ms = ${g.registrationP99ToBareStartP99} ×` : 'not run',
      met: g && b ? g.registrationP99ToBareStartP99 <= 1.5 : undefined,
    },
    {
      target: `inquiry p99 ≤ 100 ms (in flight and closed, at ${TARGET_CONCURRENCY})`,
      figure: m?.inquiry ? `in flight ${m.inquiry.inFlightMs.p99} ms, closed ${m.inquiry.closedMs.p99} ms` : 'not run',
      met: m?.inquiry ? Math.max(m.inquiry.inFlightMs.p99, m.inquiry.closedMs.p99) <= 100 : undefined,
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

/** The targets as a Markdown table (bench/report.ts) or plain lines (the run's summary). */
export function formatTargets(checks: readonly TargetCheck[], markdown: boolean): string {
  const verdict = (met: boolean | undefined): string => (met === undefined ? 'no figure' : met ? 'met' : markdown ? '**not met**' : 'NOT MET');
  if (markdown) return ['| target | figure | |', '|---|---|---|', ...checks.map((c) => `| ${c.target} | ${c.figure} | ${verdict(c.met)} |`)].join('\n');
  const width = Math.max(...checks.map((c) => c.target.length));
  return checks.map((c) => `${c.target.padEnd(width)}  ${c.figure}  → ${verdict(c.met)}`).join('\n');
}
