import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The crash test, small and scaled out: `npm run chaos -- --quick --scale-out` (60 payments over every wallet,
 * alternating between two API instances, with two workers; one worker, one API and the Temporal dev server each
 * killed with SIGKILL and restarted) must end with every figure at zero. Two workers and two APIs on one host is
 * also the proof that each process needs only its own ports (CONTRACT §1).
 */
test('chaos --quick --scale-out: nothing lost, nothing charged twice, every final status notified, no customer data leaked', { timeout: 300_000 }, async () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/chaos/run.ts', '--quick', '--scale-out'], { cwd: root, env: { ...process.env, NODE_TEST_CONTEXT: undefined }, timeout: 280_000, maxBuffer: 8 * 1024 * 1024 }, (err, out) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: out });
    });
  });
  const summary = stdout.split('\n').find((l) => l.startsWith('chaos: ')) ?? '';
  assert.ok(summary, `no summary line:\n${stdout}`);
  const figures = Object.fromEntries([...summary.matchAll(/([a-z-]+)=(\d+)/g)].map((m) => [m[1] ?? '', Number(m[2])]));
  assert.equal(figures.payments, 60, summary);
  assert.equal(figures.final, 60, summary);
  assert.deepEqual([figures.workers, figures.apis], [2, 2], summary);
  for (const name of ['lost', 'double-charges', 'charges-without-payment', 'missing-notifications', 'backwards', 'wrong-outcome', 'customer-data-leaks']) {
    assert.equal(figures[name], 0, `${name}: ${summary}\n${stdout}`);
  }
  assert.match(summary, /restarts=worker:\d+ api:\d+ temporal:\d+/, 'each of the three was killed and restarted');
  assert.equal(code, 0, stdout);
});
