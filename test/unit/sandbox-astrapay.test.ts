import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSandbox, sleep, waitFor, type ApiReply, type TestSandbox } from '../support/sandbox-harness.js';
import { CheckoutBrowser, jakartaTimestamp } from '../support/sandbox-redirect-harness.js';
import { AstraPayTestClient, startAstraPayGateway, type AstraPayCallback, type AstraPayGateway } from '../support/sandbox-astrapay.js';

const RETURN = 'http://gateway.example/astrapay/return?x=1';
const BIND = '/v1.0/registration-account-binding';
const INQUIRY = '/v1.0/registration-account-inquiry';
const UNBIND = '/v1.0/registration-account-unbinding';
const PAY = '/v1.0/debit/payment-host-to-host';
const STATUS = '/v1.0/debit/status';

/** The sandbox AstraPay on SNAP: account binding (07, 08, 09) and Direct Debit on a bound account, driven as the gateway must. */
void describe('AstraPay sandbox (SNAP account binding + Direct Debit)', () => {
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

  const id = (prefix: string): string => `${prefix}${randomBytes(6).toString('hex').toUpperCase()}`;
  const phone = (suffix: string): string => `081234567${suffix}`;
  const bind = (p: string, more: { validUpTo?: string } = {}) => api.binding({ mandateID: id('MD'), phone: p, returnUrl: RETURN, ...more });
  const inquiry = (mandateID: string): Promise<ApiReply> => api.call(INQUIRY, { partnerReferenceNo: mandateID, merchantId: api.clientId, additionalInfo: { mitraCd: 'ASTR' } });
  const statusOf = (r: ApiReply): unknown => (r.body.additionalInfo as Record<string, unknown> | undefined)?.bindingStatus;
  const waitBinding = (mandateID: string, status: string): Promise<ApiReply> =>
    waitFor(async () => {
      const r = await inquiry(mandateID);
      return statusOf(r) === status && r;
    }, `binding ${mandateID} ${status}`);
  const notifies = (ref: string, n: number, timeoutMs = 3000): Promise<AstraPayCallback[]> => waitFor(() => gw.about(ref).length >= n && gw.about(ref), `${n} notifies for ${ref}`, timeoutMs);
  const ledger = async (ref: string): Promise<unknown[]> => (await sb.getJson(`/sandbox/ledger?wallet=ASTRAPAY&merchantInvoice=${ref}`)).entries as unknown[];

  /** A binding activated by the 000 customer: its id and customer token. */
  async function activeBinding(): Promise<{ mandateID: string; token: string; refreshToken: string }> {
    const body = bind(phone('000'));
    assert.equal((await api.call(BIND, body)).body.responseCode, '2000700');
    const mandateID = String(body.partnerReferenceNo);
    const active = await waitBinding(mandateID, 'ACTIVE');
    return { mandateID, token: String(active.body.accessToken), refreshToken: String(active.body.refreshToken) };
  }
  /** A binding a person registered on the page with `accountPhone` (the payments' magic values follow it). */
  async function registeredToken(accountPhone: string): Promise<string> {
    const body = bind(phone('899'));
    const created = await api.call(BIND, body);
    const page = await new CheckoutBrowser().post(String(created.body.redirectUrl), { phone: accountPhone, name: 'Budi', otp: '123456' });
    assert.equal(page.status, 303);
    return String((await inquiry(String(body.partnerReferenceNo))).body.accessToken);
  }
  const payment = () => api.payment({ tXid: id('IONPAYTEST05'), notifyUrl: `${gw.baseUrl}/callbacks/astrapay`, returnUrl: RETURN });

  void describe('authentication (B2B token, HMAC-SHA512, X-EXTERNAL-ID)', () => {
    void test('another client secret → 401xx00 and nothing is bound; a token never issued → 401xx01; X-EXTERNAL-ID reused for another call → 409xx00', async () => {
      const body = bind(phone('000'));
      const forged = await api.call(BIND, body, { secret: 'not-the-client-secret' });
      assert.deepEqual([forged.status, forged.body.responseCode], [401, '4010700']);
      assert.deepEqual([(await api.call(BIND, body, { token: 'made-up-token' })).body.responseCode], ['4010701']);
      await sleep(150); // past the 000 customer's delay: had anything been bound, it would be ACTIVE by now
      assert.deepEqual([(await inquiry(String(body.partnerReferenceNo))).body.responseCode], ['4040801']);
      assert.equal(gw.about(String(body.partnerReferenceNo)).length, 0);

      const externalId = `55${Date.now()}`;
      assert.equal((await api.call(BIND, body, { externalId })).body.responseCode, '2000700');
      assert.equal((await api.call(BIND, body, { externalId })).body.responseCode, '2000700', 'the same call again');
      const other = await api.call(INQUIRY, { partnerReferenceNo: body.partnerReferenceNo, additionalInfo: { mitraCd: 'ASTR' } }, { externalId });
      assert.deepEqual([other.status, other.body.responseCode], [409, '4090800']);
    });

    void test('a payment signed with another secret → 401xx00, nothing created or charged', async () => {
      const { token } = await activeBinding();
      const body = payment();
      const forged = await api.call(PAY, body, { secret: 'not-the-client-secret', customerToken: token });
      assert.deepEqual([forged.status, forged.body.responseCode], [401, '4015400']);
      await sleep(150);
      const status = await api.call(STATUS, { originalPartnerReferenceNo: body.partnerReferenceNo, serviceCode: '54', merchantId: api.clientId });
      assert.equal(status.body.responseCode, '4045501');
      assert.deepEqual(await ledger(String(body.partnerReferenceNo)), []);
    });
  });

  void describe('account binding (07, 08, 09)', () => {
    void test('bind: 2000700 with referenceNo and the registration page (redirectUrl); the same again → the same; other content → 409xx01; bad fields → 400xx01/02', async () => {
      const body = bind(phone('899'));
      const created = await api.call(BIND, body);
      assert.deepEqual(Object.keys(created.body).sort(), ['partnerReferenceNo', 'redirectUrl', 'referenceNo', 'responseCode', 'responseMessage']);
      assert.match(String(created.body.referenceNo), /^AL[0-9A-F]{16}$/);
      assert.equal(created.body.redirectUrl, `${sb.baseUrl}/astrapay/register/${String(created.body.referenceNo)}`);
      assert.deepEqual((await api.call(BIND, body)).body, created.body);
      const duplicate = await api.call(BIND, { ...body, phoneNo: phone('898') });
      assert.deepEqual([duplicate.status, duplicate.body.responseCode], [409, '4090701']);
      const cases: Array<[Record<string, unknown>, number, string, string]> = [
        [{ phoneNo: '0712345678' }, 400, '4000701', 'phoneNo'],
        [{ additionalInfo: { mitraCd: 'OVOE', callbackUrl: RETURN } }, 400, '4000701', 'additionalInfo.mitraCd'],
        [{ additionalInfo: { mitraCd: 'ASTR' } }, 400, '4000702', 'additionalInfo.callbackUrl'],
        [{ additionalData: undefined }, 400, '4000702', 'additionalData'],
        [{ merchantId: 'another-merchant' }, 404, '4040708', 'Merchant'],
      ];
      for (const [overrides, http, code, field] of cases) {
        const reply = await api.call(BIND, { ...bind(phone('899')), ...overrides });
        assert.deepEqual([reply.status, reply.body.responseCode], [http, code], JSON.stringify(overrides));
        assert.match(String(reply.body.responseMessage), new RegExp(field.replace('.', '\\.')));
      }
    });

    void test('magic 000: ACTIVE with the customer tokens (inquiry by binding or refresh token); one signed notify carrying them', async () => {
      const { mandateID, token, refreshToken } = await activeBinding();
      assert.match(token, /^APT-[0-9a-f]{32}$/);
      assert.match(refreshToken, /^APR-[0-9a-f]{32}$/);
      const byRefresh = await api.call(INQUIRY, { additionalInfo: { mitraCd: 'ASTR', refreshToken } });
      assert.deepEqual([byRefresh.body.responseCode, byRefresh.body.partnerReferenceNo, byRefresh.body.accessToken], ['2000800', mandateID, token]);
      const [n] = await notifies(mandateID, 1);
      assert.ok(n?.signatureValid, 'SHA256withRSA by AstraPay over POST:/callbacks/astrapay');
      assert.match(String(n.headers['x-timestamp']), /\+07:00$/);
      assert.deepEqual([n.body.accessToken, n.body.refreshToken, n.body.merchantId], [token, refreshToken, api.clientId]);
      assert.deepEqual(n.body.additionalInfo, { mitraCd: 'ASTR', bindingStatus: 'ACTIVE' });
    });

    void test('magic 001: FAILED, notify without a token; 002: PENDING, then EXPIRED at validUpTo', async () => {
      const failing = bind(phone('001'));
      await api.call(BIND, failing);
      const failed = await waitBinding(String(failing.partnerReferenceNo), 'FAILED');
      assert.deepEqual([failed.body.accessToken, (failed.body.additionalInfo as Record<string, unknown>).reason], [undefined, 'account validation failed']);
      const [n] = await notifies(String(failing.partnerReferenceNo), 1);
      assert.deepEqual([n?.signatureValid, n?.body.accessToken, n?.body.additionalInfo], [true, undefined, { mitraCd: 'ASTR', bindingStatus: 'FAILED', reason: 'account validation failed' }]);

      const abandoned = bind(phone('002'), { validUpTo: jakartaTimestamp(Date.now() + 1500) });
      await api.call(BIND, abandoned);
      await sleep(150);
      assert.equal(statusOf(await inquiry(String(abandoned.partnerReferenceNo))), 'PENDING');
      await waitBinding(String(abandoned.partnerReferenceNo), 'EXPIRED');
      const [e] = await notifies(String(abandoned.partnerReferenceNo), 1);
      assert.deepEqual([(e?.body.additionalInfo as Record<string, unknown>).bindingStatus, e?.body.accessToken], ['EXPIRED', undefined]);
    });

    void test('registration page over HTTP: pre-filled phone, wrong OTP, then ACTIVE + notify + 303 to callbackUrl', async () => {
      const body = bind(phone('899'));
      const url = String((await api.call(BIND, body)).body.redirectUrl);
      const browser = new CheckoutBrowser();
      const page = await browser.get(url);
      for (const text of ['AstraPay', 'Phone number', 'OTP', '123456', 'value="081234567899"']) assert.ok(page.html.includes(text), text);
      const wrong = await browser.post(url, { phone: phone('899'), name: 'Budi', otp: '000000' });
      assert.match(wrong.html, /Wrong OTP/);
      const ok = await browser.post(url, { phone: phone('899'), name: 'Budi', otp: '123456' });
      assert.equal(ok.status, 303);
      assert.equal(ok.location, `${RETURN}&linkRequestId=${String(body.partnerReferenceNo)}&status=ACTIVE`);
      const [n] = await notifies(String(body.partnerReferenceNo), 1);
      assert.equal((n?.body.additionalInfo as Record<string, unknown>).bindingStatus, 'ACTIVE');
    });

    void test('unbind: needs the binding\'s own customer token (else 401xx02); 2000900, again 2000900; REVOKED; its token pays no more (401xx02)', async () => {
      const { mandateID, token } = await activeBinding();
      const other = await activeBinding();
      const body = { partnerReferenceNo: mandateID, merchantId: api.clientId, additionalInfo: { mitraCd: 'ASTR' } };
      assert.deepEqual((await api.call(UNBIND, body)).body.responseCode, '4010902');
      assert.deepEqual((await api.call(UNBIND, body, { customerToken: other.token })).body.responseCode, '4010902');
      for (let i = 0; i < 2; i++) assert.equal((await api.call(UNBIND, body, { customerToken: token })).body.responseCode, '2000900');
      const revoked = await inquiry(mandateID);
      assert.deepEqual([statusOf(revoked), revoked.body.accessToken], ['REVOKED', undefined]);
      const refused = await api.call(PAY, payment(), { customerToken: token });
      assert.deepEqual([refused.status, refused.body.responseCode], [401, '4015402']);
      assert.equal((await api.call(UNBIND, { ...body, partnerReferenceNo: 'NOPE' }, { customerToken: token })).body.responseCode, '4040901');
    });
  });

  void describe('Direct Debit on a bound account', () => {
    void test('no, a made-up or a malformed customer token → 401xx02; 000: 2005400 with the PIN page, PAID notify to PAY_NOTIFY, status 00, one charge', async () => {
      const { token } = await activeBinding();
      for (const customerToken of [undefined, 'APT-nope']) {
        const refused = await api.call(PAY, payment(), customerToken !== undefined ? { customerToken } : {});
        assert.deepEqual([refused.status, refused.body.responseCode], [401, '4015402'], String(customerToken));
      }
      const body = payment();
      const created = await api.call(PAY, body, { customerToken: token });
      assert.equal(created.body.responseCode, '2005400');
      assert.equal(created.body.webRedirectUrl, `${sb.baseUrl}/astrapay/verify/${String(created.body.referenceNo)}`);
      assert.deepEqual((await api.call(PAY, body, { customerToken: token })).body, created.body, 'the same order again');
      const duplicate = await api.call(PAY, { ...body, amount: { value: '16000.00', currency: 'IDR' } }, { customerToken: token });
      assert.deepEqual([duplicate.status, duplicate.body.responseCode], [409, '4095401']);
      const [n] = await notifies(String(body.partnerReferenceNo), 1);
      assert.deepEqual([n?.signatureValid, n?.body.latestTransactionStatus, n?.body.originalReferenceNo], [true, '00', created.body.referenceNo]);
      const status = await api.call(STATUS, { originalPartnerReferenceNo: body.partnerReferenceNo, serviceCode: '54', merchantId: api.clientId });
      assert.deepEqual([status.body.responseCode, status.body.latestTransactionStatus], ['2005500', '00']);
      assert.equal((await ledger(String(body.partnerReferenceNo))).length, 1);
    });

    void test('001 (account registered as …001): FAILED with a reason; refund and cancel are the standard\'s', async () => {
      const declined = payment();
      await api.call(PAY, declined, { customerToken: await registeredToken(phone('001')) });
      const [n] = await notifies(String(declined.partnerReferenceNo), 1);
      assert.deepEqual([n?.body.latestTransactionStatus, n?.body.transactionStatusDesc], ['06', 'customer declined']);

      const { token } = await activeBinding();
      const paid = payment();
      await api.call(PAY, paid, { customerToken: token });
      await notifies(String(paid.partnerReferenceNo), 1);
      const ref = { originalPartnerReferenceNo: paid.partnerReferenceNo, merchantId: api.clientId };
      const refund = await api.call('/v1.0/debit/refund', { ...ref, partnerRefundNo: id('RF'), refundAmount: { value: '15000.00', currency: 'IDR' }, reason: 'x' });
      assert.equal(refund.body.responseCode, '2005800');
      const tooLate = await api.call('/v1.0/debit/cancel', ref);
      assert.equal(tooLate.body.responseCode, '4035715');
    });

    void test('verification page over HTTP: the order and PIN; wrong PIN; Confirm → PAID + 303 to PAY_RETURN with the SNAP status', async () => {
      const token = await registeredToken(phone('899'));
      const body = payment();
      const created = await api.call(PAY, body, { customerToken: token });
      const url = String(created.body.webRedirectUrl);
      const browser = new CheckoutBrowser();
      const page = await browser.get(url);
      for (const text of ['Confirm with your PIN', 'Rp', 'Kopi susu x2', String(body.partnerReferenceNo)]) assert.ok(page.html.includes(text), text);
      const wrong = await browser.post(`${url}/confirm`, { pin: '000000' });
      assert.match(wrong.html, /Wrong PIN/);
      const ok = await browser.post(`${url}/confirm`, { pin: '123456' });
      assert.equal(ok.status, 303);
      assert.equal(ok.location, `${RETURN}&originalPartnerReferenceNo=${String(body.partnerReferenceNo)}&latestTransactionStatus=00`);
      const [n] = await notifies(String(body.partnerReferenceNo), 1);
      assert.equal(n?.body.latestTransactionStatus, '00');
    });
  });
});

