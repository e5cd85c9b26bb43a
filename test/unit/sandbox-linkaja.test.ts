import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSandbox, type TestSandbox } from '../support/sandbox-harness.js';
import { LinkAjaTestClient, linkAjaDriver } from '../support/sandbox-redirect-harness.js';
import { redirectRestartSuite, redirectWalletSuite } from '../support/sandbox-redirect-suite.js';

const form = (overrides: Record<string, string> = {}): Record<string, string> => ({
  trxId: `IONPAYTEST05${Date.now()}${Math.floor(Math.random() * 1000)}`,
  total: '15000',
  msisdn: '081234567899',
  merchantName: 'Toko Kopi Sandbox',
  items: JSON.stringify([{ name: 'Kopi', price: 15000, qty: 1 }]),
  successUrl: 'http://merchant.example/ok',
  failedUrl: 'http://merchant.example/failed',
  expiredSeconds: '900',
  ...overrides,
});

redirectWalletSuite('LinkAja sandbox', linkAjaDriver, (ctx) => {
  const client = (): LinkAjaTestClient => new LinkAjaTestClient(ctx().sb.baseUrl);

  void describe('LinkAja authentication', () => {
    void test('POST /oauth/token: client credentials → a Bearer token for 300 s; wrong ones → 401 invalid client', async () => {
      const linkaja = client();
      const token = await linkaja.requestToken();
      assert.equal(token.status, 200);
      assert.deepEqual(Object.keys(token.body).sort(), ['access_token', 'expires_in', 'token_type']);
      assert.deepEqual([token.body.token_type, token.body.expires_in], ['Bearer', 300]);
      assert.match(String(token.body.access_token), /^[A-Za-z0-9_-]{20,}$/);

      const wrong = await linkaja.requestToken({ grant_type: 'client_credentials', client_id: 'sandbox-linkaja-client', client_secret: 'nope-nope' });
      assert.deepEqual([wrong.status, wrong.body], [401, { status: '401', message: 'invalid client' }]);
      const stranger = await linkaja.requestToken({ grant_type: 'client_credentials', client_id: 'someone', client_secret: 'sandbox-linkaja-secret-change-me' });
      assert.equal(stranger.status, 401);
      const grant = await linkaja.requestToken({ grant_type: 'password', client_id: 'sandbox-linkaja-client', client_secret: 'sandbox-linkaja-secret-change-me' });
      assert.equal(grant.status, 400);
    });

    void test('every API call needs a valid Bearer token: missing or unknown → 401 invalid token', async () => {
      const linkaja = client();
      for (const token of [null, 'made-up-token']) {
        const reply = await linkaja.call('GET', '/checkout/NOPE', undefined, { token });
        assert.deepEqual([reply.status, reply.body], [401, { status: '401', message: 'invalid token' }]);
      }
      const raw = await fetch(`${ctx().sb.baseUrl}/linkaja/api/v1/checkout/NOPE`, { headers: { Authorization: `Basic ${await linkaja.token()}` } });
      assert.equal(raw.status, 401, 'only Bearer');
      const ok = await linkaja.call('GET', '/checkout/NOPE');
      assert.deepEqual([ok.status, ok.body], [404, { status: '14', message: 'Transaction not found' }]);
    });
  });

  void describe('LinkAja wire format', () => {
    void test('checkout, inquiry, cancel and refund answer exactly as documented', async () => {
      const linkaja = client();
      const fields = form({ msisdn: '081234567000' });
      const created = await linkaja.call('POST', '/checkout', fields);
      assert.equal(created.status, 200);
      assert.deepEqual(Object.keys(created.body).sort(), ['checkoutUrl', 'message', 'refNum', 'status']);
      assert.deepEqual([created.body.status, created.body.message], ['00', 'Success']);
      assert.match(String(created.body.refNum), /^LA\d{12}$/);
      assert.equal(created.body.checkoutUrl, `${ctx().sb.baseUrl}/linkaja/checkout/${String(created.body.refNum)}`);

      const path = `/checkout/${fields.trxId}`;
      const pending = await linkaja.call('GET', path);
      assert.deepEqual(pending.body, { status: '00', message: 'Success', trxId: fields.trxId, refNum: created.body.refNum, total: 15000, trxStatus: 'PENDING', refundedTotal: 0 });
      await ctx().waitStatus(String(fields.trxId), 'PAID');

      const cancel = await linkaja.call('POST', `${path}/cancel`);
      assert.deepEqual([cancel.status, cancel.body], [409, { status: '21', message: 'already paid', trxStatus: 'PAID' }]);

      const refund = await linkaja.call('POST', `${path}/refund`, { refundId: 'rf-1', amount: '5000', reason: 'one item' });
      assert.equal(refund.status, 200);
      assert.match(String(refund.body.refundRefNum), /^LR[0-9A-F]{16}$/);
      assert.deepEqual([refund.body.status, refund.body.refundedTotal], ['00', 5000]);
      const exceeds = await linkaja.call('POST', `${path}/refund`, { refundId: 'rf-2', amount: '10001', reason: 'x' });
      assert.deepEqual([exceeds.status, exceeds.body.status], [422, '22']);
      const badAmount = await linkaja.call('POST', `${path}/refund`, { refundId: 'rf-3', amount: '1.5' });
      assert.deepEqual([badAmount.status, badAmount.body], [400, { status: '03', message: 'amount invalid' }]);

      const waiting = form({ msisdn: '081234567002' });
      await linkaja.call('POST', '/checkout', waiting);
      const voided = await linkaja.call('POST', `/checkout/${waiting.trxId}/cancel`);
      assert.deepEqual([voided.status, voided.body], [200, { status: '00', message: 'Success', trxStatus: 'VOIDED' }]);
      const notPaid = await linkaja.call('POST', `/checkout/${waiting.trxId}/refund`, { refundId: 'rf-4', amount: '1' });
      assert.deepEqual([notPaid.status, notPaid.body.status], [409, '20']);
      const duplicate = await linkaja.call('POST', '/checkout', { ...waiting, total: '16000' });
      assert.deepEqual([duplicate.status, duplicate.body], [409, { status: '09', message: 'duplicate trxId' }]);
      const noEndpoint = await linkaja.call('GET', '/refunds');
      assert.equal(noEndpoint.status, 404);
    });

    void test('invalid fields → 400 {status: "03", message: "<field> invalid"}', async () => {
      const linkaja = client();
      const cases: Array<[string, Record<string, string>]> = [
        ['total', { total: '15000.5' }],
        ['total', { total: '0' }],
        ['total', { total: 'abc' }],
        ['msisdn', { msisdn: '0712345678' }],
        ['items', { items: 'not json' }],
        ['items', { items: '[]' }],
        ['items', { items: '[{"name":"Kopi","price":-1,"qty":1}]' }],
        ['successUrl', { successUrl: 'nope' }],
        ['failedUrl', { failedUrl: '' }],
        ['expiredSeconds', { expiredSeconds: '0' }],
        ['trxId', { trxId: '' }],
      ];
      for (const [field, overrides] of cases) {
        const reply = await linkaja.call('POST', '/checkout', form(overrides));
        assert.deepEqual([reply.status, reply.body], [400, { status: '03', message: `${field} invalid` }], JSON.stringify(overrides));
      }
      const missing = form();
      delete missing.merchantName;
      assert.deepEqual((await linkaja.call('POST', '/checkout', missing)).body, { status: '03', message: 'merchantName invalid' });
    });

    void test('005: HTTP 500 with a non-00 status twice', async () => {
      const linkaja = client();
      const fields = form({ msisdn: '081234567005' });
      for (let i = 0; i < 2; i++) {
        const reply = await linkaja.call('POST', '/checkout', fields);
        assert.equal(reply.status, 500);
        assert.notEqual(reply.body.status, '00');
      }
      assert.equal((await linkaja.call('POST', '/checkout', fields)).status, 200);
    });

    void test('008: refund → 422 {status:"23"} "refund not allowed"; 009: refund → 500 {status:"96"} twice, then 00', async () => {
      const linkaja = client();
      const refund = (tXid: string, refundId: string) => linkaja.call('POST', `/checkout/${tXid}/refund`, { refundId, amount: '5000', reason: 'returned' });
      const refusing = ctx().input('008');
      const failing = ctx().input('009');
      await ctx().create(refusing);
      await ctx().create(failing);
      await ctx().waitStatus(refusing.tXid, 'PAID');
      await ctx().waitStatus(failing.tXid, 'PAID');

      const refused = await refund(refusing.tXid, 'rf-1');
      assert.deepEqual([refused.status, refused.body], [422, { status: '23', message: 'refund not allowed' }]);
      for (let i = 0; i < 2; i++) {
        const reply = await refund(failing.tXid, 'rf-1');
        assert.deepEqual([reply.status, reply.body], [500, { status: '96', message: 'simulated outage' }]);
      }
      const ok = await refund(failing.tXid, 'rf-1');
      assert.deepEqual([ok.status, ok.body.status, ok.body.refundedTotal], [200, '00', 5000]);
    });

    void test('callbacks: form-encoded; signature = lowercase hex HMAC(secret, trxId|refNum|total|status|eventTime); reason may be empty', async () => {
      const paid = ctx().input('000');
      const created = await ctx().create(paid);
      const [cb] = await ctx().waitCallbacks(paid.tXid, 1);
      assert.ok(cb);
      assert.match(String(cb.headers['content-type']), /^application\/x-www-form-urlencoded/);
      const f = cb.fields as Record<string, string>;
      assert.deepEqual(Object.keys(f).sort(), ['eventTime', 'reason', 'refNum', 'signature', 'status', 'total', 'trxId']);
      assert.deepEqual([f.trxId, f.refNum, f.total, f.status, f.reason], [paid.tXid, created.walletRef, '15000', 'PAID', '']);
      assert.match(f.signature ?? '', /^[0-9a-f]{64}$/);
      const expected = createHmac('sha256', 'sandbox-linkaja-callback-secret').update(`${f.trxId}|${f.refNum}|${f.total}|${f.status}|${f.eventTime}`).digest('hex');
      assert.equal(f.signature, expected);
      assert.ok(Math.abs(Date.parse(f.eventTime ?? '') - Date.now()) < 5000);

      const declined = ctx().input('001');
      await ctx().create(declined);
      const [failed] = await ctx().waitCallbacks(declined.tXid, 1);
      assert.deepEqual([failed?.fields.status, failed?.fields.reason], ['FAILED', 'customer declined']);
    });
  });
});

