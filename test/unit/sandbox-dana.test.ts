import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';
import { ExternalIds } from '../../sandbox/snap/external-ids.js';
import { CheckoutBrowser, DANA_API, DanaTestClient, danaDriver, jakartaTimestamp } from '../support/sandbox-redirect-harness.js';
import { redirectRestartSuite, redirectWalletSuite } from '../support/sandbox-redirect-suite.js';

const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const sha256hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

redirectWalletSuite('DANA sandbox', danaDriver, (ctx) => {
  const client = (): DanaTestClient => new DanaTestClient(ctx().sb.baseUrl);
  const order = (phone = '081234567899', overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    ...client().order({ tXid: ctx().tXid(), phone, notifyUrl: `${ctx().gw.baseUrl}/callbacks/dana` }),
    ...overrides,
  });
  const query = { originalPartnerReferenceNo: 'NOPE', serviceCode: '54', merchantId: sandboxSecrets.DANA_MERCHANT_ID };

  void describe('DANA authentication (SNAP asymmetric)', () => {
    void test('no signature, another partner, another key, a tampered body or the /dana prefix signed → 401xx00, nothing created', async () => {
      const dana = client();
      const unsigned = await dana.call('/status.htm', query, { sign: false });
      assert.deepEqual([unsigned.status, unsigned.body.responseCode], [400, '4005502'], 'X-TIMESTAMP is mandatory');
      assert.deepEqual((await dana.call('/status.htm', query, { omitHeaders: ['X-SIGNATURE'] })).body.responseCode, '4015500');
      for (const options of [{ partnerId: 'someone-else' }, { privateKey: otherKey }, { signedPath: `/dana${DANA_API}/status.htm` }]) {
        const reply = await dana.call('/status.htm', query, options);
        assert.equal(reply.status, 401, JSON.stringify(Object.keys(options)));
        assert.equal(reply.body.responseCode, '4015500');
        assert.equal(typeof reply.body.responseMessage, 'string');
      }
      // Signed over one body, sent with another.
      const body = order('081234567000');
      const timestamp = jakartaTimestamp();
      const signed = JSON.stringify(body);
      const signature = sign('sha256', Buffer.from(`POST:${DANA_API}/payment-host-to-host.htm:${sha256hex(signed)}:${timestamp}`), sandboxSecrets.DANA_PRIVATE_KEY).toString('base64');
      const tampered = await fetch(`${ctx().sb.baseUrl}/dana${DANA_API}/payment-host-to-host.htm`, {
        method: 'POST',
        headers: { 'X-TIMESTAMP': timestamp, 'X-SIGNATURE': signature, 'X-PARTNER-ID': dana.partnerId, 'X-EXTERNAL-ID': '1', 'CHANNEL-ID': '95221' },
        body: signed.replace('15000.00', '1.00'),
      });
      assert.equal(tampered.status, 401);
      assert.equal(((await tampered.json()) as { responseCode: string }).responseCode, '4015400');
      assert.equal((await dana.call('/status.htm', { ...query, originalPartnerReferenceNo: String(body.partnerReferenceNo) })).body.responseCode, '4045501');
    });

    void test('mandatory headers → 400xx02 naming them; X-TIMESTAMP ISO 8601 with an offset, at most 300 s away', async () => {
      const dana = client();
      for (const header of ['X-EXTERNAL-ID', 'X-PARTNER-ID', 'CHANNEL-ID']) {
        const reply = await dana.call('/status.htm', query, { omitHeaders: [header] });
        assert.deepEqual([reply.status, reply.body.responseCode], [400, '4005502'], header);
        assert.match(String(reply.body.responseMessage), new RegExp(header));
      }
      const at = (ms: number): string => jakartaTimestamp(Date.now() + ms);
      assert.equal((await dana.call('/status.htm', query, { timestamp: at(-310_000) })).status, 401);
      assert.equal((await dana.call('/status.htm', query, { timestamp: at(310_000) })).status, 401);
      assert.equal((await dana.call('/status.htm', query, { timestamp: at(-200_000) })).status, 404);
      assert.equal((await dana.call('/status.htm', query, { timestamp: new Date().toISOString() })).status, 404, 'UTC with Z, as DANA’s Node SDK on a UTC host');
      const noOffset = await dana.call('/status.htm', query, { timestamp: at(0).replace('+07:00', '') });
      assert.deepEqual([noOffset.status, noOffset.body.responseCode], [400, '4005501']);
    });

    void test('the signature covers the minified body: a body sent with spaces (as DANA’s Python SDK sends it) is accepted', async () => {
      const body = order('081234567899');
      const reply = await client().call('/payment-host-to-host.htm', undefined, { rawBody: JSON.stringify(body, null, 1) });
      assert.equal(reply.body.responseCode, '2005400');
    });

    void test('X-EXTERNAL-ID: the same id with the same request is a retry; with another request the same day → 409xx00', async () => {
      const dana = client();
      const body = order('081234567899');
      const first = await dana.call('/payment-host-to-host.htm', body, { externalId: `ext-${String(body.partnerReferenceNo)}` });
      const retry = await dana.call('/payment-host-to-host.htm', body, { externalId: `ext-${String(body.partnerReferenceNo)}` });
      assert.deepEqual(retry.body, first.body);
      const other = await dana.call('/status.htm', { ...query, originalPartnerReferenceNo: body.partnerReferenceNo }, { externalId: `ext-${String(body.partnerReferenceNo)}` });
      assert.deepEqual([other.status, other.body.responseCode], [409, '4095500']);
    });
  });

  void describe('DANA wire format', () => {
    void test('create, status, cancel and refund answer as DANA publishes', async () => {
      const dana = client();
      const body = order('081234567000');
      const tXid = String(body.partnerReferenceNo);
      const ref = { originalPartnerReferenceNo: tXid, merchantId: dana.merchantId };
      const created = await dana.call('/payment-host-to-host.htm', body);
      assert.equal(created.status, 200);
      assert.deepEqual(Object.keys(created.body).sort(), ['partnerReferenceNo', 'referenceNo', 'responseCode', 'responseMessage', 'webRedirectUrl']);
      assert.deepEqual([created.body.responseCode, created.body.responseMessage, created.body.partnerReferenceNo], ['2005400', 'Successful', tXid]);
      assert.match(String(created.body.referenceNo), /^DANA\d{16}$/);
      assert.equal(created.body.webRedirectUrl, `${ctx().sb.baseUrl}/dana/checkout/${String(created.body.referenceNo)}`);

      const pending = await dana.call('/status.htm', { ...ref, serviceCode: '54' });
      assert.deepEqual(pending.body, {
        responseCode: '2005500',
        responseMessage: 'Successful',
        originalPartnerReferenceNo: tXid,
        originalReferenceNo: created.body.referenceNo,
        serviceCode: '54',
        latestTransactionStatus: '01',
        transactionStatusDesc: 'INIT',
        amount: { value: '15000.00', currency: 'IDR' },
        transAmount: { value: '15000.00', currency: 'IDR' },
        title: 'Kopi susu x2',
        additionalInfo: { amountDetail: { orderAmount: { value: '15000.00', currency: 'IDR' }, refundAmount: { value: '0.00', currency: 'IDR' } }, statusDetail: { acquirementStatus: 'INIT' } },
      });
      const paid = await ctx().waitStatus(tXid, '00');
      assert.match(String(paid.reply.body.paidTime), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);

      const cancelPaid = await dana.call('/cancel.htm', { ...ref, reason: 'too late' });
      assert.deepEqual([cancelPaid.status, cancelPaid.body.responseCode], [403, '4035715']);

      const refund = await dana.call('/refund.htm', { ...ref, partnerRefundNo: `${tXid}-rf-1`, refundAmount: { value: '5000.00', currency: 'IDR' }, reason: 'x' });
      assert.deepEqual([refund.status, refund.body.responseCode, refund.body.partnerRefundNo], [200, '2005800', `${tXid}-rf-1`]);
      assert.match(String(refund.body.refundNo), /^DR[0-9A-F]{16}$/);
      assert.match(String(refund.body.refundTime), /\+07:00$/);
      const exceeds = await dana.call('/refund.htm', { ...ref, partnerRefundNo: `${tXid}-rf-2`, refundAmount: { value: '10001.00', currency: 'IDR' } });
      assert.deepEqual([exceeds.status, exceeds.body.responseCode], [403, '4035802']);

      const voidable = order('081234567002');
      await dana.call('/payment-host-to-host.htm', voidable);
      const vref = { originalPartnerReferenceNo: voidable.partnerReferenceNo, merchantId: dana.merchantId };
      const closed = await dana.call('/cancel.htm', { ...vref, reason: 'timeout' });
      assert.deepEqual([closed.body.responseCode, closed.body.originalPartnerReferenceNo], ['2005700', voidable.partnerReferenceNo]);
      assert.match(String(closed.body.cancelTime), /\+07:00$/);
      assert.equal((await dana.call('/status.htm', { ...vref, serviceCode: '54' })).body.latestTransactionStatus, '05');
      const notPaid = await dana.call('/refund.htm', { ...vref, partnerRefundNo: 'rf-3', refundAmount: { value: '1.00', currency: 'IDR' } });
      assert.deepEqual([notPaid.status, notPaid.body.responseCode], [404, '4045800']);
      // partnerRefundNo is the merchant's across its orders (SNAP): one used for another order is inconsistent.
      const reused = await dana.call('/refund.htm', { ...vref, partnerRefundNo: `${tXid}-rf-1`, refundAmount: { value: '1.00', currency: 'IDR' } });
      assert.deepEqual([reused.status, reused.body.responseCode], [404, '4045818']);

      const unknown = await dana.call('/cancel.htm', { originalPartnerReferenceNo: 'NOPE', merchantId: dana.merchantId });
      assert.deepEqual([unknown.status, unknown.body.responseCode], [404, '4045701']);
      const inconsistent = await dana.call('/payment-host-to-host.htm', { ...voidable, amount: { value: '16000.00', currency: 'IDR' } });
      assert.deepEqual([inconsistent.status, inconsistent.body.responseCode], [404, '4045418']);
      const noEndpoint = await dana.call('/payments.htm', {});
      assert.equal(noEndpoint.status, 404);
    });

    void test('validation: a missing field → 400xx02, a malformed one → 400xx01, naming it; another merchant → 404xx08', async () => {
      const dana = client();
      const info = (order() as { additionalInfo: Record<string, unknown> }).additionalInfo;
      const cases: Array<[string, string, Record<string, unknown>]> = [
        ['4005401', 'amount.value', { amount: { value: '15000.50', currency: 'IDR' } }],
        ['4005401', 'amount.value', { amount: { value: '15000', currency: 'IDR' } }],
        ['4005401', 'amount.value', { amount: { value: 15000, currency: 'IDR' } }],
        ['4005401', 'amount.currency', { amount: { value: '15000.00', currency: 'USD' } }],
        ['4005402', 'amount', { amount: undefined }],
        ['4005402', 'partnerReferenceNo', { partnerReferenceNo: undefined }],
        ['4005401', 'partnerReferenceNo', { partnerReferenceNo: '' }],
        ['4005401', 'validUpTo', { validUpTo: new Date(Date.now() + 60_000).toISOString() }],
        ['4005402', 'validUpTo', { validUpTo: undefined }],
        ['4005401', 'urlParams', { urlParams: [{ url: 'http://merchant.example/n', type: 'NOTIFICATION', isDeeplink: 'N' }] }],
        ['4005402', 'additionalInfo.mcc', { additionalInfo: { ...info, mcc: undefined } }],
        ['4005402', 'additionalInfo.order', { additionalInfo: { ...info, order: undefined } }],
        ['4005401', 'additionalInfo.order.buyer.externalUserId', { additionalInfo: { ...info, order: { orderTitle: 'x', buyer: { externalUserType: 'PHONE', externalUserId: '0712345678' } } } }],
        ['4045408', 'Invalid Merchant', { merchantId: 'another-merchant' }],
      ];
      for (const [code, field, overrides] of cases) {
        const reply = await dana.call('/payment-host-to-host.htm', JSON.parse(JSON.stringify(order('081234567899', overrides))) as unknown);
        assert.equal(reply.body.responseCode, code, `${field}: ${JSON.stringify(overrides)} → ${JSON.stringify(reply.body)}`);
        assert.ok(String(reply.body.responseMessage).includes(field), `${String(reply.body.responseMessage)} names ${field}`);
      }
      const notJson = await dana.call('/payment-host-to-host.htm', undefined, { rawBody: '{"partnerReferenceNo":' });
      assert.deepEqual([notJson.status, notJson.body.responseCode], [400, '4005401']);
      const noService = await dana.call('/status.htm', { originalPartnerReferenceNo: 'NOPE', merchantId: dana.merchantId });
      assert.equal(noService.body.responseCode, '4005502');
    });

    void test('005: HTTP 500 (5005401) twice, then created', async () => {
      const dana = client();
      const body = order('081234567005');
      for (let i = 0; i < 2; i++) {
        const reply = await dana.call('/payment-host-to-host.htm', body);
        assert.deepEqual([reply.status, reply.body.responseCode], [500, '5005401']);
      }
      assert.equal((await dana.call('/payment-host-to-host.htm', body)).body.responseCode, '2005400');
    });

    void test('008: refund → 403 4035815; 009: refund → 500 5005801 twice, then 2005800', async () => {
      const dana = client();
      const refund = (tXid: string, partnerRefundNo: string) =>
        dana.call('/refund.htm', { originalPartnerReferenceNo: tXid, merchantId: dana.merchantId, partnerRefundNo, refundAmount: { value: '5000.00', currency: 'IDR' }, reason: 'returned' });
      const refusing = ctx().input('008');
      const failing = ctx().input('009');
      await ctx().create(refusing);
      await ctx().create(failing);
      await ctx().waitStatus(refusing.tXid, '00');
      await ctx().waitStatus(failing.tXid, '00');

      const refused = await refund(refusing.tXid, 'rf-1');
      assert.deepEqual([refused.status, refused.body.responseCode], [403, '4035815']);
      for (let i = 0; i < 2; i++) {
        const reply = await refund(failing.tXid, 'rf-1');
        assert.deepEqual([reply.status, reply.body.responseCode], [500, '5005801']);
      }
      const ok = await refund(failing.tXid, 'rf-1');
      assert.deepEqual([ok.status, ok.body.responseCode, ok.body.refundAmount], [200, '2005800', { value: '5000.00', currency: 'IDR' }]);
    });

    void test('finish notify: to the NOTIFICATION url, SHA256withRSA by DANA’s key over that url’s path, DANA’s fields', async () => {
      const input = ctx().input('001');
      await ctx().create(input);
      const [cb] = await ctx().waitCallbacks(input.tXid, 1);
      assert.ok(cb);
      assert.match(String(cb.headers['content-type']), /^application\/json/);
      const timestamp = String(cb.headers['x-timestamp']);
      assert.match(timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
      const data = `POST:/callbacks/dana:${sha256hex(JSON.stringify(JSON.parse(cb.rawBody)))}:${timestamp}`;
      assert.ok(verify('sha256', Buffer.from(data), createPublicKey(sandboxSecrets.DANA_PUBLIC_KEY), Buffer.from(String(cb.headers['x-signature']), 'base64')));
      assert.ok(cb.headers['x-external-id'] && cb.headers['x-partner-id'] && cb.headers['channel-id']);
      assert.deepEqual(Object.keys(cb.fields).sort(), [
        'amount',
        'createdTime',
        'finishedTime',
        'latestTransactionStatus',
        'merchantId',
        'originalPartnerReferenceNo',
        'originalReferenceNo',
        'transactionStatusDesc',
      ]);
      assert.deepEqual([cb.fields.amount, cb.fields.latestTransactionStatus, cb.fields.transactionStatusDesc], [{ value: '15000.00', currency: 'IDR' }, '06', 'customer declined']);
      assert.equal(cb.fields.merchantId, sandboxSecrets.DANA_MERCHANT_ID);
    });

    void test('a validUpTo long past: the order is closed (05) and its page says it expired', async () => {
      const input = ctx().input('899', { expiresAt: new Date(Date.now() - 301_000) });
      const created = await ctx().create(input);
      const view = await ctx().view(input.tXid);
      assert.equal(view.status, '05');
      assert.match(String(view.reason), /did not pay in time/);
      assert.match((await new CheckoutBrowser().get(created.checkoutUrl)).html, /Payment expired/);
    });
  });
});

void test('X-EXTERNAL-ID is unique per Jakarta day: the next day (00:00 +07:00) it may be used again; old days are forgotten', () => {
  const ids = new ExternalIds();
  const lateEvening = Date.parse('2026-12-06T16:59:59Z'); // 23:59:59 in Jakarta
  assert.equal(ids.admit('1', '/a', '{"x":1}', lateEvening), true);
  assert.equal(ids.admit('1', '/a', '{ "x": 1 }', lateEvening), true, 'the same call, spaced otherwise');
  assert.equal(ids.admit('1', '/a', '{"x":2}', lateEvening), false);
  assert.equal(ids.admit('1', '/b', '{"x":1}', lateEvening), false);
  const nextDay = lateEvening + 1000;
  assert.equal(ids.admit('1', '/a', '{"x":2}', nextDay), true);
  assert.deepEqual(Object.keys(ids.toJSON()), ['2026-12-07|1']);
  assert.equal(new ExternalIds(ids.toJSON()).admit('1', '/a', '{"x":3}', nextDay), false, 'kept across a restart');
});

redirectRestartSuite('DANA sandbox across restarts', danaDriver);
