import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultWallets } from '../../wallets/registry.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { waitFor } from '../support/nicepay-client.js';
import { kasPayClient, kasPayVariables, kasPayWallet } from '../support/sandbox-kaspay.js';

/**
 * A sixth wallet from test code alone (test/support/sandbox-kaspay.ts): a registry entry on the SNAP Direct Debit
 * profile. The gateway derives its variables, callback route, OpenAPI entry and ledger name from it; the sandbox plays
 * it with its standard SNAP simulator. Nothing outside the tests names it.
 */
describe('a sixth wallet from a registry entry alone, end to end', () => {
  const e2e = useE2eStack(kasPayVariables, [...defaultWallets, kasPayWallet]);

  test('KASP pays at its checkout, is notified through /callbacks/kaspay, refunded on cancel, and sits in its own ledger', async () => {
    const { stack, client } = e2e;
    const reg = await client.register('081200000000', { mitraCd: 'KASP' });
    assert.equal(reg.resultCd, '0000', reg.resultMsg);
    const pay = await client.payJson(reg);
    assert.equal(pay.resultCd, '0000', pay.resultMsg);
    assert.ok(pay.redirectUrl?.startsWith(`${stack.sandbox.baseUrl}/kaspay/checkout/`), `checkout URL ${pay.redirectUrl}`);
    const tXid = reg.tXid ?? '';

    // The 000 customer pays; the wallet's notify (signed with the wallet's key, verified with KASPAY_PUBLIC_KEY) settles it.
    const paid = await stack.notified(tXid, '0');
    assert.equal(paid.fields.mitraCd, 'KASP');
    assert.equal(paid.tokenValid, true);
    const deliveries = (await (await fetch(`${stack.sandbox.baseUrl}/sandbox/callbacks?merchantInvoice=${tXid}`)).json()) as { deliveries: { wallet: string; httpStatus?: number }[] };
    assert.ok(deliveries.deliveries.some((d) => d.wallet === 'KASPAY' && d.httpStatus === 200), `notify taken by the gateway: ${JSON.stringify(deliveries.deliveries)}`);
    assert.equal((await client.inquire(reg)).status, '0');
    assert.deepEqual((await stack.ledger(tXid)).map((e) => [e.type, e.amount]), [['charge', 15000]]);
    const kasPayLedger = (await (await fetch(`${stack.sandbox.baseUrl}/sandbox/ledger?wallet=KASPAY&merchantInvoice=${tXid}`)).json()) as { entries: unknown[] };
    assert.equal(kasPayLedger.entries.length, 1);

    // A cancel refunds it at the wallet, once.
    const cancel = await client.cancel(reg, '1', 15000);
    assert.equal(cancel.resultCd, '0000', cancel.resultMsg);
    await waitFor(async () => ((await stack.ledger(tXid)).length === 2 ? true : undefined), 'KasPay refund in the ledger', 20_000);
    assert.deepEqual((await stack.ledger(tXid)).map((e) => [e.type, e.amount]), [['charge', 15000], ['refund', 15000]]);
    assert.equal((await client.inquire(reg)).cancelAmt, '15000');
  });

  test('its notify signed with another key is refused (401) and changes nothing', async () => {
    const { stack, client } = e2e;
    const reg = await client.register('081200000004', { mitraCd: 'KASP' });
    const body = JSON.stringify({ originalPartnerReferenceNo: reg.tXid, originalReferenceNo: 'FORGED', merchantId: kasPayClient.clientId, amount: { value: '15000.00', currency: 'IDR' }, latestTransactionStatus: '00' });
    const res = await fetch(`${stack.apiUrl}/callbacks/kaspay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-TIMESTAMP': new Date().toISOString().replace('Z', '+00:00'), 'X-SIGNATURE': 'Zm9yZ2Vk' },
      body,
    });
    assert.equal(res.status, 401);
    assert.equal((await client.inquire(reg)).status, '3', 'still registered, unpaid');
  });

  test('the OpenAPI document and the sandbox index list it', async () => {
    const { stack } = e2e;
    const doc = JSON.stringify(await (await fetch(`${stack.apiUrl}/docs/openapi.json`)).json());
    assert.match(doc, /`KASP` KasPay/);
    const index = await (await fetch(`${stack.sandbox.baseUrl}/`)).text();
    assert.match(index, /KasPay/);
  });
});
