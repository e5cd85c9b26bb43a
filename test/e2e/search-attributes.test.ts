import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { paymentWorkflowId } from '../../domain/tx-id.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { waitFor } from '../support/nicepay-client.js';

/** Operators find payments in the Web UI (visibility) by their search attributes; none holds customer data. */
describe('payments are searchable by tXid, referenceNo, merchant, wallet, status and amount', () => {
  const e2e = useE2eStack();

  async function list(query: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const w of e2e.stack.client.workflow.list({ query })) ids.push(w.workflowId);
    return ids;
  }

  test("by referenceNo; and the README's query: one merchant's OVO payments that expired today", async () => {
    const expired = await e2e.client.register('081234500002');
    const paid = await e2e.client.register('081234500000');
    const danaExpired = await e2e.client.register('081234510002', { mitraCd: 'DANA' });
    for (const reg of [expired, paid, danaExpired]) assert.equal((await e2e.client.payJson(reg)).resultCd, '0000');
    await Promise.all([e2e.stack.notified(expired.tXid ?? '', '5'), e2e.stack.notified(paid.tXid ?? '', '0'), e2e.stack.notified(danaExpired.tXid ?? '', '5')]);

    const byReference = await waitFor(async () => (await list(`referenceNo = '${paid.referenceNo ?? ''}'`)).at(0), 'the payment by referenceNo');
    assert.equal(byReference, paymentWorkflowId(paid.tXid ?? ''));
    assert.deepEqual(await list(`tXid = '${paid.tXid ?? ''}' AND amt = 15000`), [byReference]);

    const today = new Date(new Date().toISOString().slice(0, 10)).toISOString();
    const query = `iMid = 'IONPAYTEST' AND mitraCd = 'OVOE' AND paymentStatus = 5 AND StartTime >= '${today}'`;
    const found = await waitFor(async () => {
      const ids = await list(query);
      return ids.includes(paymentWorkflowId(expired.tXid ?? '')) ? ids : undefined;
    }, 'the expired OVO payment');
    assert.equal(found.includes(paymentWorkflowId(paid.tXid ?? '')), false, 'the paid one is not expired');
    assert.equal(found.includes(paymentWorkflowId(danaExpired.tXid ?? '')), false, 'DANA is another wallet');
  });

  test('search attributes hold no customer data', async () => {
    const phone = '081234520000';
    const reg = await e2e.client.register(phone);
    const described = await e2e.stack.client.workflow.getHandle(paymentWorkflowId(reg.tXid ?? '')).describe();
    const custom = Object.fromEntries(described.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]));
    // Besides Temporal's own, only these: ids, merchant, wallet, status, amounts.
    const ours = Object.keys(custom).filter((k) => !k.startsWith('Temporal') && k !== 'BuildIds').sort();
    assert.deepEqual(ours, ['amt', 'cancelAmt', 'iMid', 'mitraCd', 'paymentStatus', 'referenceNo', 'statusAt', 'tXid']);
    assert.deepEqual([custom.tXid, custom.paymentStatus, custom.amt, custom.cancelAmt], [reg.tXid, 3, 15000, 0]);
    const text = JSON.stringify(described.raw.workflowExecutionInfo?.searchAttributes ?? {});
    for (const secret of [phone, 'Budi Santoso', 'budi@example.com']) assert.equal(text.includes(secret) || JSON.stringify(custom).includes(secret), false, secret);
  });

  // The daily reconciliation reads payments from visibility alone (activities/reconciliation.ts): the index must follow refunds.
  test('refunds are indexed: a partial refund keeps status 0 and shows its cancelAmt; the rest makes it 2', async () => {
    const reg = await e2e.client.register('081234530000');
    assert.equal((await e2e.client.payJson(reg)).resultCd, '0000');
    await e2e.stack.notified(reg.tXid ?? '', '0');
    const indexed = (query: string) => waitFor(async () => ((await list(`tXid = '${reg.tXid ?? ''}' AND ${query}`)).length === 1 ? true : undefined), query);
    assert.equal((await e2e.client.cancel(reg, '2', 5_000)).resultCd, '0000');
    await indexed('paymentStatus = 0 AND cancelAmt = 5000');
    assert.equal((await e2e.client.cancel(reg, '2', 10_000)).resultCd, '0000');
    await indexed('paymentStatus = 2 AND cancelAmt = 15000');
  });
});
