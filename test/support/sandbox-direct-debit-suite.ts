/**
 * What a SNAP Direct Debit wallet of the sandbox (ShopeePay, LinkAja, OVO) must answer beyond the shared redirect
 * scenarios: the B2B token, the symmetric signature, `X-EXTERNAL-ID`, the standard bodies and codes, the notify.
 * Written from the SNAP standard with `node:crypto` alone (sandbox-redirect-harness.ts), never the sandbox's code.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';
import { sleep, type TestSandbox } from './sandbox-harness.js';
import { jakartaTimestamp, sandboxClient, SnapDirectDebitTestClient, walletWorld, type SnapWalletKey, type WalletWorld } from './sandbox-redirect-harness.js';
import type { RedirectSuiteContext } from './sandbox-redirect-suite.js';

const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const sha256hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Each wallet's public key, as the gateway holds it: verifies the notifies. */
const walletPublicKey: Record<SnapWalletKey, string> = {
  shopeepay: sandboxSecrets.SHOPEEPAY_PUBLIC_KEY,
  linkaja: sandboxSecrets.LINKAJA_PUBLIC_KEY,
  ovo: sandboxSecrets.OVO_PUBLIC_KEY,
};

/** `world`: the registry's wallets, or with the one a test adds (then `key` is its callbackPath). */
export function directDebitSpecifics(key: string, ctx: () => RedirectSuiteContext, world: WalletWorld = walletWorld()): void {
  // OVO publishes its paths under /OVOSNAP (Direct Debit v2.0) and pushes to the customer's app: "in progress", no page.
  const push = key === 'ovo';
  const added = world.added?.descriptor.callbackPath === key ? world.added : undefined;
  const credentials = added?.client ?? sandboxClient(key as SnapWalletKey);
  const debit = push ? '/OVOSNAP/v2.0/debit' : '/v1.0/debit';
  const createdCode = push ? '2025400' : '2005400';
  const client = (): SnapDirectDebitTestClient => new SnapDirectDebitTestClient(ctx().sb.baseUrl, key, credentials);
  const clientId = (): string => client().clientId;
  const query = (tXid = 'NOPE') => ({ originalPartnerReferenceNo: tXid, serviceCode: '54', merchantId: clientId() });
  const order = (phone: string, overrides: Record<string, unknown> = {}) => ({
    ...client().order({ tXid: ctx().tXid(), phone, notifyUrl: `${ctx().gw.baseUrl}/callbacks/${key}` }),
    ...overrides,
  });

  void describe('B2B access token (POST /v1.0/access-token/b2b)', () => {
    void test('SHA256withRSA of clientId|X-TIMESTAMP with the partner key → 2007300, a Bearer token for 900 s', async () => {
      const token = await client().requestToken();
      assert.equal(token.status, 200);
      assert.deepEqual(Object.keys(token.body).sort(), ['accessToken', 'expiresIn', 'responseCode', 'responseMessage', 'tokenType']);
      assert.deepEqual([token.body.responseCode, token.body.tokenType, token.body.expiresIn], ['2007300', 'Bearer', '900']);
      assert.match(String(token.body.accessToken), /^[A-Za-z0-9_-]{40,}$/);
    });

    void test('refusals: missing header / grantType → 400xx02, bad form → 400xx01, another key or client → 401xx00', async () => {
      const c = client();
      const cases: Array<[Parameters<SnapDirectDebitTestClient['requestToken']>[0], number, string]> = [
        [{ omitHeaders: ['X-SIGNATURE'] }, 400, '4007302'],
        [{ omitHeaders: ['X-CLIENT-KEY'] }, 400, '4007302'],
        [{ timestamp: '2026-12-06 12:00:00' }, 400, '4007301'],
        [{ body: '{}' }, 400, '4007302'],
        [{ body: '{"grantType":"password"}' }, 400, '4007301'],
        [{ privateKey: otherKey }, 401, '4017300'],
        [{ clientId: 'someone-else' }, 401, '4017300'],
        [{ timestamp: jakartaTimestamp(Date.now() - 310_000) }, 401, '4017300'],
      ];
      for (const [options, http, code] of cases) {
        const reply = await c.requestToken(options);
        assert.deepEqual([reply.status, reply.body.responseCode], [http, code], JSON.stringify(options));
        assert.equal(reply.body.accessToken, undefined);
      }
    });
  });

  void describe('transaction calls (HMAC-SHA512 with the client secret and the B2B token)', () => {
    void test('another secret, a token never issued, the /<wallet> prefix signed, a tampered body → 401, nothing created or charged', async () => {
      const c = client();
      const body = order('081234567000');
      const tXid = String(body.partnerReferenceNo);
      const refusals: Array<[Parameters<SnapDirectDebitTestClient['call']>[2], string]> = [
        [{ secret: 'not-the-client-secret' }, '4015400'],
        [{ token: 'made-up-token' }, '4015401'],
        [{ signedPath: `/${key}${debit}/payment-host-to-host` }, '4015400'],
        [{ partnerId: 'someone-else' }, '4015400'],
        [{ timestamp: jakartaTimestamp(Date.now() + 310_000) }, '4015400'],
      ];
      for (const [options, code] of refusals) {
        const reply = await c.call('/payment-host-to-host', body, options);
        assert.deepEqual([reply.status, reply.body.responseCode], [401, code], JSON.stringify(options));
      }
      // Signed over one body, sent with another.
      const token = await c.token();
      const timestamp = jakartaTimestamp();
      const signed = JSON.stringify(body);
      const signature = createHmac('sha512', c.clientSecret).update(`POST:${debit}/payment-host-to-host:${token}:${sha256hex(signed)}:${timestamp}`).digest('base64');
      const tampered = await fetch(`${ctx().sb.baseUrl}/${key}${debit}/payment-host-to-host`, {
        method: 'POST',
        headers: { 'X-TIMESTAMP': timestamp, 'X-SIGNATURE': signature, 'X-PARTNER-ID': c.clientId, 'X-EXTERNAL-ID': '1', 'CHANNEL-ID': '95221', Authorization: `Bearer ${token}` },
        body: signed.replace('15000.00', '1.00'),
      });
      assert.equal(tampered.status, 401);
      assert.equal(((await tampered.json()) as { responseCode: string }).responseCode, '4015400');
      await sleep(150); // past the 000 customer's delay: had anything been created, it would be paid by now
      assert.equal((await c.call('/status', query(tXid))).body.responseCode, '4045501');
      assert.deepEqual(await ctx().ledger(tXid), []);
    });

    void test('mandatory headers → 400xx02 naming them; X-EXTERNAL-ID reused today for another call → 409xx00, the same call again → replayed', async () => {
      const c = client();
      for (const header of ['X-EXTERNAL-ID', 'X-PARTNER-ID', 'CHANNEL-ID', 'Authorization', 'X-SIGNATURE']) {
        const reply = await c.call('/status', query(), { omitHeaders: [header] });
        assert.deepEqual([reply.status, reply.body.responseCode], [400, '4005502'], header);
        assert.match(String(reply.body.responseMessage), new RegExp(header));
      }
      const externalId = `77${Date.now()}`;
      const body = order('081234567002');
      const first = await c.call('/payment-host-to-host', body, { externalId });
      assert.equal(first.body.responseCode, createdCode);
      const again = await c.call('/payment-host-to-host', body, { externalId });
      assert.deepEqual(again.body, first.body, 'a retry of the same call');
      const other = await c.call('/status', query(String(body.partnerReferenceNo)), { externalId });
      assert.deepEqual([other.status, other.body.responseCode], [409, '4095500']);
    });
  });

  void describe('SNAP Direct Debit bodies and codes', () => {
    void test('create answers referenceNo, partnerReferenceNo, webRedirectUrl (a push: 202xx00, none); bad fields → 400xx01 / 400xx02; another merchant → 404xx08; other content → 409xx01', async () => {
      const c = client();
      const body = order('081234567899');
      const created = await c.call('/payment-host-to-host', body);
      if (push) {
        assert.equal(created.status, 202);
        assert.deepEqual(Object.keys(created.body).sort(), ['partnerReferenceNo', 'referenceNo', 'responseCode', 'responseMessage']);
        assert.deepEqual([created.body.responseCode, created.body.responseMessage, created.body.partnerReferenceNo], ['2025400', 'Request In Progress', body.partnerReferenceNo]);
      } else {
        assert.deepEqual(Object.keys(created.body).sort(), ['partnerReferenceNo', 'referenceNo', 'responseCode', 'responseMessage', 'webRedirectUrl']);
        assert.deepEqual([created.body.responseCode, created.body.responseMessage, created.body.partnerReferenceNo], ['2005400', 'Successful', body.partnerReferenceNo]);
        assert.equal(created.body.webRedirectUrl, `${ctx().sb.baseUrl}/${key}/checkout/${String(created.body.referenceNo)}`);
      }

      const info = { phoneNo: '081234567899', remark: 'Kopi' };
      const cases: Array<[Record<string, unknown>, number, string, string]> = [
        [{ amount: { value: '15000.5', currency: 'IDR' } }, 400, '4005401', 'amount.value'],
        [{ amount: { value: '15000.00', currency: 'USD' } }, 400, '4005401', 'amount.currency'],
        [{ amount: undefined }, 400, '4005402', 'amount'],
        [{ validUpTo: '2026-12-06 12:00' }, 400, '4005401', 'validUpTo'],
        // A push has no browser to send back: only a redirect needs PAY_RETURN.
        ...(push ? [] : [[{ urlParams: [{ url: 'http://merchant.example/n', type: 'PAY_NOTIFY', isDeeplink: 'N' }] }, 400, '4005401', 'urlParams'] as [Record<string, unknown>, number, string, string]]),
        [{ additionalInfo: { remark: 'Kopi' } }, 400, '4005402', 'additionalInfo.phoneNo'],
        [{ additionalInfo: { ...info, phoneNo: '0712345678' } }, 400, '4005401', 'additionalInfo.phoneNo'],
        [{ merchantId: 'another-merchant' }, 404, '4045408', 'Merchant'],
      ];
      for (const [overrides, http, code, field] of cases) {
        const reply = await c.call('/payment-host-to-host', order('081234567899', overrides));
        assert.deepEqual([reply.status, reply.body.responseCode], [http, code], JSON.stringify(overrides));
        assert.match(String(reply.body.responseMessage), new RegExp(field.replace('.', '\\.')));
      }
      const duplicate = await c.call('/payment-host-to-host', { ...body, amount: { value: '16000.00', currency: 'IDR' } });
      assert.deepEqual([duplicate.status, duplicate.body.responseCode], [409, '4095401']);
    });

    void test('status, cancel and refund answer the standard fields; a partnerRefundNo used for another order → 404xx18 and nothing changes', async () => {
      const c = client();
      const body = order('081234567000');
      const tXid = String(body.partnerReferenceNo);
      const created = await c.call('/payment-host-to-host', body);
      await ctx().waitStatus(tXid, '00');
      const status = await c.call('/status', query(tXid));
      assert.deepEqual(
        Object.keys(status.body).sort(),
        ['amount', 'latestTransactionStatus', 'originalPartnerReferenceNo', 'originalReferenceNo', 'paidTime', 'refundHistory', 'responseCode', 'responseMessage', 'serviceCode', 'transAmount', 'transactionStatusDesc'],
      );
      assert.deepEqual([status.body.responseCode, status.body.originalReferenceNo, status.body.serviceCode], ['2005500', created.body.referenceNo, '54']);
      assert.match(String(status.body.paidTime), push ? /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+07:00$/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);

      const cancel = await c.call('/cancel', { originalPartnerReferenceNo: tXid, merchantId: clientId(), reason: 'x' });
      assert.deepEqual([cancel.status, cancel.body.responseCode], [403, '4035715']);

      const refund = await c.call('/refund', { originalPartnerReferenceNo: tXid, merchantId: clientId(), partnerRefundNo: `rf-${tXid}`, refundAmount: { value: '5000.00', currency: 'IDR' }, reason: 'one item' });
      assert.deepEqual(Object.keys(refund.body).sort(), ['originalPartnerReferenceNo', 'originalReferenceNo', 'partnerRefundNo', 'refundAmount', 'refundNo', 'refundTime', 'responseCode', 'responseMessage']);
      assert.equal(refund.body.responseCode, '2005800');
      const history = (await c.call('/status', query(tXid))).body.refundHistory as Array<Record<string, unknown>>;
      assert.deepEqual(history.map((r) => [r.refundNo, r.partnerReferenceNo, r.refundAmount, r.refundStatus]), [[refund.body.refundNo, `rf-${tXid}`, { value: '5000.00', currency: 'IDR' }, '00']]);

      const second = order('081234567000');
      await c.call('/payment-host-to-host', second);
      await ctx().waitStatus(String(second.partnerReferenceNo), '00');
      const reused = await c.call('/refund', { originalPartnerReferenceNo: second.partnerReferenceNo, merchantId: clientId(), partnerRefundNo: `rf-${tXid}`, refundAmount: { value: '1000.00', currency: 'IDR' } });
      assert.deepEqual([reused.status, reused.body.responseCode], [404, '4045818']);
      assert.deepEqual((await ctx().ledger(String(second.partnerReferenceNo))).map((e) => e.type), ['charge']);

      const pending = order('081234567002');
      await c.call('/payment-host-to-host', pending);
      const voided = await c.call('/cancel', { originalPartnerReferenceNo: pending.partnerReferenceNo, merchantId: clientId() });
      assert.deepEqual(Object.keys(voided.body).sort(), ['cancelTime', 'originalPartnerReferenceNo', 'originalReferenceNo', 'responseCode', 'responseMessage', 'transactionDate']);
      assert.equal((await c.call('/status', query(String(pending.partnerReferenceNo)))).body.latestTransactionStatus, '05');
      assert.equal((await c.call('/cancel', { originalPartnerReferenceNo: 'NOPE', merchantId: clientId() })).body.responseCode, '4045701');
    });

    void test('the notify: to the PAY_NOTIFY url, SNAP headers, SHA256withRSA with the wallet key over the merchant path, the standard body', async () => {
      const input = ctx().input('007');
      const created = await ctx().create(input);
      const [cb] = await ctx().waitCallbacks(input.tXid, 1);
      assert.ok(cb?.signatureValid);
      assert.match(String(cb.headers['content-type']), /^application\/json/);
      for (const header of ['x-timestamp', 'x-signature', 'x-partner-id', 'x-external-id', 'channel-id']) assert.ok(cb.headers[header], header);
      assert.equal(cb.headers['x-partner-id'], clientId());
      const publicKey = added?.publicKey ?? walletPublicKey[key as SnapWalletKey];
      // OVO writes its times with milliseconds.
      assert.match(String(cb.headers['x-timestamp']), push ? /\.\d{3}\+07:00$/ : /:\d{2}\+07:00$/);
      const data = `POST:/callbacks/${key}:${sha256hex(cb.rawBody)}:${String(cb.headers['x-timestamp'])}`;
      assert.ok(verify('sha256', Buffer.from(data), publicKey, Buffer.from(String(cb.headers['x-signature']), 'base64')));
      assert.deepEqual(Object.keys(cb.fields).sort(), ['amount', 'createdTime', 'finishedTime', 'latestTransactionStatus', 'merchantId', 'originalPartnerReferenceNo', 'originalReferenceNo', 'transactionStatusDesc']);
      assert.deepEqual(
        [cb.fields.amount, cb.fields.latestTransactionStatus, cb.fields.transactionStatusDesc, cb.fields.originalReferenceNo],
        [{ value: '15000.00', currency: 'IDR' }, '06', 'insufficient balance', created.walletRef],
      );
    });
  });

  void describe('B2B tokens across restarts', () => {
    void test('a token survives a restart (state file) until it expires', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), `sandbox-${key}-`));
      let sb: TestSandbox | undefined;
      try {
        sb = await world.startSandbox('http://127.0.0.1:9', { DATA_DIR: dataDir }, { persist: true });
        const token = await new SnapDirectDebitTestClient(sb.baseUrl, key, credentials).token();
        await sb.close();
        sb = await world.startSandbox('http://127.0.0.1:9', { DATA_DIR: dataDir }, { persist: true });
        const c = new SnapDirectDebitTestClient(sb.baseUrl, key, credentials);
        assert.equal((await c.call('/status', { originalPartnerReferenceNo: 'NOPE', serviceCode: '54', merchantId: c.clientId }, { token })).body.responseCode, '4045501', 'still valid');
      } finally {
        await sb?.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
}
