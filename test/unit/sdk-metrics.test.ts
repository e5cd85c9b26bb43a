import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Metric, MetricTags } from '@temporalio/common';
import type { BufferedMetricUpdate } from '@temporalio/worker';
import { SdkMetrics } from '../../workers/sdk-metrics.js';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

interface Parsed {
  readonly types: Map<string, string>;
  readonly help: Map<string, string>;
  readonly samples: Sample[];
}

/**
 * Reads the text exposition (format 0.0.4) as Prometheus does, and strictly: a line it cannot read, a family typed
 * twice, a sample of an untyped family, a label named twice or an unknown escape fails the test.
 */
function parse(text: string): Parsed {
  assert.ok(text === '' || text.endsWith('\n'), 'the exposition ends with a newline');
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  for (const line of text.split('\n').slice(0, -1)) {
    const comment = new RegExp(`^# (HELP|TYPE) (${name}) (.*)$`).exec(line);
    if (comment) {
      const [, what, family = '', rest = ''] = comment;
      const seen = what === 'TYPE' ? types : help;
      assert.equal(seen.has(family), false, `${what} of ${family} twice`);
      if (what === 'TYPE') assert.match(rest, /^(counter|gauge|histogram|summary|untyped)$/, line);
      seen.set(family, what === 'HELP' ? unescape(rest, false) : rest);
      continue;
    }
    const m = new RegExp(`^(${name})(?:\\{(.*)\\})? (\\S+)$`).exec(line);
    assert.ok(m, `unreadable line: ${JSON.stringify(line)}`);
    const [, sampleName = '', labelText = '', valueText = ''] = m;
    const labels: Record<string, string> = {};
    const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"(,|$)/y;
    for (let at = 0; at < labelText.length; ) {
      labelRe.lastIndex = at;
      const l = labelRe.exec(labelText);
      assert.ok(l, `unreadable labels at ${at}: ${line}`);
      const [, key = '', raw = ''] = l;
      assert.equal(key in labels, false, `label ${key} twice: ${line}`);
      labels[key] = unescape(raw, true);
      at = labelRe.lastIndex;
    }
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    assert.ok(!Number.isNaN(value) || valueText === 'NaN', line);
    const family = [...types.keys()].find((f) => sampleName === f || (types.get(f) === 'histogram' && ['_bucket', '_sum', '_count'].some((s) => sampleName === f + s)));
    assert.ok(family, `sample of an untyped family: ${line}`);
    samples.push({ name: sampleName, labels, value });
  }
  return { types, help, samples };
}

function unescape(raw: string, quotes: boolean): string {
  return raw.replace(/\\(.)/g, (_, c: string) => {
    if (c === 'n') return '\n';
    if (c === '\\' || (quotes && c === '"')) return c;
    throw new Error(`unknown escape \\${c}`);
  });
}

