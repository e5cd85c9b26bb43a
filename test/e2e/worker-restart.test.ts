import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useE2eStack } from '../support/e2e-stack.js';
import { waitFor } from '../support/nicepay-client.js';

/** A payment in flight survives the worker going away: a new worker replays it and carries on. */
describe('a pending payment resumes after the worker restarts', () => {
  const e2e = useE2eStack({ OVO_PUSH_TIMEOUT_SECONDS: '60' });

  test('OVO push pending (4) → worker restarted → the customer approves → paid (0), notified once', async () => {
    const phone = '081234567891';
    const reg = await e2e.client.register(phone);
    assert.equal((await e2e.client.payJson(reg)).status, '4');

    await e2e.stack.restartWorker();
    assert.equal((await e2e.client.inquire(reg)).status, '4', 'the new worker answers for the payment in flight');

    const inbox = await (await fetch(`${e2e.stack.sandbox.baseUrl}/ovo/phone/${phone}`)).text();
    const action = /action="([^"]*\/approve)"/.exec(inbox)?.[1];
    assert.ok(action, 'the push is still waiting on the phone');
    assert.equal((await fetch(new URL(action.replace(/&amp;/g, '&'), e2e.stack.sandbox.baseUrl), { method: 'POST', redirect: 'manual' })).status, 303);

    await waitFor(() => e2e.stack.merchant.for(reg.tXid ?? '').find((n) => n.fields.status === '0'), 'the paid notification');
    assert.equal((await e2e.client.inquire(reg)).status, '0');
    assert.deepEqual(e2e.stack.merchant.for(reg.tXid ?? '').map((n) => n.fields.status), ['0']);
  });
});
