import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSandbox, sleep, waitFor, type ApiReply, type TestSandbox } from '../support/sandbox-harness.js';
import { CheckoutBrowser } from '../support/sandbox-redirect-harness.js';
import { AstraPayTestClient, startAstraPayGateway, type AstraPayCallback, type AstraPayGateway } from '../support/sandbox-astrapay.js';

const RETURN = 'http://gateway.example/astrapay/return?x=1';

void describe('AstraPay sandbox', () => {
  let gw: AstraPayGateway;
  let sb: TestSandbox;
  let api: AstraPayTestClient;
  before(async () => {
    gw = await startAstraPayGateway();
    sb = await startTestSandbox(gw.baseUrl);
    api = new AstraPayTestClient(sb.baseUrl);
  });
  after(async () => {
    await sb.close();
    await gw.close();
  });

  const id = (prefix: string): string => `${prefix}${randomBytes(6).toString('hex')}`;
  const phone = (suffix: string): string => `081234567${suffix}`;
  const linkBody = (p: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    linkRequestId: id('MD'),
    phone: p,
    name: 'Budi Santoso',
    email: 'budi@example.com',
    returnUrl: RETURN,
    expiresAt: new Date(Date.now() + 900_000).toISOString(),
    ...overrides,
  });
  const linkStatus = (linkRequestId: string): Promise<ApiReply> => api.call('GET', `/account-links/${linkRequestId}`);
  const waitLink = (linkRequestId: string, status: string): Promise<ApiReply> =>
    waitFor(async () => {
      const r = await linkStatus(linkRequestId);
      return r.body.status === status && r;
    }, `link ${linkRequestId} ${status}`);
  const waitCallbacks = (ref: string, n: number, timeoutMs = 3000): Promise<AstraPayCallback[]> =>
    waitFor(() => gw.about(ref).length >= n && gw.about(ref), `${n} callbacks for ${ref}`, timeoutMs);

  /** A link registered by a person on the page (for payment magic values other than 000); `accountPhone` typed there. */
  async function registeredToken(accountPhone: string): Promise<string> {
    const body = linkBody(phone('899'));
    const created = await api.call('POST', '/account-links', body);
    const page = await new CheckoutBrowser().post(String(created.body.registrationUrl), { phone: accountPhone, name: 'Budi', otp: '123456' });
    assert.equal(page.status, 303);
    return String((await linkStatus(String(body.linkRequestId))).body.accountToken);
  }
  const paymentBody = (accountToken: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    merchantTransId: id('IONPAYTEST05'),
    accountToken,
    amount: 15000,
    description: 'Kopi susu x2',
    merchantName: 'Toko Kopi Sandbox',
    returnUrl: RETURN,
    expiresAt: new Date(Date.now() + 900_000).toISOString(),
    ...overrides,
  });
  const pay = (body: Record<string, unknown>, key = String(body.merchantTransId)): Promise<ApiReply> => api.call('POST', '/payments', body, { idempotencyKey: key });
  const payment = (tXid: string): Promise<ApiReply> => api.call('GET', `/payments/${tXid}`);
  const waitPayment = (tXid: string, status: string, timeoutMs = 3000): Promise<ApiReply> =>
    waitFor(
      async () => {
        const r = await payment(tXid);
        return r.body.status === status && r;
      },
      `payment ${tXid} ${status}`,
      timeoutMs,
    );
  const ledger = async (tXid: string): Promise<Array<Record<string, unknown>>> =>
    (await sb.getJson(`/sandbox/ledger?wallet=ASTRAPAY&merchantInvoice=${tXid}`)).entries as Array<Record<string, unknown>>;

  void describe('authentication', () => {
    void test('missing headers, another client, a wrong secret, a stale timestamp or a tampered body → 401 UNAUTHORIZED', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const options of [{ sign: false }, { clientId: 'someone-else' }, { secret: 'not-the-secret' }, { timestamp: now - 301 }, { timestamp: now + 301 }]) {
        const reply = await api.call('GET', '/account-links/NOPE', undefined, options);
        assert.equal(reply.status, 401, JSON.stringify(options));
        assert.equal(reply.body.code, 'UNAUTHORIZED');
        assert.equal(typeof reply.body.message, 'string');
      }
      assert.equal((await api.call('GET', '/account-links/NOPE', undefined, { timestamp: now - 200 })).status, 404);
      // Signed over one body, sent with another, computed here independently.
      const ts = String(now);
      const signed = JSON.stringify(linkBody(phone('000')));
      const signature = createHmac('sha256', 'sandbox-astrapay-secret-change-me')
        .update(`POST|/astrapay/v1/account-links|${ts}|${createHash('sha256').update(signed).digest('hex')}`)
        .digest('hex');
      const headers = { 'X-AstraPay-Client': 'sandbox-astrapay-client', 'X-AstraPay-Timestamp': ts, 'X-AstraPay-Signature': signature, 'Content-Type': 'application/json' };
      const tampered = await fetch(`${sb.baseUrl}/astrapay/v1/account-links`, { method: 'POST', headers, body: signed.replace('Budi', 'Andi') });
      assert.equal(tampered.status, 401);
      assert.equal((await fetch(`${sb.baseUrl}/astrapay/v1/account-links`, { method: 'POST', headers, body: signed })).status, 201);
    });
  });

  void describe('account links', () => {
    void test('create: 201 with a registration URL; the same again → 200 the same; other content → 409; a bad phone → 400 INVALID_PHONE', async () => {
      const body = linkBody(phone('899'));
      const created = await api.call('POST', '/account-links', body);
      assert.equal(created.status, 201);
      assert.deepEqual(Object.keys(created.body).sort(), ['linkId', 'registrationUrl', 'status']);
      assert.match(String(created.body.linkId), /^AL[0-9A-F]{16}$/);
      assert.equal(created.body.registrationUrl, `${sb.baseUrl}/astrapay/register/${String(created.body.linkId)}`);
      assert.equal(created.body.status, 'PENDING');
      const again = await api.call('POST', '/account-links', body);
      assert.deepEqual([again.status, again.body], [200, created.body]);
      const other = await api.call('POST', '/account-links', { ...body, name: 'Someone Else' });
      assert.deepEqual([other.status, other.body.code], [409, 'DUPLICATE_LINK_REQUEST']);
      const badPhone = await api.call('POST', '/account-links', linkBody('0712345678'));
      assert.deepEqual([badPhone.status, badPhone.body.code], [400, 'INVALID_PHONE']);
      assert.deepEqual((await linkStatus(String(body.linkRequestId))).body, { linkId: created.body.linkId, status: 'PENDING' });
      const unknown = await linkStatus('NOPE');
      assert.deepEqual([unknown.status, unknown.body.code], [404, 'LINK_NOT_FOUND']);
    });

    void test('magic 000: ACTIVE after the delay with an account token; one signed callback carrying it', async () => {
      const body = linkBody(phone('000'));
      await api.call('POST', '/account-links', body);
      const ref = String(body.linkRequestId);
      const active = await waitLink(ref, 'ACTIVE');
      assert.match(String(active.body.accountToken), /^APT-[0-9a-f]{32}$/);
      const [cb] = await waitCallbacks(ref, 1);
      assert.ok(cb?.signatureValid);
      assert.match(String(cb.headers['x-astrapay-timestamp']), /^\d{10}$/);
      assert.deepEqual(Object.keys(cb.body).sort(), ['accountToken', 'eventTime', 'linkId', 'linkRequestId', 'status', 'type']);
      assert.deepEqual([cb.body.type, cb.body.status, cb.body.accountToken], ['account_link', 'ACTIVE', active.body.accountToken]);
    });

    void test('magic 001: FAILED (account validation failed), callback without a token; 002: PENDING, then EXPIRED at expiresAt', async () => {
      const failing = linkBody(phone('001'));
      await api.call('POST', '/account-links', failing);
      const failed = await waitLink(String(failing.linkRequestId), 'FAILED');
      assert.deepEqual(failed.body, { linkId: failed.body.linkId, status: 'FAILED', reason: 'account validation failed' });
      const [cb] = await waitCallbacks(String(failing.linkRequestId), 1);
      assert.deepEqual([cb?.signatureValid, cb?.body.status, cb?.body.reason, 'accountToken' in (cb?.body ?? {})], [true, 'FAILED', 'account validation failed', false]);

      const abandoned = linkBody(phone('002'), { expiresAt: new Date(Date.now() + 400).toISOString() });
      await api.call('POST', '/account-links', abandoned);
      await sleep(150);
      assert.equal((await linkStatus(String(abandoned.linkRequestId))).body.status, 'PENDING');
      const expired = await waitLink(String(abandoned.linkRequestId), 'EXPIRED');
      assert.equal('accountToken' in expired.body, false);
      const [ecb] = await waitCallbacks(String(abandoned.linkRequestId), 1);
      assert.deepEqual([ecb?.body.status, 'accountToken' in (ecb?.body ?? {})], ['EXPIRED', false]);
    });

    void test('registration page over HTTP: labels, pre-filled phone, wrong OTP, then ACTIVE + callback + 303; Cancel → FAILED', async () => {
      const body = linkBody(phone('899'));
      const created = await api.call('POST', '/account-links', body);
      const url = String(created.body.registrationUrl);
      const browser = new CheckoutBrowser();
      const page = await browser.get(url);
      assert.equal(page.status, 200);
      for (const text of ['AstraPay', 'Phone number', 'Full name', 'OTP', 'Register', 'Cancel', '123456', 'value="081234567899"', '#1B3A6B']) assert.ok(page.html.includes(text), text);
      const wrong = await browser.post(url, { phone: phone('899'), name: 'Budi', otp: '000000' });
      assert.equal(wrong.status, 200);
      assert.match(wrong.html, /Wrong OTP/);
      assert.equal((await linkStatus(String(body.linkRequestId))).body.status, 'PENDING');
      const ok = await browser.post(url, { phone: phone('899'), name: 'Budi', otp: '123456' });
      assert.equal(ok.status, 303);
      assert.equal(ok.location, `${RETURN}&linkRequestId=${String(body.linkRequestId)}&status=ACTIVE`);
      const active = await linkStatus(String(body.linkRequestId));
      assert.equal(active.body.status, 'ACTIVE');
      const [cb] = await waitCallbacks(String(body.linkRequestId), 1);
      assert.deepEqual([cb?.body.status, cb?.body.accountToken], ['ACTIVE', active.body.accountToken]);
      assert.match((await browser.get(url)).html, /Account linked/);

      const cancelBody = linkBody(phone('898'));
      const c = await api.call('POST', '/account-links', cancelBody);
      const cancelled = await browser.post(`${String(c.body.registrationUrl)}/cancel`);
      assert.equal(cancelled.status, 303);
      assert.equal(cancelled.location, `${RETURN}&linkRequestId=${String(cancelBody.linkRequestId)}&status=FAILED`);
      assert.deepEqual((await linkStatus(String(cancelBody.linkRequestId))).body.reason, 'cancelled by the customer');
      const [ccb] = await waitCallbacks(String(cancelBody.linkRequestId), 1);
      assert.deepEqual([ccb?.body.status, ccb?.body.reason], ['FAILED', 'cancelled by the customer']);
    });

    void test('revoke: 200 REVOKED (idempotent), no token any more, payments refused with 422 INVALID_ACCOUNT_TOKEN', async () => {
      const body = linkBody(phone('000'));
      await api.call('POST', '/account-links', body);
      const ref = String(body.linkRequestId);
      const token = String((await waitLink(ref, 'ACTIVE')).body.accountToken);
      assert.equal((await pay(paymentBody(token))).status, 201);
      for (let i = 0; i < 2; i++) assert.deepEqual((await api.call('POST', `/account-links/${ref}/revoke`)).body, { status: 'REVOKED' });
      const revoked = await linkStatus(ref);
      assert.equal(revoked.body.status, 'REVOKED');
      assert.equal('accountToken' in revoked.body, false);
      const refused = await pay(paymentBody(token));
      assert.deepEqual([refused.status, refused.body.code], [422, 'INVALID_ACCOUNT_TOKEN']);
      const unknown = await pay(paymentBody('APT-nope'));
      assert.deepEqual([unknown.status, unknown.body.code], [422, 'INVALID_ACCOUNT_TOKEN']);
      assert.equal((await api.call('POST', '/account-links/NOPE/revoke')).status, 404);
    });
  });

  void describe('payments on a linked account', () => {
    let token000: string;
    before(async () => {
      const body = linkBody(phone('000'));
      await api.call('POST', '/account-links', body);
      token000 = String((await waitLink(String(body.linkRequestId), 'ACTIVE')).body.accountToken);
    });

    void test('000: 201 with a verification URL; same key + body → 200 the same; other body → 409; SUCCESS, callback, one charge', async () => {
      const body = paymentBody(token000);
      const tXid = String(body.merchantTransId);
      const created = await pay(body, 'key-1');
      assert.equal(created.status, 201);
      assert.deepEqual(Object.keys(created.body).sort(), ['paymentId', 'status', 'verificationUrl']);
      assert.match(String(created.body.paymentId), /^AP[0-9A-F]{16}$/);
      assert.equal(created.body.verificationUrl, `${sb.baseUrl}/astrapay/verify/${String(created.body.paymentId)}`);
      assert.deepEqual([(await pay(body, 'key-1')).status, (await pay(body, 'key-1')).body], [200, created.body]);
      const mismatch = await pay({ ...body, amount: 16000 }, 'key-1');
      assert.deepEqual([mismatch.status, mismatch.body.code], [409, 'IDEMPOTENCY_MISMATCH']);
      const noKey = await api.call('POST', '/payments', body);
      assert.deepEqual([noKey.status, noKey.body.code], [400, 'INVALID_REQUEST']);
      const paid = await waitPayment(tXid, 'SUCCESS');
      assert.deepEqual(paid.body, { paymentId: created.body.paymentId, status: 'SUCCESS', amount: 15000, refundedAmount: 0 });
      const [cb] = await waitCallbacks(tXid, 1);
      assert.ok(cb?.signatureValid);
      assert.deepEqual(cb.body, { type: 'payment', merchantTransId: tXid, paymentId: created.body.paymentId, amount: 15000, status: 'SUCCESS', eventTime: cb.body.eventTime });
      const entries = await ledger(tXid);
      assert.deepEqual(
        entries.map((e) => [e.wallet, e.type, e.amount, e.paymentId]),
        [['ASTRAPAY', 'charge', 15000, created.body.paymentId]],
      );
      assert.equal(entries[0]?.phoneMasked, '0812****7000');
    });

    void test('001 (account registered as …001): FAILED customer declined; 007: FAILED insufficient balance; callbacks with reasons', async () => {
      for (const [suffix, reason] of [
        ['001', 'customer declined'],
        ['007', 'insufficient balance'],
      ] as const) {
        const body = paymentBody(await registeredToken(phone(suffix)));
        const tXid = String(body.merchantTransId);
        assert.equal((await pay(body)).status, 201);
        const failed = await waitPayment(tXid, 'FAILED');
        assert.equal(failed.body.reason, reason);
        const [cb] = await waitCallbacks(tXid, 1);
        assert.deepEqual([cb?.body.status, cb?.body.reason], ['FAILED', reason]);
        assert.equal((await ledger(tXid)).length, 0);
      }
    });

    void test('003: SUCCESS, charged, but no callback', async () => {
      const body = paymentBody(await registeredToken(phone('003')));
      const tXid = String(body.merchantTransId);
      await pay(body);
      await waitPayment(tXid, 'SUCCESS');
      await sleep(300);
      assert.equal(gw.about(tXid).length, 0);
      assert.equal((await ledger(tXid)).length, 1);
    });

    void test('005: two HTTP 500 INTERNAL_ERROR on create (nothing recorded), then works; paid once, charged once', async () => {
      const body = paymentBody(await registeredToken(phone('005')));
      const tXid = String(body.merchantTransId);
      for (let i = 0; i < 2; i++) {
        const reply = await pay(body);
        assert.deepEqual([reply.status, reply.body.code], [500, 'INTERNAL_ERROR']);
        assert.equal((await payment(tXid)).status, 404);
      }
      assert.equal((await pay(body)).status, 201);
      await waitPayment(tXid, 'SUCCESS');
      await waitCallbacks(tXid, 1);
      assert.equal((await ledger(tXid)).length, 1);
    });

    void test('006: voided while pending, then paid late anyway: SUCCESS, one callback, one charge', async () => {
      const body = paymentBody(await registeredToken(phone('006')));
      const tXid = String(body.merchantTransId);
      await pay(body);
      assert.deepEqual((await api.call('POST', `/payments/${tXid}/void`)).body, { status: 'VOIDED' });
      assert.equal((await payment(tXid)).body.status, 'VOIDED');
      await waitPayment(tXid, 'SUCCESS');
      const [cb] = await waitCallbacks(tXid, 1);
      assert.equal(cb?.body.status, 'SUCCESS');
      assert.equal((await ledger(tXid)).length, 1);
    });

    void test('008 (account registered as …008, link phone …899): SUCCESS, then every refund → 422 REFUND_NOT_ALLOWED, nothing recorded', async () => {
      const body = paymentBody(await registeredToken(phone('008')));
      const tXid = String(body.merchantTransId);
      assert.equal((await pay(body)).status, 201);
      await waitPayment(tXid, 'SUCCESS');
      assert.equal((await waitCallbacks(tXid, 1))[0]?.body.status, 'SUCCESS');
      for (const [amount, key] of [
        [5000, 'r-1'],
        [5000, 'r-1'],
        [15000, 'r-2'],
      ] as const) {
        const refused = await api.call('POST', `/payments/${tXid}/refunds`, { amount, reason: 'x' }, { idempotencyKey: key });
        assert.deepEqual([refused.status, refused.body], [422, { code: 'REFUND_NOT_ALLOWED', message: 'refunds are not allowed for this payment' }]);
      }
      const view = await payment(tXid);
      assert.deepEqual([view.body.status, view.body.refundedAmount], ['SUCCESS', 0]);
      const voided = await api.call('POST', `/payments/${tXid}/void`);
      assert.deepEqual([voided.status, voided.body.code], [409, 'ALREADY_PAID']);
      assert.deepEqual((await ledger(tXid)).map((e) => [e.type, e.amount]), [['charge', 15000]]);
    });

    void test('009: SUCCESS; the first two refund calls → 500 INTERNAL_ERROR, nothing recorded; the third → 201 once, then 200 the same', async () => {
      const body = paymentBody(await registeredToken(phone('009')));
      const tXid = String(body.merchantTransId);
      assert.equal((await pay(body)).status, 201);
      await waitPayment(tXid, 'SUCCESS');
      const refund = (): Promise<ApiReply> => api.call('POST', `/payments/${tXid}/refunds`, { amount: 5000, reason: 'x' }, { idempotencyKey: 'r-1' });
      for (let i = 0; i < 2; i++) {
        const failed = await refund();
        assert.deepEqual([failed.status, failed.body], [500, { code: 'INTERNAL_ERROR', message: 'simulated outage' }]);
        assert.equal((await payment(tXid)).body.refundedAmount, 0);
        assert.deepEqual((await ledger(tXid)).map((e) => e.type), ['charge']);
      }
      const third = await refund();
      assert.deepEqual([third.status, third.body.refundedAmount], [201, 5000]);
      const again = await refund();
      assert.deepEqual([again.status, again.body], [200, third.body]);
      assert.deepEqual((await ledger(tXid)).map((e) => [e.type, e.amount]), [['charge', 15000], ['refund', 5000]]);
      const rest = await api.call('POST', `/payments/${tXid}/refunds`, { amount: 10000, reason: 'x' }, { idempotencyKey: 'r-2' });
      assert.deepEqual([rest.status, rest.body.refundedAmount], [201, 15000]);
      assert.equal((await payment(tXid)).body.status, 'REFUNDED');
    });

    void test('verification page over HTTP: the order and PIN; wrong PIN; Confirm → SUCCESS + 303; Cancel → CANCELLED + 303', async () => {
      const token = await registeredToken(phone('899'));
      const body = paymentBody(token);
      const tXid = String(body.merchantTransId);
      const created = await pay(body);
      const url = String(created.body.verificationUrl);
      const browser = new CheckoutBrowser();
      const page = await browser.get(url);
      assert.equal(page.status, 200);
      for (const text of ['AstraPay', 'Toko Kopi Sandbox', 'Kopi susu x2', 'Rp 15.000', 'PIN', 'Confirm', 'Cancel']) assert.ok(page.html.includes(text), text);
      const wrong = await browser.post(`${url}/confirm`, { pin: '111111' });
      assert.match(wrong.html, /Wrong PIN/);
      assert.equal((await payment(tXid)).body.status, 'PENDING');
      const ok = await browser.post(`${url}/confirm`, { pin: '123456' });
      assert.equal(ok.status, 303);
      assert.equal(ok.location, `${RETURN}&merchantTransId=${tXid}&status=SUCCESS`);
      assert.equal((await payment(tXid)).body.status, 'SUCCESS');
      assert.deepEqual((await ledger(tXid)).map((e) => e.wallet), ['ASTRAPAY']);
      assert.equal((await waitCallbacks(tXid, 1))[0]?.body.status, 'SUCCESS');
      assert.match((await browser.get(url)).html, /Payment completed/);

      const other = paymentBody(token);
      const c = await pay(other);
      const cancelled = await browser.post(`${String(c.body.verificationUrl)}/cancel`);
      assert.equal(cancelled.location, `${RETURN}&merchantTransId=${String(other.merchantTransId)}&status=CANCELLED`);
      const view = await payment(String(other.merchantTransId));
      assert.deepEqual([view.body.status, view.body.reason], ['CANCELLED', 'cancelled by the customer']);
      const [cb] = await waitCallbacks(String(other.merchantTransId), 1);
      assert.deepEqual([cb?.body.status, cb?.body.reason], ['CANCELLED', 'cancelled by the customer']);
    });

    void test('void and refunds: pending → VOIDED; paid → 409 ALREADY_PAID; 201 refund, same key → 200 the same; exceeds 422; not paid 409; unknown 404', async () => {
      const manual = paymentBody(await registeredToken(phone('899')));
      await pay(manual);
      const tXidManual = String(manual.merchantTransId);
      assert.deepEqual((await api.call('POST', `/payments/${tXidManual}/void`)).body, { status: 'VOIDED' });
      const notPaid = await api.call('POST', `/payments/${tXidManual}/refunds`, { amount: 1000, reason: 'x' }, { idempotencyKey: 'r-0' });
      assert.deepEqual([notPaid.status, notPaid.body.code], [409, 'NOT_PAID']);

      const body = paymentBody(token000);
      const tXid = String(body.merchantTransId);
      await pay(body);
      await waitPayment(tXid, 'SUCCESS');
      const refused = await api.call('POST', `/payments/${tXid}/void`);
      assert.deepEqual([refused.status, refused.body.code, refused.body.status], [409, 'ALREADY_PAID', 'SUCCESS']);
      const refund = await api.call('POST', `/payments/${tXid}/refunds`, { amount: 5000, reason: 'x' }, { idempotencyKey: 'r-1' });
      assert.equal(refund.status, 201);
      assert.match(String(refund.body.refundId), /^APR[0-9A-F]{16}$/);
      assert.equal(refund.body.refundedAmount, 5000);
      const again = await api.call('POST', `/payments/${tXid}/refunds`, { amount: 5000, reason: 'x' }, { idempotencyKey: 'r-1' });
      assert.deepEqual([again.status, again.body], [200, refund.body]);
      const exceeds = await api.call('POST', `/payments/${tXid}/refunds`, { amount: 10001, reason: 'x' }, { idempotencyKey: 'r-2' });
      assert.deepEqual([exceeds.status, exceeds.body.code], [422, 'REFUND_EXCEEDS']);
      const rest = await api.call('POST', `/payments/${tXid}/refunds`, { amount: 10000, reason: 'x' }, { idempotencyKey: 'r-3' });
      assert.equal(rest.body.refundedAmount, 15000);
      assert.deepEqual((await payment(tXid)).body, { paymentId: (await payment(tXid)).body.paymentId, status: 'REFUNDED', amount: 15000, refundedAmount: 15000 });
      assert.deepEqual((await ledger(tXid)).map((e) => [e.type, e.amount]), [['charge', 15000], ['refund', 5000], ['refund', 10000]]);
      for (const path of ['/payments/NOPE', '/payments/NOPE/void']) {
        const r = await api.call(path.endsWith('void') ? 'POST' : 'GET', path);
        assert.deepEqual([r.status, r.body.code], [404, 'PAYMENT_NOT_FOUND']);
      }
    });
  });
});

