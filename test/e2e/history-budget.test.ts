import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { paymentWorkflowId } from '../../domain/tx-id.js';
import type { paymentWorkflow } from '../../workflows/payment.js';
import { useE2eStack } from '../support/e2e-stack.js';

/**
 * What an OVO payment's life costs in Temporal's history, on a real server, as a customer makes it: each event is
 * justified in bench/README.md ("The events of a payment's life"); issue 25 set the budget at 20.
 */
describe("an OVO payment's history", () => {
  const e2e = useE2eStack();

  test('registered, paid a second later, approved, notified and closed in at most 20 events', async (t) => {
    const reg = await e2e.client.register('081234540000');
    const tXid = reg.tXid ?? '';
    await sleep(1_000);
    assert.equal((await e2e.client.payJson(reg)).resultCd, '0000');
    await e2e.stack.notified(tXid, '0');
    const handle = e2e.stack.client.workflow.getHandle<typeof paymentWorkflow>(paymentWorkflowId(tXid));
    assert.equal((await handle.result()).status, 0, 'closed once its merchant was told');
    const { events = [] } = JSON.parse(historyToJSON(await handle.fetchHistory())) as { events?: { eventType: string }[] };
    const types = events.map((e) => e.eventType.replace(/^EVENT_TYPE_/, ''));
    t.diagnostic(`${types.length} events: ${types.join(', ')}`);
    assert.ok(types.length <= 20, `${types.length} events: ${types.join(', ')}`);
    assert.equal(types.filter((t) => t === 'TIMER_CANCELED' || t === 'TIMER_FIRED').length, 0, 'no deadline timer cancelled or fired');
    assert.equal(types.filter((t) => t === 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES').length, 2, 'indexed when the wallet has it (4) and when paid (0): what inquiry reads');
  });
});
