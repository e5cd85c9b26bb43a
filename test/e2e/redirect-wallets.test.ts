import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { E2eStack } from '../support/e2e-stack.js';
import { waitFor, type NicepayTestClient, type Reply } from '../support/nicepay-client.js';

interface LedgerEntry { type: 'charge' | 'refund'; amount: number }

const wallets = [
  { mitraCd: 'DANA', path: 'dana' },
  { mitraCd: 'ESHP', path: 'shopeepay' },
  { mitraCd: 'LINK', path: 'linkaja' },
] as const;

/** Every magic value of CONTRACT §6 for the three redirect wallets, over HTTP through the real stack. */
describe('redirect wallets end to end: every magic value', () => {
  let stack: E2eStack;
  let client: NicepayTestClient;
  before(async () => {
    stack = await E2eStack.start();
    client = stack.merchantClient();
  });
  after(async () => {
    await stack?.stop();
  });

  const ledger = async (tXid: string): Promise<LedgerEntry[]> =>
    ((await (await fetch(`${stack.sandbox.baseUrl}/sandbox/ledger?merchantInvoice=${encodeURIComponent(tXid)}`)).json()) as { entries: LedgerEntry[] }).entries;
  const notified = (tXid: string, status: string, timeoutMs = 20_000) =>
    waitFor(() => stack.merchant.for(tXid).find((n) => n.fields.status === status), `notification ${status} for ${tXid}`, timeoutMs);

  /** Registers and submits a payment; the JSON payment call answers the wallet's checkout URL. */
  async function start(mitraCd: string, path: string, magic: string): Promise<Reply> {
    const reg = await client.register(`08120000${magic.padStart(4, '0')}`, { mitraCd });
    assert.equal(reg.resultCd, '0000', `${mitraCd} ${magic}: ${reg.resultMsg}`);
    const pay = await client.payJson(reg);
    assert.equal(pay.resultCd, '0000', `${mitraCd} ${magic}: ${pay.resultMsg}`);
    assert.equal(pay.status, '4');
    assert.ok(pay.redirectUrl?.startsWith(`${stack.sandbox.baseUrl}/${path}/checkout/`), `${mitraCd} checkout URL ${pay.redirectUrl}`);
    return reg;
  }

  for (const { mitraCd, path } of wallets) {
    test(`${mitraCd}: 000 paid, 001 failed, 002 expired, 003 paid by status check, 004 one notification, 005 charged once, 006 refunded, 007 failed`, async () => {
      const cases = await Promise.all(['000', '001', '002', '003', '004', '005', '006', '007'].map(async (magic) => ({ magic, reg: await start(mitraCd, path, magic) })));
      const tx = (magic: string) => cases.find((c) => c.magic === magic)?.reg.tXid ?? '';

      await Promise.all([
        notified(tx('000'), '0'),
        notified(tx('001'), '8'),
        notified(tx('002'), '5'),
        notified(tx('003'), '0'),
        notified(tx('004'), '0'),
        notified(tx('005'), '0'),
        notified(tx('006'), '5'),
        notified(tx('007'), '8'),
      ]);
      await waitFor(() => stack.merchant.for(tx('006')).find((n) => n.fields.cancelAmt === '15000'), `${mitraCd} 006 refund notification`, 20_000);

      for (const magic of ['000', '003', '004', '005']) assert.deepEqual((await ledger(tx(magic))).map((e) => e.type), ['charge'], `${mitraCd} ${magic} charged once`);
      for (const magic of ['001', '002', '007']) assert.deepEqual(await ledger(tx(magic)), [], `${mitraCd} ${magic} never charged`);
      assert.deepEqual((await ledger(tx('006'))).map((e) => [e.type, e.amount]), [['charge', 15000], ['refund', 15000]]);
      assert.deepEqual(stack.merchant.for(tx('004')).map((n) => n.fields.status), ['0'], `${mitraCd} 004: one notification`);
      for (const n of stack.merchant.notifications) assert.equal(n.tokenValid, true);

      const statuses = await Promise.all(cases.map(async (c) => [c.magic, (await client.inquire(c.reg)).status]));
      assert.deepEqual(statuses, [['000', '0'], ['001', '8'], ['002', '5'], ['003', '0'], ['004', '0'], ['005', '0'], ['006', '5'], ['007', '8']]);
    });
  }
});