redirectRestartSuite('LinkAja sandbox across restarts', linkAjaDriver);

void describe('LinkAja tokens across restarts', () => {
  void test('a token survives a restart until it expires; an expired one → 401 invalid token', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sandbox-linkaja-'));
    let sb: TestSandbox | undefined;
    try {
      sb = await startTestSandbox('http://127.0.0.1:9', { DATA_DIR: dataDir }, { persist: true });
      const token = await new LinkAjaTestClient(sb.baseUrl).token();
      await sb.close();

      sb = await startTestSandbox('http://127.0.0.1:9', { DATA_DIR: dataDir }, { persist: true });
      assert.equal((await new LinkAjaTestClient(sb.baseUrl).call('GET', '/checkout/NOPE', undefined, { token })).status, 404, 'still valid');
      await sb.close();

      const file = join(dataDir, 'sandbox-state.json');
      const state = JSON.parse(await readFile(file, 'utf8')) as { linkaja: { tokens: Array<{ token: string; expiresAt: number }> } };
      const saved = state.linkaja.tokens.find((t) => t.token === token);
      assert.ok(saved);
      assert.ok(saved.expiresAt > Date.now() + 290_000 && saved.expiresAt <= Date.now() + 300_000, 'expires after 300 s');
      saved.expiresAt = Date.now() - 1;
      await writeFile(file, JSON.stringify(state));

      sb = await startTestSandbox('http://127.0.0.1:9', { DATA_DIR: dataDir }, { persist: true });
      const expired = await new LinkAjaTestClient(sb.baseUrl).call('GET', '/checkout/NOPE', undefined, { token });
      assert.deepEqual([expired.status, expired.body], [401, { status: '401', message: 'invalid token' }]);
    } finally {
      await sb?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
