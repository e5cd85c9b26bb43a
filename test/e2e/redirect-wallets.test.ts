import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useE2eStack } from '../support/e2e-stack.js';
import { waitFor, type Reply } from '../support/nicepay-client.js';

const wallets = [
  { mitraCd: 'DANA', path: 'dana' },
  { mitraCd: 'ESHP', path: 'shopeepay' },
  { mitraCd: 'LINK', path: 'linkaja' },
] as const;

/** Every magic value of CONTRACT §6 for the three redirect wallets, over HTTP through the real e2e.stack. */
describe('redirect wallets end to end: every magic value', () => {
  const e2e = useE2eStack();

  const ledger = (tXid: string) => e2e.stack.ledger(tXid);
  const notified = (tXid: string, status: string) => e2e.stack.notified(tXid, status);

  /** Registers and submits a payment; the JSON payment call answers the wallet's checkout URL. */
  async function start(mitraCd: string, path: string, magic: string): Promise<Reply> {
    const reg = await e2e.client.register(`08120000${magic.padStart(4, '0')}`, { mitraCd });
    assert.equal(reg.resultCd, '0000', `${mitraCd} ${magic}: ${reg.resultMsg}`);
    const pay = await e2e.client.payJson(reg);
    assert.equal(pay.resultCd, '0000', `${mitraCd} ${magic}: ${pay.resultMsg}`);
    assert.equal(pay.status, '4');
    assert.ok(pay.redirectUrl?.startsWith(`${e2e.stack.sandbox.baseUrl}/${path}/checkout/`), `${mitraCd} checkout URL ${pay.redirectUrl}`);
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
      await waitFor(() => e2e.stack.merchant.for(tx('006')).find((n) => n.fields.cancelAmt === '15000'), `${mitraCd} 006 refund notification`, 20_000);

      for (const magic of ['000', '003', '004', '005']) assert.deepEqual((await ledger(tx(magic))).map((e) => e.type), ['charge'], `${mitraCd} ${magic} charged once`);
      for (const magic of ['001', '002', '007']) assert.deepEqual(await ledger(tx(magic)), [], `${mitraCd} ${magic} never charged`);
      assert.deepEqual((await ledger(tx('006'))).map((e) => [e.type, e.amount]), [['charge', 15000], ['refund', 15000]]);
      assert.deepEqual(e2e.stack.merchant.for(tx('004')).map((n) => n.fields.status), ['0'], `${mitraCd} 004: one notification`);
      for (const n of e2e.stack.merchant.notifications) assert.equal(n.tokenValid, true);

      const statuses = await Promise.all(cases.map(async (c) => [c.magic, (await e2e.client.inquire(c.reg)).status]));
      assert.deepEqual(statuses, [['000', '0'], ['001', '8'], ['002', '5'], ['003', '0'], ['004', '0'], ['005', '0'], ['006', '5'], ['007', '8']]);
    });
  }

  // ShopeePay sends its notify once, without retries (WALLET-APIS.md): lost, only the gateway's status check is left.
  test('ESHP: its one notify lost (dropCallbacks) → the status check still finds it paid; the notify is never sent again', async () => {
    const faults = (body: Record<string, unknown> | null) =>
      fetch(`${e2e.stack.sandbox.baseUrl}/sandbox/faults`, body === null ? { method: 'DELETE' } : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    try {
      assert.equal((await faults({ wallet: 'SHOPEEPAY', dropCallbacks: true })).status, 200);
      const reg = await start('ESHP', 'shopeepay', '000');
      const tXid = reg.tXid ?? '';
      await notified(tXid, '0');
      const deliveries = (await (await fetch(`${e2e.stack.sandbox.baseUrl}/sandbox/callbacks?merchantInvoice=${tXid}`)).json()) as { deliveries: Array<{ attempt: number; error?: string }> };
      assert.deepEqual(
        deliveries.deliveries.map((d) => [d.attempt, /dropped/.test(d.error ?? '')]),
        [[1, true]],
      );
      assert.deepEqual((await ledger(tXid)).map((e) => e.type), ['charge']);
      assert.equal((await e2e.client.inquire(reg)).status, '0');
    } finally {
      await faults(null);
    }
  });
});
