import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckoutBrowser, shopeePayDriver } from '../support/sandbox-redirect-harness.js';
import { directDebitSpecifics } from '../support/sandbox-direct-debit-suite.js';
import { redirectRestartSuite, redirectWalletSuite } from '../support/sandbox-redirect-suite.js';
import { sleep } from '../support/sandbox-harness.js';

redirectWalletSuite('ShopeePay sandbox (SNAP Direct Debit)', shopeePayDriver, (ctx) => {
  directDebitSpecifics('shopeepay', ctx);

  void describe('ShopeePay variations', () => {
    void test('a pending transaction a person has logged in on is "paying" (02)', async () => {
      const input = ctx().input('081288880899');
      const created = await ctx().create(input);
      assert.equal((await ctx().view(input.tXid)).status, '01');
      const browser = new CheckoutBrowser();
      await browser.post(`${created.checkoutUrl}/login`, { phone: input.phone, pin: '123456' });
      assert.equal((await ctx().view(input.tXid)).status, '02');
    });

    void test('the notify is sent once: refused (401) or lost, it is never sent again; the status still says paid', async () => {
      ctx().gw.respondWith(401);
      const input = ctx().input('000');
      await ctx().create(input);
      await ctx().waitCallbacks(input.tXid, 1);
      await sleep(1500);
      assert.deepEqual((await ctx().deliveries(input.tXid)).map((d) => [d.attempt, d.httpStatus]), [[1, 401]]);
      assert.equal(ctx().gw.forRef(input.tXid).length, 1);
      assert.equal((await ctx().view(input.tXid)).status, '00');
    });
  });
});

redirectRestartSuite('ShopeePay sandbox across restarts', shopeePayDriver);