void describe('AstraPay sandbox across restarts', () => {
  void test('009: the failed refund count survives a restart (state file): one failure before, one after, then it works', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sandbox-astrapay-'));
    const gw = await startAstraPayGateway();
    let sb: TestSandbox | undefined;
    try {
      const env = { DATA_DIR: dataDir };
      sb = await startTestSandbox(gw.baseUrl, env, { persist: true });
      let api = new AstraPayTestClient(sb.baseUrl);
      const linkRequestId = `MD${randomBytes(6).toString('hex')}`;
      const link = { linkRequestId, phone: '081234567899', name: 'Budi', email: 'budi@example.com', returnUrl: RETURN };
      const created = await api.call('POST', '/account-links', link);
      assert.equal((await new CheckoutBrowser().post(String(created.body.registrationUrl), { phone: '081234567009', name: 'Budi', otp: '123456' })).status, 303);
      const accountToken = String((await api.call('GET', `/account-links/${linkRequestId}`)).body.accountToken);
      const tXid = `IONPAYTEST05${randomBytes(6).toString('hex')}`;
      const body = { merchantTransId: tXid, accountToken, amount: 15000, description: 'Kopi', merchantName: 'Toko', returnUrl: RETURN, expiresAt: new Date(Date.now() + 900_000).toISOString() };
      assert.equal((await api.call('POST', '/payments', body, { idempotencyKey: tXid })).status, 201);
      await waitFor(async () => (await api.call('GET', `/payments/${tXid}`)).body.status === 'SUCCESS' || undefined, 'paid');
      const refund = (): Promise<ApiReply> => api.call('POST', `/payments/${tXid}/refunds`, { amount: 15000 }, { idempotencyKey: 'r-1' });
      assert.equal((await refund()).status, 500);
      await sb.close();

      const state = JSON.parse(await readFile(join(dataDir, 'sandbox-state.json'), 'utf8')) as { astrapay: { failedRefunds?: Record<string, number> } };
      assert.deepEqual(state.astrapay.failedRefunds, { [tXid]: 1 });

      sb = await startTestSandbox(gw.baseUrl, env, { persist: true });
      api = new AstraPayTestClient(sb.baseUrl);
      assert.equal((await refund()).status, 500, 'the second failure, after the restart');
      const ok = await refund();
      assert.deepEqual([ok.status, ok.body.refundedAmount], [201, 15000]);
      assert.equal((await api.call('GET', `/payments/${tXid}`)).body.status, 'REFUNDED');
      const entries = (await sb.getJson(`/sandbox/ledger?wallet=ASTRAPAY&merchantInvoice=${tXid}`)).entries as Array<{ type: string }>;
      assert.deepEqual(
        entries.map((e) => e.type),
        ['charge', 'refund'],
      );
    } finally {
      await sb?.close();
      await gw.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
