import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { CheckoutBrowser, DanaTestClient, danaDriver } from '../support/sandbox-redirect-harness.js';
import { redirectRestartSuite, redirectWalletSuite } from '../support/sandbox-redirect-suite.js';

redirectWalletSuite('DANA sandbox', danaDriver, (ctx) => {
  const client = (): DanaTestClient => new DanaTestClient(ctx().sb.baseUrl);
  const order = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    merchantTransId: ctx().tXid(),
    amount: { value: '15000.00', currency: 'IDR' },
    orderTitle: 'Kopi susu x2',
    merchantName: 'Toko Kopi Sandbox',
    customerPhone: '081234567899',
    returnUrl: 'http://merchant.example/return',
    validUpTo: new Date(Date.now() + 900_000).toISOString(),
    ...overrides,
  });

  void describe('DANA authentication', () => {
    void test('no headers, another client id, a wrong secret or a tampered body → 401 INVALID_SIGNATURE', async () => {
      const dana = client();
      const query = { merchantTransId: 'NOPE' };
      for (const options of [{ sign: false }, { clientId: 'someone-else' }, { secret: 'not-the-secret' }, { rawBody: '{"merchantTransId":"NOPE"}', signedPath: '/dana/v1.0/orders' }]) {
        const reply = await dana.call('/orders/query', query, options);
        assert.equal(reply.status, 401, JSON.stringify(options));
        assert.equal(reply.body.resultCode, 'INVALID_SIGNATURE');
        assert.equal(typeof reply.body.resultMessage, 'string');
      }
      // Signed over one body, sent with another.
      const timestamp = new Date().toISOString();
      const signed = JSON.stringify(order());
      const signature = createHmac('sha256', 'sandbox-dana-secret-change-me')
        .update(`POST:/dana/v1.0/orders:${timestamp}:${createHash('sha256').update(signed).digest('hex')}`)
        .digest('base64');
      const tampered = await fetch(`${ctx().sb.baseUrl}/dana/v1.0/orders`, {
        method: 'POST',
        headers: { 'X-DANA-CLIENT-ID': 'sandbox-dana-client', 'X-DANA-TIMESTAMP': timestamp, 'X-DANA-SIGNATURE': signature },
        body: signed.replace('15000.00', '1.00'),
      });
      assert.equal(tampered.status, 401);
    });

    void test('X-DANA-TIMESTAMP: ISO 8601 with an offset, at most 300 s away', async () => {
      const dana = client();
      const at = (ms: number): string => new Date(Date.now() + ms).toISOString();
      const query = { merchantTransId: 'NOPE' };
      assert.equal((await dana.call('/orders/query', query, { timestamp: at(-301_000) })).status, 401);
      assert.equal((await dana.call('/orders/query', query, { timestamp: at(301_000) })).status, 401);
      assert.equal((await dana.call('/orders/query', query, { timestamp: at(-200_000) })).status, 404);
      // Jakarta time with its offset.
      const jakarta = new Date(Date.now() + 7 * 3600_000).toISOString().replace(/\.\d+Z$/, '+07:00');
      const accepted = await dana.call('/orders/query', query, { timestamp: jakarta });
      assert.equal(accepted.status, 404);
      assert.equal(accepted.body.resultCode, 'ORDER_NOT_FOUND');
      assert.equal((await dana.call('/orders/query', query, { timestamp: jakarta.replace('+07:00', '') })).status, 401, 'no offset');
      assert.equal((await dana.call('/orders/query', query, { timestamp: String(Date.now()) })).status, 401, 'not ISO');
    });

    void test('the signature covers the path and query as sent, computed independently', async () => {
      const timestamp = new Date().toISOString();
      const body = '{"merchantTransId":"NOPE"}';
      const sign = (path: string): string =>
        createHmac('sha256', 'sandbox-dana-secret-change-me').update(`POST:${path}:${timestamp}:${createHash('sha256').update(body).digest('hex')}`).digest('base64');
      const send = (signedPath: string): Promise<Response> =>
        fetch(`${ctx().sb.baseUrl}/dana/v1.0/orders/query?trace=1`, {
          method: 'POST',
          headers: { 'X-DANA-CLIENT-ID': 'sandbox-dana-client', 'X-DANA-TIMESTAMP': timestamp, 'X-DANA-SIGNATURE': sign(signedPath) },
          body,
        });
      assert.equal((await send('/dana/v1.0/orders/query?trace=1')).status, 404);
      assert.equal((await send('/dana/v1.0/orders/query')).status, 401);
    });
  });

  void describe('DANA wire format', () => {
    void test('create, query, cancel and refund answer exactly as documented', async () => {
      const dana = client();
      const body = order({ customerPhone: '081234567000' });
      const tXid = String(body.merchantTransId);
      const created = await dana.call('/orders', body);
      assert.equal(created.status, 200);
      assert.deepEqual(Object.keys(created.body).sort(), ['acquirementId', 'checkoutUrl', 'resultCode', 'resultMessage']);
      assert.equal(created.body.resultCode, 'SUCCESS');
      assert.equal(created.body.resultMessage, 'success');
      assert.match(String(created.body.acquirementId), /^DANA\d{16}$/);
      assert.equal(created.body.checkoutUrl, `${ctx().sb.baseUrl}/dana/checkout/${String(created.body.acquirementId)}`);

      const pending = await dana.call('/orders/query', { merchantTransId: tXid });
      assert.deepEqual(pending.body, {
        resultCode: 'SUCCESS',
        resultMessage: 'success',
        acquirementId: created.body.acquirementId,
        merchantTransId: tXid,
        status: 'INIT',
        amount: { value: '15000.00', currency: 'IDR' },
        refundedAmount: { value: '0.00', currency: 'IDR' },
      });
      await ctx().waitStatus(tXid, 'SUCCESS');

      const paid = await dana.call('/orders/cancel', { merchantTransId: tXid, reason: 'too late' });
      assert.equal(paid.status, 409);
      assert.deepEqual({ ...paid.body, resultMessage: undefined }, { resultCode: 'ORDER_IS_PAID', resultMessage: undefined, status: 'SUCCESS' });

      const refund = await dana.call('/orders/refund', { merchantTransId: tXid, refundRequestId: 'rf-1', amount: { value: '5000.00', currency: 'IDR' }, reason: 'x' });
      assert.equal(refund.status, 200);
      assert.match(String(refund.body.refundId), /^DR[0-9A-F]{16}$/);
      assert.deepEqual(refund.body.refundedAmount, { value: '5000.00', currency: 'IDR' });
      const exceeds = await dana.call('/orders/refund', { merchantTransId: tXid, refundRequestId: 'rf-2', amount: { value: '10001.00', currency: 'IDR' }, reason: 'x' });
      assert.deepEqual([exceeds.status, exceeds.body.resultCode], [422, 'REFUND_AMOUNT_EXCEED']);

      const voidable = order({ customerPhone: '081234567002' });
      await dana.call('/orders', voidable);
      const closed = await dana.call('/orders/cancel', { merchantTransId: voidable.merchantTransId, reason: 'timeout' });
      assert.deepEqual(closed.body, { resultCode: 'SUCCESS', resultMessage: 'success', status: 'CLOSED' });
      const notPaid = await dana.call('/orders/refund', { merchantTransId: voidable.merchantTransId, refundRequestId: 'rf-3', amount: { value: '1.00', currency: 'IDR' } });
      assert.deepEqual([notPaid.status, notPaid.body.resultCode], [409, 'ORDER_NOT_PAID']);

      const unknown = await dana.call('/orders/cancel', { merchantTransId: 'NOPE', reason: 'x' });
      assert.deepEqual([unknown.status, unknown.body.resultCode], [404, 'ORDER_NOT_FOUND']);
      const duplicate = await dana.call('/orders', { ...voidable, orderTitle: 'something else' });
      assert.deepEqual([duplicate.status, duplicate.body.resultCode], [409, 'DUPLICATE_ORDER']);
      const noEndpoint = await dana.call('/payments', {});
      assert.equal(noEndpoint.status, 404);
    });

    void test('validation: amounts are decimal strings with 2 decimals, whole rupiah; bad fields → 400 INVALID_PARAMETER naming them', async () => {
      const dana = client();
      const cases: Array<[string, Record<string, unknown>]> = [
        ['amount', { amount: { value: '15000.50', currency: 'IDR' } }],
        ['amount', { amount: { value: '15000.5', currency: 'IDR' } }],
        ['amount', { amount: { value: '15000', currency: 'IDR' } }],
        ['amount', { amount: { value: 15000, currency: 'IDR' } }],
        ['amount', { amount: { value: '0.00', currency: 'IDR' } }],
        ['amount', { amount: { value: '15000.00', currency: 'USD' } }],
        ['merchantTransId', { merchantTransId: '' }],
        ['returnUrl', { returnUrl: 'not a url' }],
        ['validUpTo', { validUpTo: 'tomorrow' }],
        ['customerPhone', { customerPhone: '0712345678' }],
      ];
      for (const [field, overrides] of cases) {
        const reply = await dana.call('/orders', order(overrides));
        assert.equal(reply.status, 400, JSON.stringify(overrides));
        assert.equal(reply.body.resultCode, 'INVALID_PARAMETER');
        if (field !== 'customerPhone') assert.match(String(reply.body.resultMessage), new RegExp(field));
      }
      const notJson = await dana.call('/orders', undefined, { rawBody: '{"merchantTransId":' });
      assert.deepEqual([notJson.status, notJson.body.resultCode], [400, 'INVALID_PARAMETER']);
    });

    void test('005: HTTP 500 INTERNAL_SERVER_ERROR twice', async () => {
      const dana = client();
      const body = order({ customerPhone: '081234567005' });
      for (let i = 0; i < 2; i++) {
        const reply = await dana.call('/orders', body);
        assert.deepEqual([reply.status, reply.body.resultCode], [500, 'INTERNAL_SERVER_ERROR']);
      }
      assert.equal((await dana.call('/orders', body)).status, 200);
    });

    void test('008: refund → 422 REFUND_NOT_ALLOWED; 009: refund → 500 INTERNAL_SERVER_ERROR twice, then 200', async () => {
      const dana = client();
      const refund = (tXid: string, refundRequestId: string) =>
        dana.call('/orders/refund', { merchantTransId: tXid, refundRequestId, amount: { value: '5000.00', currency: 'IDR' }, reason: 'returned' });
      const refusing = ctx().input('008');
      const failing = ctx().input('009');
      await ctx().create(refusing);
      await ctx().create(failing);
      await ctx().waitStatus(refusing.tXid, 'SUCCESS');
      await ctx().waitStatus(failing.tXid, 'SUCCESS');

      const refused = await refund(refusing.tXid, 'rf-1');
      assert.deepEqual([refused.status, refused.body], [422, { resultCode: 'REFUND_NOT_ALLOWED', resultMessage: 'refunds are not allowed for this payment' }]);
      for (let i = 0; i < 2; i++) {
        const reply = await refund(failing.tXid, 'rf-1');
        assert.deepEqual([reply.status, reply.body], [500, { resultCode: 'INTERNAL_SERVER_ERROR', resultMessage: 'simulated outage' }]);
      }
      const ok = await refund(failing.tXid, 'rf-1');
      assert.deepEqual([ok.status, ok.body.resultCode, ok.body.refundedAmount], [200, 'SUCCESS', { value: '5000.00', currency: 'IDR' }]);
    });

    void test('callbacks: JSON with X-DANA-TIMESTAMP and X-DANA-SIGNATURE = base64 HMAC(secret, `${timestamp}|${body}`)', async () => {
      const input = ctx().input('001');
      await ctx().create(input);
      const [cb] = await ctx().waitCallbacks(input.tXid, 1);
      assert.ok(cb);
      assert.match(String(cb.headers['content-type']), /^application\/json/);
      const timestamp = String(cb.headers['x-dana-timestamp']);
      assert.match(timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.equal(cb.headers['x-dana-signature'], createHmac('sha256', 'sandbox-dana-callback-secret').update(`${timestamp}|${cb.rawBody}`).digest('base64'));
      assert.deepEqual(Object.keys(cb.fields).sort(), ['acquirementId', 'amount', 'eventTime', 'merchantTransId', 'reason', 'status']);
      assert.deepEqual(cb.fields.amount, { value: '15000.00', currency: 'IDR' });
      assert.equal(cb.fields.status, 'FAILED');
      assert.match(String(cb.fields.eventTime), /Z$/);
    });

    void test('a validUpTo long past: the order is CLOSED and its page says it expired', async () => {
      const input = ctx().input('899', { expiresAt: new Date(Date.now() - 301_000) });
      const created = await ctx().create(input);
      const view = await ctx().view(input.tXid);
      assert.equal(view.status, 'CLOSED');
      assert.match(String(view.reason), /did not pay in time/);
      assert.match((await new CheckoutBrowser().get(created.checkoutUrl)).html, /Payment expired/);
    });
  });
});

redirectRestartSuite('DANA sandbox across restarts', danaDriver);
