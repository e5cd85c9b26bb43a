import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { paymentMetricsSinks } from '../../platform/metrics.js';
import { bundlerOptions, workflowsPath } from '../../workers/bundle.js';

/**
 * Saved histories of real runs (recorded with `npm run replay:record`) replayed against today's workflow code:
 * a change that would break running payments fails here, not in production.
 */
const dir = new URL('./histories/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

test('saved payment histories replay deterministically', async () => {
  assert.ok(files.length >= 3, `expected saved histories in ${dir.pathname}, found ${files.length}`);
  const histories = files.map((f) => ({
    workflowId: f.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(readFileSync(new URL(f, dir), 'utf8'))),
  }));
  const results = Worker.runReplayHistories({ workflowsPath, bundlerOptions, replayName: 'payment-replay', sinks: paymentMetricsSinks() }, histories);
  let replayed = 0;
  for await (const result of results) {
    assert.equal(result.error, undefined, `${result.workflowId}: ${String(result.error)}`);
    replayed++;
  }
  assert.equal(replayed, files.length);
});
