/**
 * Smoke test for scripts/temporal-binaries.ts: both pinned binaries resolve to executables and the CLI runs.
 * Fast once `.tools/temporal` is filled (`npm run temporal:fetch`, which .ci/run does first).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { resolveTemporalCli, resolveTestServer, TemporalBinaryError } from '../../scripts/temporal-binaries.js';

const execFileAsync = promisify(execFile);

await test('the Temporal CLI resolves and prints its version', async () => {
  const cli = await resolveTemporalCli();
  await access(cli, constants.X_OK);
  const { stdout } = await execFileAsync(cli, ['--version'], { timeout: 10_000 });
  assert.match(stdout, /^temporal version \d+\.\d+\.\d+/);
});

await test('the time-skipping test server resolves to an executable', async () => {
  await access(await resolveTestServer(), constants.X_OK);
});

await test('TEMPORAL_CLI and TEMPORAL_TEST_SERVER come first', async (t) => {
  const saved = { TEMPORAL_CLI: process.env.TEMPORAL_CLI, TEMPORAL_TEST_SERVER: process.env.TEMPORAL_TEST_SERVER };
  t.after(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  await t.test('an executable file is taken as given', async () => {
    process.env.TEMPORAL_CLI = process.execPath; // any executable will do: the override is not probed
    process.env.TEMPORAL_TEST_SERVER = process.execPath;
    assert.equal(await resolveTemporalCli(), process.execPath);
    assert.equal(await resolveTestServer(), process.execPath);
  });

  await t.test('a path that is not an executable file is refused, naming the variable', async () => {
    process.env.TEMPORAL_CLI = '/nonexistent/temporal';
    await assert.rejects(resolveTemporalCli(), (err: unknown) => err instanceof TemporalBinaryError && err.message.includes('TEMPORAL_CLI'));
  });
});
