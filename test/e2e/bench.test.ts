import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchResult } from '../../bench/result.js';

/**
 * `npm run bench -- --quick` runs from end to end and writes its figures as JSON. Only that: a benchmark's numbers
 * depend on the machine, so none is asserted here (bench/README.md has the latest ones).
 */
test('bench --quick runs the baseline, the gateway at 1/10/50 and the memory run, and writes valid JSON', { timeout: 300_000 }, async () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dir = await mkdtemp(join(tmpdir(), 'ewallet-bench-test-'));
  try {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const args = ['--import', 'tsx', 'bench/run.ts', '--quick', '--results-dir', dir];
      execFile(process.execPath, args, { cwd: root, env: { ...process.env, NODE_TEST_CONTEXT: undefined }, timeout: 280_000, maxBuffer: 8 * 1024 * 1024 }, (err, out) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: out });
      });
    });
    assert.equal(code, 0, stdout);
    const files = (await readdir(dir)).sort();
    assert.equal(files.length, 2, `a timestamped file and latest.json: ${files.join(', ')}`);
    assert.ok(files.includes('latest.json') && files.some((f) => /-quick\.json$/.test(f)), files.join(', '));

    const result = BenchResult.parse(JSON.parse(await readFile(join(dir, 'latest.json'), 'utf8')));
    assert.deepEqual(result.baseline.map((b) => b.concurrency), [1, 10, 50]);
    assert.deepEqual(result.gateway.map((g) => g.concurrency), [1, 10, 50]);
    for (const level of [...result.baseline, ...result.gateway]) {
      assert.equal(level.errors, 0, level.firstError);
      assert.ok(level.count > 0 && level.perSecond > 0, JSON.stringify(level));
    }
    for (const g of result.gateway) {
      for (const p of [g.registrationMs, g.timeToNotificationMs]) assert.ok(p.p50 > 0 && p.p50 <= p.p95 && p.p95 <= p.p99, JSON.stringify(p));
      assert.ok(g.timeToNotificationMs.p50 >= g.registrationMs.p50, 'the notification comes after the registration answered');
      assert.ok(g.cpuSecondsPerPayment.total > 0 && g.ratioToBaseline > 0);
    }
    assert.ok(result.memory, 'the memory run is in the quick run too');
    assert.equal(result.memory.pending, 200);
    assert.equal(result.memory.approved, 200, 'every waiting customer approved');
    assert.equal(result.memory.errors, 0, result.memory.firstError);
    assert.equal(result.memory.inquiry.errors, 0, 'every inquiry answered the payment as it stood');
    assert.ok(result.memory.inquiry.inFlightMs.p50 > 0 && result.memory.inquiry.closedMs.p50 > 0);
    assert.ok(result.profile.gateway.workflowTasks > 0 && result.profile.baseline.activities === 1);
    // Issue 25's targets, each with its figure and verdict (a quick run has fewer than 10 000 pending: not met).
    assert.match(stdout, /payments\/s ≥ 75 % of the baseline's workflows\/s at 50 +[\d.]+ ÷ [\d.]+ = \d+ % +→ (met|NOT MET)/);
    assert.match(stdout, /inquiry p99 ≤ 100 ms .*in flight [\d.]+ ms, closed [\d.]+ ms +→ (met|NOT MET)/);
    assert.match(stdout, /10 000 pending payments in < 600 MiB worker RSS +200 pending: \d+ MiB +→ NOT MET/);
    // What a person running it reads: the summary table and where the JSON went.
    assert.match(stdout, /concurrency +baseline wf\/s/);
    assert.match(stdout, /200 pending payments: worker RSS \d+ MiB/);
    assert.ok(stdout.includes(join(dir, files.find((f) => f !== 'latest.json') ?? '')), stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
