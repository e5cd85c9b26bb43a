import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { CheckoutBrowser, ShopeePayTestClient, shopeePayDriver } from '../support/sandbox-redirect-harness.js';
import { redirectRestartSuite, redirectWalletSuite } from '../support/sandbox-redirect-suite.js';

redirectWalletSuite('ShopeePay sandbox', shopeePayDriver, (ctx) => {
  const client = (): ShopeePayTestClient => new ShopeePayTestClient(ctx().sb.baseUrl);
  const order = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    payment_reference_id: ctx().tXid(),
    merchant_ext_id: 'merchant-1',
    store_ext_id: 'store-1',
    amount: 1500000,
    currency: 'IDR',
    return_url: 'http://merchant.example/return',
    expiry_time: Math.floor(Date.now() / 1000) + 900,
    additional_info: { merchant_name: 'Toko Kopi Sandbox', description: 'Kopi susu x2', phone: '081234567899' },
    ...overrides,
  });

  void describe('ShopeePay authentication', () => {
    void test('no headers, another client id, a wrong secret, a tampered body → HTTP 401 {errcode: 401, debug_msg: "invalid signature"}', async () => {
      const spp = client();
      const check = { reference_id: 'NOPE', transaction_type: 13 };
      for (const options of [{ sign: false }, { clientId: 'someone-else' }, { secret: 'not-the-secret' }]) {
        const reply = await spp.call('/transaction/check', check, options);
        assert.equal(reply.status, 401, JSON.stringify(options));
        assert.equal(reply.body.errcode, 401);
        assert.equal(reply.body.debug_msg, 'invalid signature');
      }
      const body = JSON.stringify({ request_id: 'r-1', ...order() });
      const tampered = await fetch(`${ctx().sb.baseUrl}/shopeepay/v3/merchant-host/order/create`, {
        method: 'POST',
        headers: { 'X-Airpay-ClientId': 'sandbox-shopeepay-client', 'X-Airpay-Req-H': createHmac('sha256', 'sandbox-shopeepay-secret-change-me').update(body).digest('base64') },
        body: body.replace('1500000', '100'),
      });
      assert.equal(tampered.status, 401);
      // Computed independently: base64 HMAC-SHA256 of the exact body.
      const raw = JSON.stringify({ request_id: 'r-2', reference_id: 'NOPE', transaction_type: 13 });
      const signed = await fetch(`${ctx().sb.baseUrl}/shopeepay/v3/merchant-host/transaction/check`, {
        method: 'POST',
        headers: { 'X-Airpay-ClientId': 'sandbox-shopeepay-client', 'X-Airpay-Req-H': createHmac('sha256', 'sandbox-shopeepay-secret-change-me').update(raw).digest('base64') },
        body: raw,
      });
      assert.equal(signed.status, 200);
      assert.deepEqual(await signed.json(), { request_id: 'r-2', errcode: 11, debug_msg: 'transaction not found' });
    });
  });

  void describe('ShopeePay wire format', () => {
    void test('business errors are HTTP 200 with errcode ≠ 0, echoing request_id', async () => {
      const spp = client();
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ amount: 1500050 }, 1, 'invalid amount'],
        [{ amount: 0 }, 1, 'invalid amount'],
        [{ amount: 15000.5 }, 1, 'invalid amount'],
        [{ amount: '1500000' }, 1, 'invalid amount'],
        [{ currency: 'USD' }, 1, 'invalid currency'],
        [{ return_url: 'nope' }, 1, 'invalid return_url'],
        [{ additional_info: { merchant_name: 'x', description: 'y', phone: '0712345678' } }, 2, 'invalid phone'],
      ];
      for (const [overrides, errcode, message] of cases) {
        const raw = JSON.stringify({ request_id: 'req-x', ...order(overrides) });
        const reply = await spp.call('/order/create', {}, { rawBody: raw });
        assert.equal(reply.status, 200, JSON.stringify(overrides));
        assert.deepEqual(reply.body, { request_id: 'req-x', errcode, debug_msg: message });
      }
      const noRequestId = await spp.call('/order/create', {}, { rawBody: JSON.stringify(order()) });
      assert.deepEqual([noRequestId.status, noRequestId.body.errcode, noRequestId.body.debug_msg], [200, 1, 'invalid request_id']);
      const notJson = await spp.call('/order/create', {}, { rawBody: '{"request_id":' });
      assert.deepEqual([notJson.status, notJson.body.errcode], [200, 1]);
      const wrongType = await spp.call('/transaction/check', { reference_id: 'NOPE', transaction_type: 12 });
      assert.deepEqual([wrongType.body.errcode, wrongType.body.debug_msg], [1, 'invalid transaction_type']);

      const body = order({ additional_info: { merchant_name: 'x', description: 'y', phone: '081234567002' } });
      assert.equal((await spp.call('/order/create', body)).body.errcode, 0);
      const duplicate = await spp.call('/order/create', { ...body, store_ext_id: 'another-store' });
      assert.deepEqual([duplicate.status, duplicate.body.errcode, duplicate.body.debug_msg], [200, 7, 'duplicate payment_reference_id']);
      const refund = await spp.call('/transaction/refund/create', { reference_id: body.payment_reference_id, refund_reference_id: 'rf', amount: 100 });
      assert.deepEqual([refund.status, refund.body.errcode], [200, 10]);
      const noEndpoint = await spp.call('/order/delete', {});
      assert.equal(noEndpoint.status, 404);
    });

    void test('create, check, void and refund answer exactly as documented (amounts in hundredths)', async () => {
      const spp = client();
      const body = order({ additional_info: { merchant_name: 'Toko', description: 'Kopi', phone: '081234567000' } });
      const tXid = String(body.payment_reference_id);
      const created = await spp.call('/order/create', body);
      assert.equal(created.status, 200);
      assert.deepEqual(Object.keys(created.body).sort(), ['debug_msg', 'errcode', 'redirect_url_http', 'request_id', 'transaction_sn']);
      assert.match(String(created.body.transaction_sn), /^[1-9]\d{17}$/);
      assert.equal(created.body.redirect_url_http, `${ctx().sb.baseUrl}/shopeepay/checkout/${String(created.body.transaction_sn)}`);
      assert.deepEqual([created.body.errcode, created.body.debug_msg], [0, 'success']);

      const pending = await spp.call('/transaction/check', { reference_id: tXid, transaction_type: 13 });
      assert.deepEqual(pending.body.transaction, { reference_id: tXid, transaction_sn: created.body.transaction_sn, amount: 1500000, status: 1, refunded_amount: 0 });
      await ctx().waitStatus(tXid, '3');

      const voided = await spp.call('/transaction/void/create', { reference_id: tXid, void_reference_id: 'v-1' });
      assert.deepEqual([voided.status, voided.body.errcode, voided.body.debug_msg], [200, 9, 'transaction already successful']);

      const refund = await spp.call('/transaction/refund/create', { reference_id: tXid, refund_reference_id: 'rf-1', amount: 500000 });
      assert.deepEqual(refund.body.refund, { refund_reference_id: 'rf-1', amount: 500000, refunded_amount: 500000 });
      const odd = await spp.call('/transaction/refund/create', { reference_id: tXid, refund_reference_id: 'rf-2', amount: 150 });
      assert.deepEqual([odd.body.errcode, odd.body.debug_msg], [1, 'invalid amount']);
      const exceeds = await spp.call('/transaction/refund/create', { reference_id: tXid, refund_reference_id: 'rf-3', amount: 1000100 });
      assert.deepEqual([exceeds.status, exceeds.body.errcode], [200, 12]);
      const full = await spp.call('/transaction/refund/create', { reference_id: tXid, refund_reference_id: 'rf-4', amount: 1000000 });
      assert.equal(full.body.errcode, 0);
      const refunded = await spp.call('/transaction/check', { reference_id: tXid, transaction_type: 13 });
      assert.deepEqual(refunded.body.transaction, { reference_id: tXid, transaction_sn: created.body.transaction_sn, amount: 1500000, status: 7, refunded_amount: 1500000 });

      const pendingOne = order({ additional_info: { merchant_name: 'x', description: 'y', phone: '081234567002' } });
      await spp.call('/order/create', pendingOne);
      const voidPending = await spp.call('/transaction/void/create', { reference_id: pendingOne.payment_reference_id, void_reference_id: 'v-2' });
      assert.deepEqual([voidPending.body.errcode, (voidPending.body.transaction as { status?: number }).status], [0, 6]);
      const unknown = await spp.call('/transaction/void/create', { reference_id: 'NOPE', void_reference_id: 'v-3' });
      assert.deepEqual([unknown.status, unknown.body.errcode], [200, 11]);
    });

    void test('a pending transaction a person has logged in on is "processing" (2)', async () => {
      const input = ctx().input('081288880899');
      const created = await ctx().create(input);
      assert.equal((await ctx().view(input.tXid)).status, '1');
      const browser = new CheckoutBrowser();
      await browser.post(`${created.checkoutUrl}/login`, { phone: input.phone, pin: '123456' });
      assert.equal((await ctx().view(input.tXid)).status, '2');
    });

    void test('005: HTTP 500 with an errcode, echoing request_id', async () => {
      const spp = client();
      const raw = JSON.stringify({ request_id: 'req-005', ...order({ additional_info: { merchant_name: 'x', description: 'y', phone: '081234567005' } }) });
      for (let i = 0; i < 2; i++) {
        const reply = await spp.call('/order/create', {}, { rawBody: raw });
        assert.equal(reply.status, 500);
        assert.equal(reply.body.request_id, 'req-005');
        assert.notEqual(reply.body.errcode, 0);
      }
      assert.equal((await spp.call('/order/create', {}, { rawBody: raw })).body.errcode, 0);
    });

    void test('008: refund → HTTP 200 errcode 13 "refund not allowed"; 009: refund → HTTP 500 twice, then errcode 0', async () => {
      const spp = client();
      const refund = (tXid: string, id: string) =>
        spp.call('/transaction/refund/create', {}, { rawBody: JSON.stringify({ request_id: `req-${id}`, reference_id: tXid, refund_reference_id: id, amount: 500000 }) });
      const refusing = ctx().input('008');
      const failing = ctx().input('009');
      await ctx().create(refusing);
      await ctx().create(failing);
      await ctx().waitStatus(refusing.tXid, '3');
      await ctx().waitStatus(failing.tXid, '3');

      const refused = await refund(refusing.tXid, 'rf-1');
      assert.deepEqual([refused.status, refused.body], [200, { request_id: 'req-rf-1', errcode: 13, debug_msg: 'refund not allowed' }]);
      for (let i = 0; i < 2; i++) {
        const reply = await refund(failing.tXid, 'rf-1');
        assert.deepEqual([reply.status, reply.body], [500, { request_id: 'req-rf-1', errcode: 500, debug_msg: 'simulated outage' }]);
      }
      const ok = await refund(failing.tXid, 'rf-1');
      assert.deepEqual([ok.status, ok.body.errcode, ok.body.refund], [200, 0, { refund_reference_id: 'rf-1', amount: 500000, refunded_amount: 500000 }]);
    });

    void test('callbacks: JSON, amount in hundredths, payment_status, updated_at in unix seconds, X-Airpay-Req-H = base64 HMAC(secret, body)', async () => {
      const input = ctx().input('007');
      const created = await ctx().create(input);
      const [cb] = await ctx().waitCallbacks(input.tXid, 1);
      assert.ok(cb);
      assert.match(String(cb.headers['content-type']), /^application\/json/);
      assert.equal(cb.headers['x-airpay-req-h'], createHmac('sha256', 'sandbox-shopeepay-callback-secret').update(cb.rawBody).digest('base64'));
      assert.deepEqual(Object.keys(cb.fields).sort(), ['amount', 'payment_reference_id', 'payment_status', 'reason', 'transaction_sn', 'updated_at']);
      assert.deepEqual([cb.fields.amount, cb.fields.payment_status, cb.fields.reason, cb.fields.transaction_sn], [1500000, 2, 'insufficient balance', created.walletRef]);
      assert.ok(Number.isInteger(cb.fields.updated_at) && Math.abs(Number(cb.fields.updated_at) - Date.now() / 1000) < 5);
    });

    void test('an expiry_time long past: the transaction is voided/expired (6)', async () => {
      const input = ctx().input('899', { expiresAt: new Date(Date.now() - 301_000) });
      await ctx().create(input);
      assert.equal((await ctx().view(input.tXid)).status, '6');
    });
  });
});

redirectRestartSuite('ShopeePay sandbox across restarts', shopeePayDriver);