function find(p: Parsed, name: string, labels: Record<string, string>): Sample[] {
  return p.samples.filter((s) => s.name === name && Object.keys(s.labels).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

function value(p: Parsed, name: string, labels: Record<string, string>): number | undefined {
  const found = find(p, name, labels);
  assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} twice`);
  return found[0]?.value;
}

const metric = (name: string, kind: Metric['kind'], unit?: string, description?: string): Metric => ({ name, kind, valueType: 'int', ...(unit ? { unit } : {}), ...(description ? { description } : {}) });
const update = (m: Metric, v: number, attributes: MetricTags): BufferedMetricUpdate => ({ metric: m, value: v, attributes });

describe('Temporal SDK metrics on the worker /metrics', () => {
  const request = metric('temporal_request', 'counter', undefined, 'Count of client request successes by rpc name');
  const pollers = metric('temporal_num_pollers', 'gauge', undefined, 'Current number of active pollers per queue type');
  const latency = metric('temporal_workflow_task_schedule_to_start_latency', 'histogram', 'ms', 'Histogram of workflow task schedule-to-start latencies');
  const base = { service_name: 'temporal-core-sdk', namespace: 'default', task_queue: 'ewallet-payments' };

  test('counters sum their deltas, gauges keep the last value, histograms count into ms buckets; per label set', () => {
    const sdk = new SdkMetrics();
    // The same attributes object again, as Core reuses them; and a label set with fewer names on the same metric.
    const describeNs = { service_name: 'temporal-core-sdk', namespace: 'default', operation: 'DescribeNamespace' };
    sdk.record([
      update(request, 1, { service_name: 'temporal-core-sdk', operation: 'GetSystemInfo' }),
      update(request, 1, describeNs),
      update(request, 2, describeNs),
      update(pollers, 2, { ...base, poller_type: 'workflow_task' }),
      update(pollers, 5, { ...base, poller_type: 'workflow_task' }),
      update(pollers, 1, { ...base, poller_type: 'activity_task' }),
      update(latency, 3, base),
      update(latency, 40, base),
      update(latency, 7_000, base),
    ]);
    sdk.record([update(request, 4, { operation: 'DescribeNamespace', namespace: 'default', service_name: 'temporal-core-sdk' }), update(pollers, 3, { ...base, poller_type: 'workflow_task' })]);
    const p = parse(sdk.text());

    assert.equal(p.types.get('temporal_request'), 'counter');
    assert.equal(p.types.get('temporal_num_pollers'), 'gauge');
    assert.equal(p.types.get('temporal_workflow_task_schedule_to_start_latency'), 'histogram');
    assert.equal(p.help.get('temporal_request'), 'Count of client request successes by rpc name');

    assert.equal(value(p, 'temporal_request', { service_name: 'temporal-core-sdk', operation: 'GetSystemInfo' }), 1);
    assert.equal(value(p, 'temporal_request', describeNs), 7, 'attribute order does not split a series');
    assert.equal(value(p, 'temporal_num_pollers', { ...base, poller_type: 'workflow_task' }), 3);
    assert.equal(value(p, 'temporal_num_pollers', { ...base, poller_type: 'activity_task' }), 1);

    const h = 'temporal_workflow_task_schedule_to_start_latency';
    assert.equal(value(p, `${h}_count`, base), 3);
    assert.equal(value(p, `${h}_sum`, base), 7_043);
    const buckets = p.samples.filter((s) => s.name === `${h}_bucket`);
    const le = (bound: string) => buckets.find((s) => s.labels.le === bound)?.value;
    assert.equal(le('1'), 0);
    assert.equal(le('5'), 1);
    assert.equal(le('50'), 2);
    assert.equal(le('5000'), 2);
    assert.equal(le('10000'), 3);
    assert.equal(le('+Inf'), 3);
    const counts = buckets.map((s) => s.value);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'buckets are cumulative, in ascending order');
    assert.ok(buckets.every((s) => s.labels.task_queue === 'ewallet-payments'));
  });

  test('label values with a quote, a backslash and a newline; booleans and numbers; odd attribute names', () => {
    const sdk = new SdkMetrics();
    const received = metric('temporal_activity_task_received', 'counter');
    const nasty = 'say "hi"\\ then\nbye';
    sdk.record([update(received, 1, { activity_type: nasty, eager: true, attempt: 2, 'weird-name': 'x' })]);
    const text = sdk.text();
    assert.equal(text.split('\n').filter((l) => l.startsWith('temporal_activity_task_received')).length, 1, 'the newline is escaped, not written');
    const p = parse(text);
    assert.equal(value(p, 'temporal_activity_task_received', { activity_type: nasty, eager: 'true', attempt: '2', weird_name: 'x' }), 1);
  });

  test('seconds get second buckets; an up-down counter sums; every family once, across drains; nothing yet, no text', () => {
    const sdk = new SdkMetrics();
    assert.equal(sdk.text(), '', 'no update, no family');
    const seconds = metric('temporal_activity_execution_latency', 'histogram', 's');
    const inFlight = metric('gateway_in_flight', 'up-down-counter');
    sdk.record([update(seconds, 0.3, {}), update(inFlight, 3, {}), update(inFlight, -1, {})]);
    sdk.record([update(seconds, 2, { task_queue: 'q' })]);
    const p = parse(sdk.text());
    assert.equal(p.types.get('gateway_in_flight'), 'gauge');
    assert.equal(value(p, 'gateway_in_flight', {}), 2);
    assert.equal(value(p, 'temporal_activity_execution_latency_bucket', { le: '0.25' }), 0);
    assert.equal(value(p, 'temporal_activity_execution_latency_bucket', { le: '0.5' }), 1);
    assert.equal(value(p, 'temporal_activity_execution_latency_bucket', { le: '2.5', task_queue: 'q' }), 1);
    assert.equal(value(p, 'temporal_activity_execution_latency_count', {}), 1);
    assert.equal(value(p, 'temporal_activity_execution_latency_sum', { task_queue: 'q' }), 2);
    assert.equal(parse(sdk.text()).samples.length, p.samples.length, 'a scrape reads, it does not reset');
  });

  test('an unbound buffer drains nothing; the exporter is what Runtime.install takes', () => {
    const sdk = new SdkMetrics();
    sdk.drain();
    assert.equal(sdk.exporter.buffer, sdk.buffer);
    const stop = sdk.drainEvery(10, (err) => assert.fail(String(err)));
    stop();
  });
});
