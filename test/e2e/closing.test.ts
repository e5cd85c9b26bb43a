import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nicepayTimestamp } from '../../domain/nicepay-time.js';
import { paymentWorkflowId, refundWorkflowId } from '../../domain/tx-id.js';
import { PaymentSearch } from '../../workflows/search-attributes.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { waitFor, type Reply } from '../support/nicepay-client.js';

let n = 0;
const phone = (magic: string) => `0816${String(Date.now() % 100_000).padStart(5, '0')}${String(++n % 10)}${magic}`;

/**
 * Payments that close (issues 24, 25): a paid payment's workflow completes once its merchant has answered the
 * notification; an unpaid one the wallet had waits out its settlement window first (2 s here, a day by default).
 * Refunds, resends and late charges after that run in the transaction's refund workflow.
 */
describe('payments close; refunds and late charges after the close', () => {
  const e2e = useE2eStack({ SETTLEMENT_WINDOW_SECONDS: '2', REFUND_WINDOW_SECONDS: '600', SANDBOX_LATE_APPROVE_MS: '9000' });
  const ledger = async (tXid: string) => (await e2e.stack.ledger(tXid)).map((e) => `${e.type} ${e.amount}`);
  const workflow = (id: string) => e2e.stack.client.workflow.getHandle(id);
  const auth = () => ({ authorization: `Bearer ${e2e.stack.config.operatorToken}` });
  const closed = (tXid: string) => waitFor(async () => (await workflow(paymentWorkflowId(tXid)).describe()).status.name === 'COMPLETED', `${tXid} Completed`, 30_000);

  async function paid(magic = '000'): Promise<Reply> {
    const reg = await e2e.client.register(phone(magic), { mitraCd: 'ESHP' });
    assert.equal(reg.resultCd, '0000', reg.resultMsg);
    assert.equal((await e2e.client.payJson(reg)).resultCd, '0000');
    await e2e.stack.notified(reg.tXid ?? '', '0');
    return reg;
  }

  test('a paid payment shows Completed once notified; inquiry reads its result with no worker; a resend and cancels then go to its refund workflow', async () => {
    const reg = await paid();
    const tXid = reg.tXid ?? '';
    await closed(tXid);

    await e2e.stack.stopWorker();
    try {
      const inquiry = await e2e.client.inquire(reg);
      assert.deepEqual([inquiry.resultCd, inquiry.status, inquiry.cancelAmt], ['0000', '0', '0'], 'answered by the Temporal server alone');
      const ops = await fetch(`${e2e.stack.opsUrl}/ops/payments/${tXid}`, { headers: auth() });
      assert.equal(((await ops.json()) as { status: number }).status, 0, "the operators' view too");
    } finally {
      await e2e.stack.startWorkerAgain();
    }

    const resend = await fetch(`${e2e.stack.opsUrl}/ops/payments/${tXid}/notifications/resend`, { method: 'POST', headers: auth() });
    assert.deepEqual([resend.status, ((await resend.json()) as { seq: number }).seq], [202, 2], 'the notifications continue in the refund workflow');
    await waitFor(() => e2e.stack.merchant.for(tXid).length === 2 || undefined, 'the resent notification');

    const cancel = await e2e.client.cancel(reg, '2', 5000);
    assert.deepEqual([cancel.resultCd, cancel.status, cancel.cancelAmt], ['0000', '0', '5000'], cancel.resultMsg);
    const rest = await e2e.client.cancel(reg, '1', 15000);
    assert.deepEqual([rest.resultCd, rest.status, rest.cancelAmt], ['0000', '2', '15000'], rest.resultMsg);
    assert.deepEqual(await ledger(tXid), ['charge 15000', 'refund 5000', 'refund 10000']);
    await e2e.stack.notified(tXid, '2');
    assert.deepEqual(e2e.stack.merchant.for(tXid).map((x) => `${x.fields.status}/${x.fields.cancelAmt}`), ['0/0', '0/0', '0/5000', '2/15000']);
    const inquiry = await e2e.client.inquire(reg);
    assert.deepEqual([inquiry.status, inquiry.cancelAmt], ['2', '15000']);

    const refunds = await workflow(refundWorkflowId(tXid)).describe();
    assert.equal(refunds.status.name, 'RUNNING', 'open for the rest of the refund window');
    await waitFor(async () => (await workflow(refundWorkflowId(tXid)).describe()).typedSearchAttributes.get(PaymentSearch.cancelAmt) === 15000, 'refund indexed');
    assert.equal((await workflow(refundWorkflowId(tXid)).describe()).typedSearchAttributes.get(PaymentSearch.paymentStatus), 2);
  });

  test('a cancel racing the payment close refunds once, whichever workflow takes it', async () => {
    // The merchant refuses each payment's first notification; the payment stays open until the retry, 5 s later, is
    // delivered, and closes then. One payment per moment around that close, so some cancels reach the payment, some
    // its refund workflow.
    const offsets = [-300, -200, -100, 0, 100, 200, 300];
    e2e.stack.merchant.firstAnswer = 503;
    const regs = await Promise.all(offsets.map(() => paid())).finally(() => {
      e2e.stack.merchant.firstAnswer = undefined;
    });
    const sides = await Promise.all(
      regs.map(async (reg, i) => {
        const tXid = reg.tXid ?? '';
        const notifiedAt = e2e.stack.merchant.for(tXid)[0]?.at ?? Date.now();
        await new Promise((r) => setTimeout(r, Math.max(0, notifiedAt + 5000 + (offsets[i] ?? 0) - Date.now())));
        const timeStamp = nicepayTimestamp(new Date());
        const answers = await Promise.all([
          e2e.client.cancel(reg, '1', 15000, { timeStamp }),
          e2e.client.cancel(reg, '1', 15000, { timeStamp }),
          e2e.client.cancel(reg, '1', 15000, { cancelMsg: 'another click' }),
        ]);
        for (const a of answers) assert.deepEqual([a.resultCd, a.status, a.cancelAmt], ['0000', '2', '15000'], `${offsets[i]} ms: ${a.resultMsg}`);
        assert.deepEqual(await ledger(tXid), ['charge 15000', 'refund 15000'], `${offsets[i]} ms: refunded once`);
        await e2e.stack.notified(tXid, '2');
        return workflow(refundWorkflowId(tXid))
          .describe()
          .then(
            () => 'refund workflow',
            () => 'payment',
          );
      }),
    );
    console.log(`cancels around the close were taken by: ${sides.join(', ')}`);
  });

  test('inquiry right after each acknowledged refund shows it, for payments refunded concurrently across their close', async () => {
    // Four payments, each refunded 1 000 at a time every 400 ms from its first notification on, which the merchant
    // refuses: the payment is open until a notification is delivered, which the first refund's is; so the first
    // refund is the payment's and the rest its refund workflow's.
    e2e.stack.merchant.firstAnswer = 503;
    const regs = await Promise.all([1, 2, 3, 4].map(() => paid())).finally(() => {
      e2e.stack.merchant.firstAnswer = undefined;
    });
    const seen = await Promise.all(
      regs.map(async (reg) => {
        const stale: string[] = [];
        const from = Date.now();
        for (let k = 1; k <= 7; k++) {
          // A cancel is what its token covers (tXid, timeStamp, amt): each refund its own second, or it is the same one.
          const answer = await e2e.client.cancel(reg, '2', 1000, { timeStamp: nicepayTimestamp(new Date(from + k * 1000)) });
          assert.deepEqual([answer.resultCd, answer.cancelAmt], ['0000', String(k * 1000)], answer.resultMsg);
          const inquiry = await e2e.client.inquire(reg);
          if (inquiry.cancelAmt !== answer.cancelAmt || inquiry.status !== answer.status) stale.push(`${k}: acknowledged ${answer.status}/${answer.cancelAmt}, inquiry ${inquiry.status}/${inquiry.cancelAmt}`);
          await new Promise((r) => setTimeout(r, 400));
        }
        assert.deepEqual(await ledger(reg.tXid ?? ''), ['charge 15000', ...Array.from({ length: 7 }, () => 'refund 1000')]);
        const refunds = await workflow(refundWorkflowId(reg.tXid ?? '')).describe().then(() => true, () => false);
        const byPayment = (await workflow(paymentWorkflowId(reg.tXid ?? '')).result() as { cancellations?: unknown[] }).cancellations?.length ?? 0;
        return { stale, refunds, byPayment };
      }),
    );
    assert.deepEqual(seen.flatMap((s) => s.stale), [], 'inquiry never behind an acknowledged refund');
    assert.ok(seen.some((s) => s.refunds), 'some refunds were taken after the close');
    assert.ok(seen.some((s) => s.byPayment > 0), 'some before it');
  });

  test('a late PAID after an expired payment closed: refunded by the refund workflow, the merchant told', async () => {
    // 006: the customer pays 9 s in, after the 4 s checkout window and the payment's close.
    const reg = await e2e.client.register(phone('006'), { mitraCd: 'ESHP' });
    assert.equal((await e2e.client.payJson(reg)).resultCd, '0000');
    const tXid = reg.tXid ?? '';
    await e2e.stack.notified(tXid, '5', 20_000);
    await closed(tXid);
    assert.deepEqual(await ledger(tXid), [], 'closed before the customer paid');
    await waitFor(() => e2e.stack.merchant.for(tXid).find((x) => x.fields.status === '5' && x.fields.cancelAmt === '15000'), 'the late charge refunded, the merchant told', 30_000);
    await waitFor(async () => (await ledger(tXid)).length === 2, 'the refund in the ledger');
    assert.deepEqual(await ledger(tXid), ['charge 15000', 'refund 15000']);
    const inquiry = await e2e.client.inquire(reg);
    assert.deepEqual([inquiry.status, inquiry.cancelAmt], ['5', '15000']);
    assert.equal((await workflow(refundWorkflowId(tXid)).describe()).type, 'refundWorkflow');
  });
});
