import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { CallbackRejectedError, WalletRejectedError, WalletUnavailableError } from '../../activities/wallets/adapter.js';
import { OvoAdapter } from '../../activities/wallets/ovo.js';
import { startFakeGateway, startTestSandbox, waitFor, type FakeGateway, type TestSandbox } from '../support/sandbox-harness.js';

const secrets = { clientId: 'sandbox-ovo-client', clientSecret: 'sandbox-ovo-secret-change-me', callbackSecret: 'sandbox-ovo-callback-secret' };
let n = 0;
const request = (phone: string) => ({
  tXid: `IONPAYTEST05UNIT${String(++n).padStart(12, '0')}`,
  referenceNo: `ORD-${n}`,
  amount: 15000,
  phone,
  goodsName: 'Kopi',
  merchantName: 'Toko',
  returnUrl: 'http://gateway/return',
  expirySeconds: 60,
  expiresAt: '2026-11-25T10:00:00.000Z',
});

/** The OVO adapter against the OVO simulator over real HTTP: the same requests it makes in production. */
describe('OVO adapter ↔ sandbox OVO', () => {
  let gateway: FakeGateway;
  let sandbox: TestSandbox;
  let ovo: OvoAdapter;
  before(async () => {
    gateway = await startFakeGateway(secrets.callbackSecret);
    sandbox = await startTestSandbox(gateway.baseUrl);
    ovo = new OvoAdapter({ baseUrl: `${sandbox.baseUrl}/ovo`, ...secrets });
  });
  after(async () => {
    await sandbox?.close();
    await gateway?.close();
  });

  test('create is idempotent on tXid; status maps SUCCESS to PAID; the callback parses and verifies', async () => {
    const req = request('081234567000');
    const first = await ovo.createPayment(req);
    const again = await ovo.createPayment(req);
    assert.equal(again.providerRef, first.providerRef);
    const cb = await waitFor(() => gateway.forInvoice(req.tXid)[0], 'the callback');
    const parsed = ovo.parseCallback({ headers: cb.headers, rawBody: Buffer.from(cb.rawBody) });
    assert.deepEqual([parsed.tXid, parsed.state, parsed.amount, parsed.providerRef], [req.tXid, 'PAID', 15000, first.providerRef]);
    assert.equal((await ovo.checkStatus(req.tXid)).state, 'PAID');
    assert.deepEqual(await ovo.voidPayment(req.tXid), { outcome: 'ALREADY_PAID' });
    const refund = await ovo.refund({ tXid: req.tXid, amount: 15000, idempotencyKey: 'r1', reason: 'test' });
    const refundAgain = await ovo.refund({ tXid: req.tXid, amount: 15000, idempotencyKey: 'r1', reason: 'test' });
    assert.equal(refundAgain.refundRef, refund.refundRef);
  });

  test('declines and insufficient balance map to FAILED with a reason; pending is voided', async () => {
    const declined = request('081234567001');
    await ovo.createPayment(declined);
    await waitFor(() => gateway.forInvoice(declined.tXid)[0], 'the decline callback');
    assert.deepEqual(await ovo.checkStatus(declined.tXid), { state: 'FAILED', amount: 15000, providerRef: (await ovo.checkStatus(declined.tXid)).providerRef, reason: 'customer declined' });
    const pending = request('081234567002');
    await ovo.createPayment(pending);
    assert.equal((await ovo.checkStatus(pending.tXid)).state, 'PENDING');
    assert.deepEqual(await ovo.voidPayment(pending.tXid), { outcome: 'VOIDED' });
    assert.equal((await ovo.checkStatus(pending.tXid)).state, 'VOIDED');
    assert.equal((await ovo.checkStatus('IONPAYTEST05NOTTHERE000000000')).state, 'NOT_FOUND');
  });

  test('005: HTTP 500 is "unavailable" (retry), a bad phone is a refusal (no retry)', async () => {
    const flaky = request('081234567005');
    await assert.rejects(ovo.createPayment(flaky), WalletUnavailableError);
    await assert.rejects(ovo.createPayment(flaky), WalletUnavailableError);
    assert.ok((await ovo.createPayment(flaky)).providerRef);
    await assert.rejects(ovo.createPayment(request('12345')), (e: unknown) => e instanceof WalletRejectedError && e.reason === 'billingPhone is not an OVO account');
  });

  test('wrong credentials and an unreachable wallet are "unavailable", never a refusal', async () => {
    const wrong = new OvoAdapter({ baseUrl: `${sandbox.baseUrl}/ovo`, ...secrets, clientSecret: 'wrong-secret-123' });
    await assert.rejects(wrong.checkStatus('X'), WalletUnavailableError);
    const down = new OvoAdapter({ baseUrl: 'http://127.0.0.1:9/ovo', ...secrets });
    await assert.rejects(down.checkStatus('X'), WalletUnavailableError);
  });

  test('callbacks with a bad signature, an old timestamp or a malformed body are refused', () => {
    const body = Buffer.from(JSON.stringify({ event: 'payment.updated', paymentId: 'P', merchantInvoice: 'T', amount: 1, status: 'SUCCESS' }));
    const sign = (ts: string, raw: Buffer, secret = secrets.callbackSecret) => createHmac('sha256', secret).update(`${ts}.`).update(raw).digest('hex');
    const now = String(Date.now());
    assert.equal(ovo.parseCallback({ headers: { 'x-callback-timestamp': now, 'x-callback-signature': sign(now, body) }, rawBody: body }).state, 'PAID');
    assert.throws(() => ovo.parseCallback({ headers: {}, rawBody: body }), CallbackRejectedError);
    assert.throws(() => ovo.parseCallback({ headers: { 'x-callback-timestamp': now, 'x-callback-signature': sign(now, body, 'forged-secret') }, rawBody: body }), CallbackRejectedError);
    const old = String(Date.now() - 3_600_000);
    assert.throws(() => ovo.parseCallback({ headers: { 'x-callback-timestamp': old, 'x-callback-signature': sign(old, body) }, rawBody: body }), /too old/);
    const junk = Buffer.from('{"status":"SUCCESS"}');
    assert.throws(() => ovo.parseCallback({ headers: { 'x-callback-timestamp': now, 'x-callback-signature': sign(now, junk) }, rawBody: junk }), (e: unknown) => e instanceof CallbackRejectedError && e.httpStatus === 400);
  });
});
