import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nicepayTimestamp } from '../../domain/nicepay-time.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { waitFor, type Reply } from '../support/nicepay-client.js';

const wallets = ['OVOE', 'DANA', 'ESHP', 'LINK'] as const;
let n = 0;
const phone = (magic: string) => `0815${String(Date.now() % 100_000).padStart(5, '0')}${String(++n % 10)}${magic}`;

/** Cancel and refund through the API (CONTRACT §3), checked against the sandbox wallets' ledgers. */
describe('cancel and refund end to end', () => {
  const e2e = useE2eStack();

  /** A payment taken to `paid` (0) by a magic customer, notified. */
  async function paid(mitraCd: string, magic = '000'): Promise<Reply> {
    const reg = await e2e.client.register(phone(magic), { mitraCd });
    assert.equal(reg.resultCd, '0000', reg.resultMsg);
    assert.equal((await e2e.client.payJson(reg)).resultCd, '0000');
    await e2e.stack.notified(reg.tXid ?? '', '0');
    return reg;
  }
  const ledger = async (tXid: string) => (await e2e.stack.ledger(tXid)).map((e) => [e.type, e.amount]);

  test('every wallet: a paid payment cancelled in full is refunded at the wallet once (2), the merchant told', async () => {
    const regs = await Promise.all(wallets.map((w) => paid(w)));
    const answers = await Promise.all(regs.map((reg) => e2e.client.cancel(reg, '1', 15000)));
    for (const [i, a] of answers.entries()) assert.deepEqual([a.resultCd, a.status, a.cancelAmt], ['0000', '2', '15000'], `${wallets[i]}: ${a.resultMsg}`);
    for (const reg of regs) {
      const note = await e2e.stack.notified(reg.tXid ?? '', '2');
      assert.equal(note.fields.cancelAmt, '15000');
      assert.equal(note.tokenValid, true);
      assert.deepEqual(await ledger(reg.tXid ?? ''), [['charge', 15000], ['refund', 15000]]);
      const inquiry = await e2e.client.inquire(reg);
      assert.deepEqual([inquiry.status, inquiry.cancelAmt], ['2', '15000']);
    }
  });

  test('AstraPay: a payment on a linked account is refunded at AstraPay (SNAP refund), partly, then the rest', async () => {
    const link = await e2e.client.linkEnable(phone('000'));
    assert.equal(link.resultCd, '0000', link.resultMsg);
    const mandateID = link.mandateID ?? '';
    await waitFor(() => e2e.stack.merchant.forMandate(mandateID).find((x) => x.fields.linkStatus === 'ACTIVE'), `link ${mandateID} ACTIVE`, 20_000);
    const pay = await e2e.client.linkInitiate(mandateID);
    assert.equal(pay.resultCd, '0000', pay.resultMsg);
    const reg: Reply = { tXid: pay.tXid ?? '', referenceNo: pay.referenceNo ?? '', amt: '15000' };
    await e2e.stack.notified(reg.tXid ?? '', '0');
    const part = await e2e.client.cancel(reg, '2', 5000);
    assert.deepEqual([part.resultCd, part.status, part.cancelAmt], ['0000', '0', '5000'], part.resultMsg);
    const rest = await e2e.client.cancel(reg, '1', 15000);
    assert.deepEqual([rest.resultCd, rest.status, rest.cancelAmt], ['0000', '2', '15000'], rest.resultMsg);
    assert.deepEqual(await ledger(reg.tXid ?? ''), [['charge', 15000], ['refund', 5000], ['refund', 10000]]);
    await e2e.stack.notified(reg.tXid ?? '', '2');
  });

  test('partial refunds: 0 stays, cancelAmt grows, never beyond what was paid (9502); the last one makes it 2', async () => {
    const reg = await paid('DANA');
    const a = await e2e.client.cancel(reg, '2', 5000);
    assert.deepEqual([a.resultCd, a.status, a.cancelAmt], ['0000', '0', '5000'], a.resultMsg);
    const tooMuch = await e2e.client.cancel(reg, '2', 10001);
    assert.equal(tooMuch.resultCd, '9502', tooMuch.resultMsg);
    const b = await e2e.client.cancel(reg, '2', 10000);
    assert.deepEqual([b.resultCd, b.status, b.cancelAmt], ['0000', '2', '15000'], b.resultMsg);
    assert.deepEqual(await ledger(reg.tXid ?? ''), [['charge', 15000], ['refund', 5000], ['refund', 10000]]);
    await waitFor(() => e2e.stack.merchant.for(reg.tXid ?? '').find((x) => x.fields.status === '0' && x.fields.cancelAmt === '5000'), 'the partial refund notification');
    await e2e.stack.notified(reg.tXid ?? '', '2');
    const statuses = e2e.stack.merchant.for(reg.tXid ?? '').map((x) => `${x.fields.status}/${x.fields.cancelAmt}`);
    assert.deepEqual(statuses, ['0/0', '0/5000', '2/15000'], 'in order, never backwards');
  });

  test('the same cancel sent ten times at once, plus other full cancels: one refund at the wallet', async () => {
    const reg = await paid('ESHP');
    const timeStamp = nicepayTimestamp(new Date());
    const same = Array.from({ length: 10 }, () => e2e.client.cancel(reg, '1', 15000, { timeStamp }));
    const others = Array.from({ length: 3 }, (_, i) => e2e.client.cancel(reg, '1', 15000, { cancelMsg: `click ${i}` }));
    const answers = await Promise.all([...same, ...others]);
    for (const a of answers) assert.deepEqual([a.resultCd, a.status, a.cancelAmt], ['0000', '2', '15000'], a.resultMsg);
    assert.deepEqual(await ledger(reg.tXid ?? ''), [['charge', 15000], ['refund', 15000]]);
  });

  test('finding 4: a captured partial cancel replayed with another cancelMsg or cancelType is the same cancel: one refund', async () => {
    const reg = await paid('OVOE');
    const timeStamp = nicepayTimestamp(new Date());
    const first = await e2e.client.cancel(reg, '2', 5000, { timeStamp, cancelMsg: 'one item returned' });
    assert.deepEqual([first.resultCd, first.status, first.cancelAmt], ['0000', '0', '5000'], first.resultMsg);
    for (const overrides of [{ cancelMsg: 'replayed' }, { cancelMsg: '' }, { cancelMsg: 'another', description: 'x' }] as Record<string, string>[]) {
      const replay = await e2e.client.cancel(reg, '2', 5000, { timeStamp, ...overrides });
      assert.deepEqual([replay.resultCd, replay.status, replay.cancelAmt], ['0000', '0', '5000'], `${JSON.stringify(overrides)}: ${replay.resultMsg}`);
    }
    assert.deepEqual(await ledger(reg.tXid ?? ''), [['charge', 15000], ['refund', 5000]]);
  });

  test('finding 5: two transactions refunded in the same second with the same amount and message both get their money back', async () => {
    const [a, b] = await Promise.all([paid('DANA'), paid('DANA')]);
    const timeStamp = nicepayTimestamp(new Date());
    const answers = await Promise.all([a, b].map((reg) => e2e.client.cancel(reg, '2', 4000, { timeStamp, cancelMsg: 'same reason' })));
    for (const answer of answers) assert.deepEqual([answer.resultCd, answer.cancelAmt], ['0000', '4000'], answer.resultMsg);
    for (const reg of [a, b]) assert.deepEqual(await ledger(reg.tXid ?? ''), [['charge', 15000], ['refund', 4000]], reg.tXid);
  });

  test('not yet paid: an unpaid registration is voided (1); a pending payment is voided at the wallet, never charged', async () => {
    const unpaid = await e2e.client.register(phone('000'));
    const voided = await e2e.client.cancel(unpaid, '1', 15000);
    assert.deepEqual([voided.resultCd, voided.status, voided.cancelAmt], ['0000', '1', '0']);
    assert.equal((await e2e.client.payJson(unpaid)).resultCd, '9502', 'a voided transaction cannot be paid');

    const pending = await e2e.client.register(phone('002'), { mitraCd: 'LINK' });
    assert.equal((await e2e.client.payJson(pending)).status, '4');
    const answer = await e2e.client.cancel(pending, '1', 15000);
    assert.deepEqual([answer.resultCd, answer.status], ['0000', '1'], answer.resultMsg);
    await e2e.stack.notified(pending.tXid ?? '', '1');
    assert.deepEqual(await ledger(pending.tXid ?? ''), []);
    assert.equal((await e2e.client.inquire(pending)).status, '1');
  });

  test('refund magic values: 008 the wallet refuses (9502 naming why, nothing refunded); 009 two outages, then refunded once', async () => {
    const refused = await paid('OVOE', '008');
    const no = await e2e.client.cancel(refused, '1', 15000);
    assert.equal(no.resultCd, '9502');
    assert.match(no.resultMsg ?? '', /refund/i);
    assert.deepEqual([no.status, no.cancelAmt], ['0', '0']);
    assert.deepEqual(await ledger(refused.tXid ?? ''), [['charge', 15000]]);

    const flaky = await paid('DANA', '009');
    const yes = await e2e.client.cancel(flaky, '1', 15000);
    assert.deepEqual([yes.resultCd, yes.status, yes.cancelAmt], ['0000', '2', '15000'], yes.resultMsg);
    assert.deepEqual(await ledger(flaky.tXid ?? ''), [['charge', 15000], ['refund', 15000]]);
  });

  test('refusals: bad token 9010, unknown tXid 8004, bad cancelType 9001, a full cancel for another amount 9001, failed 9502', async () => {
    const reg = await paid('OVOE');
    assert.equal((await e2e.client.cancel(reg, '1', 15000, { merchantToken: 'f'.repeat(64) })).resultCd, '9010');
    assert.equal((await e2e.client.cancel({ ...reg, tXid: 'IONPAYTEST05ZZZZZZZZZZZZZZZZZZ' }, '1', 15000)).resultCd, '8004');
    assert.equal((await e2e.client.cancel(reg, '1', 15000, { cancelType: '3' })).resultCd, '9001');
    assert.equal((await e2e.client.cancel(reg, '1', 14000)).resultCd, '9001');
    assert.equal((await e2e.client.cancel(reg, '1', 15000, { referenceNo: 'not-this-one' })).resultCd, '8004');
    const declined = await e2e.client.register(phone('001'));
    await e2e.client.payJson(declined);
    await e2e.stack.notified(declined.tXid ?? '', '8');
    assert.equal((await e2e.client.cancel(declined, '1', 15000)).resultCd, '9502');
    assert.deepEqual(await ledger(reg.tXid ?? ''), [['charge', 15000]], 'no refusal refunded anything');
  });

  test('operators read delivery state and resend a notification; without the token they get nothing', async () => {
    const reg = await paid('OVOE');
    const url = `${e2e.stack.opsUrl}/ops/payments/${reg.tXid ?? ''}`;
    const auth = { authorization: `Bearer ${e2e.stack.config.operatorToken}` };
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    const view = (await (await fetch(url, { headers: auth })).json()) as { statusName: string; registration: { billingPhone: string; billingNm?: string }; notifications: { state: string; attempts: { httpStatus: number }[] }[] };
    assert.equal(view.statusName, 'PAID');
    assert.match(view.registration.billingPhone, /^\d{4}\*{4}\d{4}$/);
    assert.equal(view.registration.billingNm, undefined, 'no customer names for operators');
    assert.deepEqual(view.notifications.map((x) => [x.state, x.attempts[0]?.httpStatus]), [['delivered', 200]]);
    const resend = await fetch(`${url}/notifications/resend`, { method: 'POST', headers: auth });
    assert.equal(resend.status, 202);
    await waitFor(() => e2e.stack.merchant.for(reg.tXid ?? '').filter((x) => x.fields.status === '0').length === 2, 'the resent notification');
    assert.equal((await fetch(`${e2e.stack.opsUrl}/ops/payments/IONPAYTEST05ZZZZZZZZZZZZZZZZZZ`, { headers: auth })).status, 404);
    // A resend of a transaction that does not exist (of a known merchant, or of none) is 404 too, and sends nothing.
    for (const unknown of ['IONPAYTEST05ZZZZZZZZZZZZZZZZZZ', 'NOSUCHMERCH05ZZZZZZZZZZZZZZZZZ']) {
      assert.equal((await fetch(`${e2e.stack.opsUrl}/ops/payments/${unknown}/notifications/resend`, { method: 'POST', headers: auth })).status, 404, unknown);
    }
  });

  test('a notification the merchant refuses is retried until acknowledged, across a worker restart', async () => {
    e2e.stack.merchant.answers = [503];
    try {
      const reg = await e2e.client.register(phone('000'));
      await e2e.client.payJson(reg);
      const tXid = reg.tXid ?? '';
      await waitFor(() => e2e.stack.merchant.for(tXid).length >= 2 || undefined, 'two refused attempts', 20_000);
      await e2e.stack.restartWorker();
      e2e.stack.merchant.answers = [200];
      const before = e2e.stack.merchant.for(tXid).length;
      await waitFor(() => e2e.stack.merchant.for(tXid).length > before || undefined, 'a retry after the restart', 40_000);
      const auth = { authorization: `Bearer ${e2e.stack.config.operatorToken}` };
      const state = (await (await fetch(`${e2e.stack.opsUrl}/ops/payments/${tXid}/notifications`, { headers: auth })).json()) as { notifications: { state: string; attempts: { httpStatus?: number }[] }[] };
      const record = state.notifications[0];
      assert.equal(record?.state, 'delivered');
      assert.deepEqual(record?.attempts.map((x) => x.httpStatus).slice(0, 2), [503, 503]);
      assert.equal(record?.attempts.at(-1)?.httpStatus, 200);
    } finally {
      e2e.stack.merchant.answers = [200];
    }
  });
});

describe('cancel after the refund window', () => {
  const e2e = useE2eStack({ SETTLEMENT_WINDOW_SECONDS: '2', REFUND_WINDOW_SECONDS: '2' });

  test('the transaction is closed: 9502, and inquiry still answers', async () => {
    const reg = await e2e.client.register(phone('000'));
    await e2e.client.payJson(reg);
    await e2e.stack.notified(reg.tXid ?? '', '0');
    await new Promise((r) => setTimeout(r, 3500));
    const answer = await e2e.client.cancel(reg, '1', 15000);
    assert.equal(answer.resultCd, '9502', answer.resultMsg);
    assert.match(answer.resultMsg ?? '', /refund window/);
    assert.equal((await e2e.client.inquire(reg)).status, '0');
  });
});
