import type { Metric, MetricTags } from '@temporalio/common';
import { MetricsBuffer, type BufferedMetricUpdate } from '@temporalio/worker';

/**
 * Temporal's SDK metrics (`temporal_*`), served by the worker's own `/metrics` (CONTRACT §1: a worker's only
 * listener is WORKER_METRICS_PORT). Core's Prometheus exporter would bind a port of its own, so a second worker on
 * the host could not start; Core buffers its updates here instead and this turns them into the text exposition.
 *
 * Names and units are the ones that exporter used (`temporal_` prefix, no unit or `_total` suffix, durations in
 * milliseconds), so queries and dashboards keep working. Our own renderer rather than prom-client: Core reports one metric with
 * varying attribute names (`temporal_request` with and without `namespace`), which prom-client's fixed label names
 * cannot take, and one family may appear only once in a scrape.
 */
export class SdkMetrics {
  /** Core drops updates beyond this between drains: room for a busy second at the benchmark's rate. */
  readonly buffer = new MetricsBuffer({ maxBufferSize: 100_000 });
  private readonly families = new Map<string, Family>();
  /** Core reuses attribute objects across updates: their label text is built once. */
  private readonly labelText = new WeakMap<MetricTags, string>();

  /** For `Runtime.install({ telemetryOptions: { metrics } })`. */
  get exporter(): { readonly buffer: MetricsBuffer } {
    return { buffer: this.buffer };
  }

  /**
   * Drains on a timer too, not only on scrapes, so an unscraped worker never fills the buffer. A failing drain is
   * reported, never thrown: metrics must not stop payments. Returns the stop.
   */
  drainEvery(ms: number, onError: (err: unknown) => void): () => void {
    const timer = setInterval(() => {
      try {
        this.drain();
      } catch (err) {
        onError(err);
      }
    }, ms);
    timer.unref();
    return () => clearInterval(timer);
  }

  drain(): void {
    this.record(this.buffer.retrieveUpdates());
  }

  record(updates: Iterable<BufferedMetricUpdate>): void {
    for (const { metric, value, attributes } of updates) {
      if (!Number.isFinite(value)) continue;
      const family = this.family(metric);
      const labels = this.labels(attributes);
      let series = family.series.get(labels);
      if (!series) family.series.set(labels, (series = family.kind === 'histogram' ? { counts: family.buckets.map(() => 0), sum: 0, count: 0 } : { value: 0 }));
      if ('counts' in series) {
        // Cumulative per bucket (`le`), as the exposition states it.
        for (let i = 0; i < family.buckets.length; i++) if (value <= (family.buckets[i] ?? Infinity)) series.counts[i] = (series.counts[i] ?? 0) + 1;
        series.sum += value;
        series.count++;
      } else if (family.deltas) series.value += value;
      else series.value = value;
    }
  }

  /** The Prometheus text exposition (format 0.0.4) of everything Core reported so far. */
  text(): string {
    this.drain();
    const out: string[] = [];
    for (const [name, family] of this.families) {
      if (family.series.size === 0) continue;
      if (family.help) out.push(`# HELP ${name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      out.push(`# TYPE ${name} ${family.kind}`);
      for (const [labels, series] of family.series) {
        if (!('counts' in series)) {
          out.push(`${name}${braces(labels)} ${number(series.value)}`);
          continue;
        }
        family.buckets.forEach((le, i) => out.push(`${name}_bucket${braces(join(labels, `le="${number(le)}"`))} ${series.counts[i] ?? 0}`));
        out.push(`${name}_bucket${braces(join(labels, 'le="+Inf"'))} ${series.count}`);
        out.push(`${name}_sum${braces(labels)} ${number(series.sum)}`);
        out.push(`${name}_count${braces(labels)} ${series.count}`);
      }
    }
    return out.length ? `${out.join('\n')}\n` : '';
  }

  private family(metric: Metric): Family {
    const name = metricName(metric.name);
    let family = this.families.get(name);
    if (!family) {
      const kind = metric.kind === 'counter' ? 'counter' : metric.kind === 'histogram' ? 'histogram' : 'gauge';
      const deltas = metric.kind === 'counter' || metric.kind === 'up-down-counter';
      family = { kind, deltas, help: metric.description ?? '', buckets: kind === 'histogram' ? bucketsFor(metric.unit) : [], series: new Map() };
      this.families.set(name, family);
    }
    return family;
  }

  private labels(attributes: MetricTags): string {
    let text = this.labelText.get(attributes);
    if (text === undefined) {
      text = Object.entries(attributes)
        .map(([key, value]) => [labelName(key), String(value)] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        // Two attribute names sanitized alike would make a sample Prometheus refuses: the first one stays.
        .filter(([key], i, all) => i === 0 || all[i - 1]?.[0] !== key)
        .map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
        .join(',');
      this.labelText.set(attributes, text);
    }
    return text;
  }
}

type Series = { value: number } | { counts: number[]; sum: number; count: number };

interface Family {
  /** Prometheus has no up-down counter: it is a gauge there. */
  readonly kind: 'counter' | 'gauge' | 'histogram';
  /** Counters and up-down counters report what they add; gauges report their value. */
  readonly deltas: boolean;
  readonly help: string;
  /** Upper bounds (`le`), ascending, for histograms. */
  readonly buckets: readonly number[];
  /** By label text (`a="1",b="2"`, names sorted). */
  readonly series: Map<string, Series>;
}

/** Payments wait minutes to hours (push timeouts, checkouts, notification retries); polls and tasks take milliseconds. */
const MS_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000];

function bucketsFor(unit: string | undefined): readonly number[] {
  if (unit === 'ms') return MS_BUCKETS;
  if (unit === 's') return MS_BUCKETS.map((ms) => ms / 1000);
  return [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000];
}

function metricName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/^(?=[0-9])/, '_');
}

function labelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^(?=[0-9])/, '_');
}

function join(labels: string, extra: string): string {
  return labels ? `${labels},${extra}` : extra;
}

function braces(labels: string): string {
  return labels ? `{${labels}}` : '';
}

function number(n: number): string {
  return Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
}
