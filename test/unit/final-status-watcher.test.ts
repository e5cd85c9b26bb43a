import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TypedSearchAttributes } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { FinalStatusWatcher } from '../../api/final-status-watcher.js';
import { PaymentSearch } from '../../workflows/search-attributes.js';

const tx = (i: number) => `IONPAYTEST05${String(i).padStart(18, '0')}`;

/** Visibility as a list call that answers the tXids it was told are final, recording each query. */
function visibility(final: Set<string>) {
  const queries: string[] = [];
  const client = {
    workflow: {
      list: ({ query }: { query: string }) => {
        queries.push(query);
        const asked = [...query.matchAll(/'([A-Z0-9]+)'/g)].map((m) => m[1] ?? '');
        return (async function* () {
          for (const t of asked.filter((a) => final.has(a))) yield { typedSearchAttributes: new TypedSearchAttributes([{ key: PaymentSearch.tXid, value: t }]) };
        })();
      },
    },
  };
  return { client: client as unknown as Pick<Client, 'workflow'>, queries };
}

describe('FinalStatusWatcher: the waiting page long-poll, from visibility', () => {
  test('a payment that turns final resolves its waiters; the others time out; no waiter is left behind', async () => {
    const final = new Set<string>();
    const { client, queries } = visibility(final);
    const watcher = new FinalStatusWatcher(client, 10);
    const [a, a2, b] = [watcher.wait(tx(1), 2_000), watcher.wait(tx(1), 2_000), watcher.wait(tx(2), 150)];
    await new Promise((r) => setTimeout(r, 40));
    final.add(tx(1));
    assert.deepEqual(await Promise.all([a, a2, b]), [true, true, false]);
    assert.equal(watcher.watching, 0);
    assert.match(queries[0] ?? '', /^WorkflowType = 'paymentWorkflow' AND tXid IN \('IONPAYTEST05\d+', 'IONPAYTEST05\d+'\) AND paymentStatus IN \(0, 1, 2, 5, 8\)$/);
  });

  test('one query per 100 waiters per tick, however many browsers wait', async () => {
    const { client, queries } = visibility(new Set());
    const watcher = new FinalStatusWatcher(client, 1_000);
    const waits = Array.from({ length: 250 }, (_, i) => watcher.wait(tx(i), 100));
    assert.deepEqual(await Promise.all(waits), Array.from({ length: 250 }, () => false));
    assert.equal(queries.length, 3, 'one tick: 100 + 100 + 50');
  });

  test('a string that is not a tXid is never put in a query', async () => {
    const { client, queries } = visibility(new Set());
    const watcher = new FinalStatusWatcher(client, 10);
    assert.equal(await watcher.wait("x') OR WorkflowType != ('", 1_000), false);
    assert.deepEqual(queries, []);
  });
});