void describe('AstraPay sandbox across restarts', () => {
  void test('the binding, its customer token, the B2B token and 009\'s failed refund count survive a restart (state file)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sandbox-astrapay-'));
    const gw = await startAstraPayGateway();
    let sb: TestSandbox | undefined;
    try {
      const env = { DATA_DIR: dataDir };
      sb = await startTestSandbox(gw.baseUrl, env, { persist: true });
      let api = new AstraPayTestClient(sb.baseUrl);
      const mandateID = `MD${randomBytes(6).toString('hex').toUpperCase()}`;
      const created = await api.call(BIND, api.binding({ mandateID, phone: '081234567899', returnUrl: RETURN }));
      assert.equal((await new CheckoutBrowser().post(String(created.body.redirectUrl), { phone: '081234567009', name: 'Budi', otp: '123456' })).status, 303);
      const inquiry = { partnerReferenceNo: mandateID, additionalInfo: { mitraCd: 'ASTR' } };
      const token = String((await api.call(INQUIRY, inquiry)).body.accessToken);
      const tXid = `IONPAYTEST05${randomBytes(6).toString('hex')}`;
      assert.equal((await api.call(PAY, api.payment({ tXid, returnUrl: RETURN }), { customerToken: token })).body.responseCode, '2005400');
      const status = { originalPartnerReferenceNo: tXid, serviceCode: '54', merchantId: api.clientId };
      await waitFor(async () => (await api.call(STATUS, status)).body.latestTransactionStatus === '00' || undefined, 'paid');
      const refund = (): Promise<ApiReply> => api.call('/v1.0/debit/refund', { originalPartnerReferenceNo: tXid, merchantId: api.clientId, partnerRefundNo: 'r-1', refundAmount: { value: '15000.00', currency: 'IDR' } });
      assert.equal((await refund()).status, 500);
      await sb.close();

      sb = await startTestSandbox(gw.baseUrl, env, { persist: true });
      const b2bToken = await api.token();
      api = new AstraPayTestClient(sb.baseUrl);
      // The B2B token issued before the restart still works, as at a real wallet.
      const after = await api.call(INQUIRY, inquiry, { token: b2bToken });
      assert.deepEqual([after.body.accessToken, (after.body.additionalInfo as Record<string, unknown>).bindingStatus], [token, 'ACTIVE']);
      assert.equal((await refund()).status, 500, 'the second failure, after the restart');
      assert.equal((await refund()).body.responseCode, '2005800');
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
