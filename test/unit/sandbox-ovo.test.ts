import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadSandboxConfig } from '../../sandbox/config.js';
import { magicOutcome } from '../../sandbox/magic-values.js';
import { maskPhone, maskPhonesIn } from '../../sandbox/mask.js';
import { signOvoRequest } from '../../sandbox/ovo/auth.js';
import {
  type OvoTestClient,
  sleep,
  startFakeGateway,
  startTestSandbox,
  waitFor,
  type ApiReply,
  type FakeGateway,
  type TestSandbox,
} from '../support/sandbox-harness.js';

const PAYMENTS = '/ovo/api/v1/payments';
let seq = 0;
const invoice = (): string => `INV-${randomBytes(3).toString('hex')}-${++seq}`;
const key = (): string => `key-${randomBytes(6).toString('hex')}`;
/** A phone ending in the given three digits, e.g. magic 000. */
const phone = (suffix: string): string => `081234567${suffix}`;

interface Payment {
  paymentId: string;
  merchantInvoice: string;
  amount: number;
  status: string;
  reason?: string;
  refundedAmount: number;
  updatedAt: string;
}

function paymentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    merchantInvoice: invoice(),
    referenceNo: `ORD-${seq}`,
    amount: 15000,
    phone: phone('000'),
    merchantName: 'Toko Kopi Sandbox',
    description: 'Kopi susu x2',
    expirySeconds: 60,
    ...overrides,
  };
}

void describe('OVO sandbox', () => {
  let gw: FakeGateway;
  let sb: TestSandbox;
  let ovo: OvoTestClient;

  before(async () => {
    gw = await startFakeGateway('sandbox-ovo-callback-secret');
    sb = await startTestSandbox(gw.baseUrl);
    ovo = sb.ovo;
  });
  after(async () => {
    await sb.close();
    await gw.close();
  });

  async function create(overrides: Record<string, unknown> = {}, idempotencyKey = key()): Promise<{ reply: ApiReply; body: Record<string, unknown> }> {
    const body = paymentBody(overrides);
    return { reply: await ovo.call('POST', PAYMENTS, { body, idempotencyKey }), body };
  }
  async function status(merchantInvoice: string): Promise<Payment> {
    const reply = await ovo.call('GET', `${PAYMENTS}/${encodeURIComponent(merchantInvoice)}`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body as unknown as Payment;
  }
  const waitStatus = (merchantInvoice: string, wanted: string): Promise<Payment> =>
    waitFor(async () => {
      const p = await status(merchantInvoice);
      return p.status === wanted ? p : undefined;
    }, `${merchantInvoice} to be ${wanted}`);
  async function ledger(merchantInvoice: string): Promise<Array<Record<string, unknown>>> {
    const body = await sb.getJson(`/sandbox/ledger?wallet=OVO&merchantInvoice=${encodeURIComponent(merchantInvoice)}`);
    return body.entries as Array<Record<string, unknown>>;
  }
  async function deliveries(merchantInvoice: string): Promise<Array<Record<string, unknown>>> {
    const body = await sb.getJson(`/sandbox/callbacks?merchantInvoice=${encodeURIComponent(merchantInvoice)}`);
    return body.deliveries as Array<Record<string, unknown>>;
  }
  const errorCode = (reply: ApiReply): unknown => (reply.body.error as { code?: unknown } | undefined)?.code;

  void describe('authentication', () => {
    void test('no auth headers → 401 UNAUTHORIZED', async () => {
      const reply = await ovo.call('GET', `${PAYMENTS}/INV-NONE`, { sign: false });
      assert.equal(reply.status, 401);
      assert.equal(errorCode(reply), 'UNAUTHORIZED');
      assert.equal(typeof (reply.body.error as { message: unknown }).message, 'string');
    });

    void test('bad signature, unknown client id, tampered body → 401', async () => {
      assert.equal((await ovo.call('GET', `${PAYMENTS}/INV-NONE`, { secret: 'not-the-secret' })).status, 401);
      assert.equal((await ovo.call('GET', `${PAYMENTS}/INV-NONE`, { clientId: 'someone-else' })).status, 401);
      // Signed for one path, sent to another.
      const timestamp = Date.now();
      const signature = signOvoRequest({ method: 'GET', pathAndQuery: `${PAYMENTS}/A`, timestamp, rawBody: '', secret: sb.config.ovo.clientSecret });
      const moved = await ovo.call('GET', `${PAYMENTS}/B`, {
        sign: false,
        headers: { 'X-Client-Id': sb.config.ovo.clientId, 'X-Timestamp': String(timestamp), 'X-Signature': signature },
      });
      assert.equal(moved.status, 401);
      // Signed over one body, sent with another.
      const body = JSON.stringify(paymentBody());
      const sig = signOvoRequest({ method: 'POST', pathAndQuery: PAYMENTS, timestamp, rawBody: body, secret: sb.config.ovo.clientSecret });
      const tampered = await ovo.call('POST', PAYMENTS, {
        sign: false,
        rawBody: body.replace('15000', '1'),
        idempotencyKey: key(),
        headers: { 'X-Client-Id': sb.config.ovo.clientId, 'X-Timestamp': String(timestamp), 'X-Signature': sig },
      });
      assert.equal(tampered.status, 401);
      assert.equal(errorCode(tampered), 'UNAUTHORIZED');
    });

    void test('timestamp more than 300 s away → 401; within the window → accepted', async () => {
      assert.equal((await ovo.call('GET', `${PAYMENTS}/INV-NONE`, { timestamp: Date.now() - 301_000 })).status, 401);
      assert.equal((await ovo.call('GET', `${PAYMENTS}/INV-NONE`, { timestamp: Date.now() + 301_000 })).status, 401);
      assert.equal((await ovo.call('GET', `${PAYMENTS}/INV-NONE`, { timestamp: Date.now() - 200_000 })).status, 404);
    });

    void test('the signature format, computed independently, includes the query string', async () => {
      const pathAndQuery = `${PAYMENTS}/INV-NONE?x=1&y=%20z`;
      const timestamp = String(Date.now());
      const canonical = `GET\n${pathAndQuery}\n${timestamp}\n${createHash('sha256').update('').digest('hex')}`;
      const signature = createHmac('sha256', 'sandbox-ovo-secret-change-me').update(canonical).digest('hex');
      const headers = { 'X-Client-Id': 'sandbox-ovo-client', 'X-Timestamp': timestamp, 'X-Signature': signature };
      const reply = await ovo.call('GET', pathAndQuery, { sign: false, headers });
      assert.equal(reply.status, 404);
      assert.equal(errorCode(reply), 'NOT_FOUND');
    });
  });

  void describe('create', () => {
    void test('validation: Idempotency-Key, JSON, fields, phone', async () => {
      const noKey = await ovo.call('POST', PAYMENTS, { body: paymentBody() });
      assert.equal(noKey.status, 400);
      assert.equal(errorCode(noKey), 'INVALID_REQUEST');
      assert.match((noKey.body.error as { message: string }).message, /Idempotency-Key/);

      const badJson = await ovo.call('POST', PAYMENTS, { rawBody: '{"merchantInvoice":', idempotencyKey: key() });
      assert.equal(badJson.status, 400);
      assert.equal(errorCode(badJson), 'INVALID_REQUEST');

      const notObject = await ovo.call('POST', PAYMENTS, { rawBody: '[1,2]', idempotencyKey: key() });
      assert.equal(notObject.status, 400);
      assert.equal(errorCode(notObject), 'INVALID_REQUEST');

      const huge = await ovo.call('POST', PAYMENTS, { body: paymentBody({ description: 'x'.repeat(70_000) }), idempotencyKey: key() });
      assert.equal(huge.status, 413);
      assert.equal(errorCode(huge), 'PAYLOAD_TOO_LARGE');

      for (const [field, value] of [
        ['amount', 1500.5],
        ['amount', 0],
        ['merchantInvoice', 'X'.repeat(41)],
        ['expirySeconds', -1],
        ['merchantName', 12],
      ] as const) {
        const reply = (await create({ [field]: value })).reply;
        assert.equal(reply.status, 400, `${field}=${value}`);
        assert.equal(errorCode(reply), 'INVALID_REQUEST');
        assert.match((reply.body.error as { message: string }).message, new RegExp(field));
      }

      for (const bad of ['0712345678', '08123', '+62812345678901234', '0812345678a']) {
        const reply = (await create({ phone: bad })).reply;
        assert.equal(reply.status, 422, bad);
        assert.equal(errorCode(reply), 'INVALID_PHONE');
      }
    });

    void test('same Idempotency-Key twice → one payment, one charge, one callback; different body → 409', async () => {
      const idempotencyKey = key();
      const body = paymentBody();
      const first = await ovo.call('POST', PAYMENTS, { body, idempotencyKey });
      assert.equal(first.status, 201);
      assert.match(String(first.body.paymentId), /^OVO-[0-9A-F]{12}$/);
      assert.deepEqual(first.body, { paymentId: first.body.paymentId, merchantInvoice: body.merchantInvoice, amount: 15000, status: 'PENDING' });

      const again = await ovo.call('POST', PAYMENTS, { body: { ...body }, idempotencyKey });
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, first.body);

      const mismatch = await ovo.call('POST', PAYMENTS, { body: { ...body, amount: 16000 }, idempotencyKey });
      assert.equal(mismatch.status, 409);
      assert.equal(errorCode(mismatch), 'IDEMPOTENCY_MISMATCH');

      const mi = String(body.merchantInvoice);
      await waitStatus(mi, 'SUCCESS');
      await waitFor(() => gw.forInvoice(mi).length === 1 || undefined, 'the callback');
      await sleep(150);
      assert.equal((await ledger(mi)).length, 1);
      assert.equal(gw.forInvoice(mi).length, 1);
    });

    void test('a different key with an existing merchantInvoice → 409 DUPLICATE_INVOICE', async () => {
      const { reply, body } = await create({ phone: phone('002') });
      assert.equal(reply.status, 201);
      const dup = await ovo.call('POST', PAYMENTS, { body: { ...body, amount: 1 }, idempotencyKey: key() });
      assert.equal(dup.status, 409);
      assert.equal(errorCode(dup), 'DUPLICATE_INVOICE');
      const same = await ovo.call('POST', PAYMENTS, { body, idempotencyKey: key() });
      assert.equal(same.status, 409);
      assert.equal(errorCode(same), 'DUPLICATE_INVOICE');
    });

    void test('GET of an unknown invoice → 404 NOT_FOUND', async () => {
      const reply = await ovo.call('GET', `${PAYMENTS}/NOPE-${seq}`);
      assert.equal(reply.status, 404);
      assert.equal(errorCode(reply), 'NOT_FOUND');
    });
  });

  void describe('magic values', () => {
    void test('000: approves after the delay → SUCCESS, one charge, one signed callback', async () => {
      const { reply, body } = await create({ phone: '6281234567000', amount: 25000 });
      assert.equal(reply.status, 201);
      const mi = String(body.merchantInvoice);
      assert.equal((await status(mi)).status, 'PENDING');
      const paid = await waitStatus(mi, 'SUCCESS');
      assert.equal(paid.refundedAmount, 0);
      assert.equal(paid.reason, undefined);
      assert.ok(!Number.isNaN(Date.parse(paid.updatedAt)));

      const [callback] = await waitFor(() => gw.forInvoice(mi).length > 0 && gw.forInvoice(mi), 'the callback');
      assert.ok(callback);
      assert.equal(callback.path, '/callbacks/ovo');
      assert.equal(callback.signatureValid, true);
      assert.match(String(callback.headers['content-type']), /^application\/json/);
      assert.deepEqual(callback.body, {
        event: 'payment.updated',
        paymentId: reply.body.paymentId,
        merchantInvoice: mi,
        amount: 25000,
        status: 'SUCCESS',
        occurredAt: paid.updatedAt,
      });

      const entries = await ledger(mi);
      assert.equal(entries.length, 1);
      assert.equal(entries[0]?.type, 'charge');
      assert.equal(entries[0]?.wallet, 'OVO');
      assert.equal(entries[0]?.amount, 25000);
      assert.equal(entries[0]?.paymentId, reply.body.paymentId);
      assert.equal(entries[0]?.phoneMasked, '6281****7000');

      const recorded = await waitFor(async () => {
        const d = await deliveries(mi);
        return d.length === 1 ? d : undefined;
      }, 'the delivery record');
      assert.deepEqual({ ...recorded[0], at: undefined }, { wallet: 'OVO', merchantInvoice: mi, status: 'SUCCESS', attempt: 1, httpStatus: 200, at: undefined });
    });

    void test('001: declines → DECLINED "customer declined", callback, no charge', async () => {
      const { body } = await create({ phone: phone('001') });
      const mi = String(body.merchantInvoice);
      const failed = await waitStatus(mi, 'DECLINED');
      assert.equal(failed.reason, 'customer declined');
      const [cb] = await waitFor(() => gw.forInvoice(mi).length > 0 && gw.forInvoice(mi), 'the callback');
      assert.equal(cb?.body.status, 'DECLINED');
      assert.equal(cb?.body.reason, 'customer declined');
      assert.equal((await ledger(mi)).length, 0);
    });

    void test('002: never responds; void → VOIDED, no callback, void again is harmless', async () => {
      const { body } = await create({ phone: phone('002') });
      const mi = String(body.merchantInvoice);
      await sleep(200);
      assert.equal((await status(mi)).status, 'PENDING');
      const voided = await ovo.call('POST', `${PAYMENTS}/${mi}/void`);
      assert.equal(voided.status, 200);
      assert.deepEqual(voided.body, { status: 'VOIDED' });
      const again = await ovo.call('POST', `${PAYMENTS}/${mi}/void`, { body: {} });
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, { status: 'VOIDED' });
      assert.equal((await status(mi)).status, 'VOIDED');
      assert.equal(gw.forInvoice(mi).length, 0);
      assert.equal((await ledger(mi)).length, 0);
    });

    void test('003: approves and charges, but no callback is ever sent', async () => {
      const { body } = await create({ phone: phone('003') });
      const mi = String(body.merchantInvoice);
      await waitStatus(mi, 'SUCCESS');
      assert.equal((await ledger(mi)).length, 1);
      await sleep(200);
      assert.equal(gw.forInvoice(mi).length, 0);
      assert.equal((await deliveries(mi)).length, 0);
    });

    void test('004: three callbacks in order: SUCCESS, stale PENDING, SUCCESS; one charge', async () => {
      const { body, reply } = await create({ phone: phone('004') });
      const mi = String(body.merchantInvoice);
      const paid = await waitStatus(mi, 'SUCCESS');
      const received = await waitFor(() => gw.forInvoice(mi).length === 3 && gw.forInvoice(mi), 'three callbacks');
      assert.deepEqual(
        received.map((r) => r.body.status),
        ['SUCCESS', 'PENDING', 'SUCCESS'],
      );
      assert.ok(received.every((r) => r.signatureValid && r.body.paymentId === reply.body.paymentId));
      const [first, stale, last] = received.map((r) => String(r.body.occurredAt));
      assert.equal(first, paid.updatedAt);
      assert.equal(last, paid.updatedAt);
      assert.ok(stale !== undefined && first !== undefined && stale < first, 'the PENDING one is older (creation time)');
      assert.equal((await ledger(mi)).length, 1);
      await sleep(150);
      assert.equal(gw.forInvoice(mi).length, 3);
    });

    void test('005: the first two creates answer 500 and record nothing; the third works; charged once', async () => {
      const body = paymentBody({ phone: phone('005') });
      const mi = String(body.merchantInvoice);
      for (let i = 0; i < 2; i++) {
        const reply = await ovo.call('POST', PAYMENTS, { body, idempotencyKey: key() });
        assert.equal(reply.status, 500);
        assert.deepEqual(reply.body, { error: { code: 'INTERNAL', message: 'simulated outage' } });
        assert.equal((await ovo.call('GET', `${PAYMENTS}/${mi}`)).status, 404);
      }
      const idempotencyKey = key();
      const third = await ovo.call('POST', PAYMENTS, { body, idempotencyKey });
      assert.equal(third.status, 201);
      const retried = await ovo.call('POST', PAYMENTS, { body, idempotencyKey });
      assert.equal(retried.status, 200);
      await waitStatus(mi, 'SUCCESS');
      await waitFor(() => gw.forInvoice(mi).length === 1 || undefined, 'the callback');
      assert.equal((await ledger(mi)).length, 1);
    });

    void test('006: approves after the late delay even though the gateway voided it meanwhile', async () => {
      const { body } = await create({ phone: phone('006') });
      const mi = String(body.merchantInvoice);
      await sleep(100); // past the normal delay: still pending
      assert.equal((await status(mi)).status, 'PENDING');
      const voided = await ovo.call('POST', `${PAYMENTS}/${mi}/void`, { body: {} });
      assert.deepEqual(voided.body, { status: 'VOIDED' });
      assert.equal(gw.forInvoice(mi).length, 0);
      await waitStatus(mi, 'SUCCESS');
      const [cb] = await waitFor(() => gw.forInvoice(mi).length > 0 && gw.forInvoice(mi), 'the late callback');
      assert.equal(cb?.body.status, 'SUCCESS');
      const entries = await ledger(mi);
      assert.equal(entries.length, 1);
      assert.equal(entries[0]?.type, 'charge');
      // The gateway reconciles with a refund.
      const refund = await ovo.call('POST', `${PAYMENTS}/${mi}/refunds`, { body: { amount: 15000, reason: 'late approval' }, idempotencyKey: key() });
      assert.equal(refund.status, 201);
      assert.equal(refund.body.status, 'REFUNDED');
    });

    void test('006 without a void: the late approval simply pays', async () => {
      const { body } = await create({ phone: phone('006') });
      const mi = String(body.merchantInvoice);
      await waitStatus(mi, 'SUCCESS');
      await waitFor(() => gw.forInvoice(mi).length === 1 || undefined, 'the callback');
      assert.equal((await ledger(mi)).length, 1);
    });

    void test('007: INSUFFICIENT_BALANCE "insufficient balance", callback, no charge', async () => {
      const { body } = await create({ phone: phone('007') });
      const mi = String(body.merchantInvoice);
      const failed = await waitStatus(mi, 'INSUFFICIENT_BALANCE');
      assert.equal(failed.reason, 'insufficient balance');
      const [cb] = await waitFor(() => gw.forInvoice(mi).length > 0 && gw.forInvoice(mi), 'the callback');
      assert.equal(cb?.body.status, 'INSUFFICIENT_BALANCE');
      assert.equal(cb?.body.reason, 'insufficient balance');
      assert.equal((await ledger(mi)).length, 0);
    });

    void test('008: approves like 000; every refund → 422 REFUND_NOT_ALLOWED, nothing recorded; void of the paid payment as for 000', async () => {
      const { body } = await create({ phone: phone('008') });
      const mi = String(body.merchantInvoice);
      const path = `${PAYMENTS}/${mi}/refunds`;
      await waitStatus(mi, 'SUCCESS');
      const [cb] = await waitFor(() => gw.forInvoice(mi).length > 0 && gw.forInvoice(mi), 'the callback');
      assert.equal(cb?.body.status, 'SUCCESS');
      const k1 = key();
      for (const [amount, idempotencyKey] of [
        [5000, k1],
        [5000, k1],
        [15000, key()],
      ] as const) {
        const refused = await ovo.call('POST', path, { body: { amount, reason: 'returned' }, idempotencyKey });
        assert.equal(refused.status, 422);
        assert.deepEqual(refused.body, { error: { code: 'REFUND_NOT_ALLOWED', message: 'refunds are not allowed for this payment' } });
      }
      const p = await status(mi);
      assert.deepEqual([p.status, p.refundedAmount], ['SUCCESS', 0]);
      const voided = await ovo.call('POST', `${PAYMENTS}/${mi}/void`);
      assert.deepEqual([voided.status, errorCode(voided), voided.body.status], [409, 'ALREADY_PAID', 'SUCCESS']);
      assert.deepEqual(
        (await ledger(mi)).map((e) => [e.type, e.amount]),
        [['charge', 15000]],
      );
      await sleep(50);
      assert.equal(gw.forInvoice(mi).length, 1);
    });

    void test('009: approves like 000; the first two refund calls → 500 INTERNAL, nothing recorded; the third works once, then replays', async () => {
      const { body } = await create({ phone: phone('009') });
      const mi = String(body.merchantInvoice);
      const path = `${PAYMENTS}/${mi}/refunds`;
      await waitStatus(mi, 'SUCCESS');
      const idempotencyKey = key();
      const refund = { amount: 5000, reason: 'one item returned' };
      for (let i = 0; i < 2; i++) {
        const failed = await ovo.call('POST', path, { body: refund, idempotencyKey });
        assert.equal(failed.status, 500);
        assert.deepEqual(failed.body, { error: { code: 'INTERNAL', message: 'simulated outage' } });
        assert.equal((await status(mi)).refundedAmount, 0);
        assert.deepEqual((await ledger(mi)).map((e) => e.type), ['charge']);
      }
      const third = await ovo.call('POST', path, { body: refund, idempotencyKey });
      assert.equal(third.status, 201);
      assert.deepEqual({ ...third.body, refundId: undefined }, { refundId: undefined, amount: 5000, refundedAmount: 5000, status: 'SUCCESS' });
      const replay = await ovo.call('POST', path, { body: refund, idempotencyKey });
      assert.deepEqual([replay.status, replay.body], [200, third.body]);
      assert.deepEqual(
        (await ledger(mi)).map((e) => [e.type, e.amount]),
        [
          ['charge', 15000],
          ['refund', 5000],
        ],
      );
      // The two failures are spent: the next refund works at once.
      const rest = await ovo.call('POST', path, { body: { amount: 10000, reason: 'rest' }, idempotencyKey: key() });
      assert.deepEqual([rest.status, rest.body.status], [201, 'REFUNDED']);
      assert.equal((await ledger(mi)).length, 3);
    });

    void test('other numbers: nothing automatic', async () => {
      const { body } = await create({ phone: phone('899') });
      const mi = String(body.merchantInvoice);
      await sleep(150);
      assert.equal((await status(mi)).status, 'PENDING');
      assert.equal(gw.forInvoice(mi).length, 0);
    });
  });

  void describe('void and refunds', () => {
    void test('void of a paid payment → 409 ALREADY_PAID with status; unknown → 404', async () => {
      const { body } = await create();
      const mi = String(body.merchantInvoice);
      await waitStatus(mi, 'SUCCESS');
      const reply = await ovo.call('POST', `${PAYMENTS}/${mi}/void`);
      assert.equal(reply.status, 409);
      assert.equal(errorCode(reply), 'ALREADY_PAID');
      assert.equal(reply.body.status, 'SUCCESS');
      assert.equal((await status(mi)).status, 'SUCCESS');
      const unknown = await ovo.call('POST', `${PAYMENTS}/NOPE-${seq}/void`);
      assert.equal(unknown.status, 404);
      assert.equal(errorCode(unknown), 'NOT_FOUND');
    });

    void test('void of a declined payment answers its status', async () => {
      const { body } = await create({ phone: phone('001') });
      const mi = String(body.merchantInvoice);
      await waitStatus(mi, 'DECLINED');
      const reply = await ovo.call('POST', `${PAYMENTS}/${mi}/void`);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { status: 'DECLINED' });
    });

    void test('refunds: not paid, partial, idempotent, exceeds, full', async () => {
      const pending = (await create({ phone: phone('002') })).body;
      const notPaid = await ovo.call('POST', `${PAYMENTS}/${String(pending.merchantInvoice)}/refunds`, {
        body: { amount: 1000, reason: 'x' },
        idempotencyKey: key(),
      });
      assert.equal(notPaid.status, 409);
      assert.equal(errorCode(notPaid), 'NOT_PAID');

      const { body } = await create({ amount: 10000 });
      const mi = String(body.merchantInvoice);
      const path = `${PAYMENTS}/${mi}/refunds`;
      await waitStatus(mi, 'SUCCESS');

      assert.equal((await ovo.call('POST', path, { body: { amount: 1000, reason: 'x' } })).status, 400);
      const bad = await ovo.call('POST', path, { body: { amount: -5, reason: 'x' }, idempotencyKey: key() });
      assert.equal(bad.status, 400);
      assert.match((bad.body.error as { message: string }).message, /amount/);
      assert.equal((await ovo.call('POST', `${PAYMENTS}/NOPE-${seq}/refunds`, { body: { amount: 1, reason: 'x' }, idempotencyKey: key() })).status, 404);

      const k1 = key();
      const partial = await ovo.call('POST', path, { body: { amount: 4000, reason: 'one item returned' }, idempotencyKey: k1 });
      assert.equal(partial.status, 201);
      assert.match(String(partial.body.refundId), /^OVR-[0-9A-F]+$/);
      assert.deepEqual({ ...partial.body, refundId: undefined }, { refundId: undefined, amount: 4000, refundedAmount: 4000, status: 'SUCCESS' });
      const replay = await ovo.call('POST', path, { body: { amount: 4000, reason: 'one item returned' }, idempotencyKey: k1 });
      assert.equal(replay.status, 200);
      assert.deepEqual(replay.body, partial.body);
      let p = await status(mi);
      assert.equal(p.status, 'SUCCESS');
      assert.equal(p.refundedAmount, 4000);

      const exceeds = await ovo.call('POST', path, { body: { amount: 6001, reason: 'too much' }, idempotencyKey: key() });
      assert.equal(exceeds.status, 422);
      assert.equal(errorCode(exceeds), 'REFUND_EXCEEDS');

      const rest = await ovo.call('POST', path, { body: { amount: 6000, reason: 'rest' }, idempotencyKey: key() });
      assert.equal(rest.status, 201);
      assert.equal(rest.body.refundedAmount, 10000);
      assert.equal(rest.body.status, 'REFUNDED');
      p = await status(mi);
      assert.equal(p.status, 'REFUNDED');
      assert.equal(p.refundedAmount, 10000);
      const more = await ovo.call('POST', path, { body: { amount: 1, reason: 'more' }, idempotencyKey: key() });
      assert.equal(more.status, 422);

      const voidRefunded = await ovo.call('POST', `${PAYMENTS}/${mi}/void`);
      assert.equal(voidRefunded.status, 409);
      assert.equal(errorCode(voidRefunded), 'ALREADY_PAID');

      const entries = await ledger(mi);
      assert.deepEqual(
        entries.map((e) => [e.type, e.amount]),
        [
          ['charge', 10000],
          ['refund', 4000],
          ['refund', 6000],
        ],
      );
      await sleep(100);
      assert.equal(gw.forInvoice(mi).length, 1, 'refunds raise no callback');
    });
  });

  void describe('customer phone page', () => {
    void test('shows a pending request; Approve by form post → 303, flash, SUCCESS, callback', async () => {
      const customer = `0812${String(Date.now()).slice(-5)}899`;
      const { body, reply } = await create({ phone: customer, merchantName: 'Warung <b>Bu Sri</b>', description: 'Nasi "goreng" & teh', amount: 15000 });
      const mi = String(body.merchantInvoice);
      const paymentId = String(reply.body.paymentId);

      const page = await fetch(`${sb.baseUrl}/ovo/phone/${customer}`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /Rp 15\.000/);
      assert.match(html, /Warung &lt;b&gt;Bu Sri&lt;\/b&gt;/);
      assert.match(html, /Nasi &quot;goreng&quot; &amp; teh/);
      assert.ok(!html.includes('<b>Bu Sri</b>'));
      assert.match(html, />Approve<\/button>/);
      assert.match(html, />Decline<\/button>/);
      assert.ok(html.includes(`action="/ovo/phone/${customer}/payments/${paymentId}/approve"`));
      assert.match(html, /#4C3494/);
      assert.ok(!/<(link|script)[^>]+(src|href)=["']https?:/i.test(html), 'no external assets');

      const approve = await fetch(`${sb.baseUrl}/ovo/phone/${customer}/payments/${paymentId}/approve`, { method: 'POST', redirect: 'manual' });
      assert.equal(approve.status, 303);
      const location = approve.headers.get('location') ?? '';
      assert.ok(location.startsWith(`/ovo/phone/${customer}`));
      const after = await (await fetch(`${sb.baseUrl}${location}`)).text();
      assert.match(after, /Payment approved/);
      assert.match(after, /Paid/);

      assert.equal((await status(mi)).status, 'SUCCESS');
      const [cb] = await waitFor(() => gw.forInvoice(mi).length > 0 && gw.forInvoice(mi), 'the callback');
      assert.equal(cb?.body.status, 'SUCCESS');
      assert.equal((await ledger(mi)).length, 1);

      const twice = await fetch(`${sb.baseUrl}/ovo/phone/${customer}/payments/${paymentId}/approve`, { method: 'POST', redirect: 'manual' });
      assert.equal(twice.status, 303);
      assert.match(twice.headers.get('location') ?? '', /flash=gone/);
      await sleep(100);
      assert.equal((await ledger(mi)).length, 1);
      assert.equal(gw.forInvoice(mi).length, 1);
    });

    void test('Decline by form post → DECLINED with callback; other spellings of the number share the inbox', async () => {
      const local = `0813${String(Date.now()).slice(-5)}898`;
      const intl = `+62${local.slice(1)}`;
      const { body, reply } = await create({ phone: intl });
      const mi = String(body.merchantInvoice);
      const fragment = await fetch(`${sb.baseUrl}/ovo/phone/${local}?fragment=1`);
      assert.match(fragment.headers.get('x-inbox-version') ?? '', /^[0-9a-f]{16}$/);
      assert.ok((await fragment.text()).includes(String(reply.body.paymentId)));

      const decline = await fetch(`${sb.baseUrl}/ovo/phone/${local}/payments/${String(reply.body.paymentId)}/decline`, { method: 'POST', redirect: 'manual' });
      assert.equal(decline.status, 303);
      const after = await (await fetch(`${sb.baseUrl}${decline.headers.get('location') ?? ''}`)).text();
      assert.match(after, /Payment declined/);
      const p = await status(mi);
      assert.equal(p.status, 'DECLINED');
      assert.equal(p.reason, 'customer declined');
      const [cb] = await waitFor(() => gw.forInvoice(mi).length > 0 && gw.forInvoice(mi), 'the callback');
      assert.equal(cb?.body.status, 'DECLINED');
    });

    void test('a request of another phone cannot be answered; the form page redirects; bad numbers get 404', async () => {
      const { reply, body } = await create({ phone: phone('897') });
      const stranger = await fetch(`${sb.baseUrl}/ovo/phone/081299999897/payments/${String(reply.body.paymentId)}/approve`, { method: 'POST', redirect: 'manual' });
      assert.match(stranger.headers.get('location') ?? '', /flash=not-found/);
      assert.equal((await status(String(body.merchantInvoice))).status, 'PENDING');

      const form = await fetch(`${sb.baseUrl}/ovo/phone`);
      assert.equal(form.status, 200);
      assert.match(await form.text(), /name="phone"/);
      const go = await fetch(`${sb.baseUrl}/ovo/phone?phone=0812-3456 7899`, { redirect: 'manual' });
      assert.equal(go.status, 303);
      assert.equal(go.headers.get('location'), '/ovo/phone/081234567899');
      assert.equal((await fetch(`${sb.baseUrl}/ovo/phone/12345`)).status, 404);
    });
  });

  void describe('faults and delivery', () => {
    void test('failNext: the next n API calls answer 500, then normal; DELETE resets', async () => {
      const set = await fetch(`${sb.baseUrl}/sandbox/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ wallet: 'OVO', failNext: 2 }),
      });
      assert.equal(set.status, 200);
      try {
        const body = paymentBody({ phone: phone('002') });
        const idempotencyKey = key();
        for (let i = 0; i < 2; i++) {
          const reply = await ovo.call('POST', PAYMENTS, { body, idempotencyKey });
          assert.equal(reply.status, 500);
          assert.equal(errorCode(reply), 'INTERNAL');
        }
        assert.equal((await ovo.call('POST', PAYMENTS, { body, idempotencyKey })).status, 201);

        await fetch(`${sb.baseUrl}/sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ wallet: 'OVO', failNext: 5 }) });
        const reset = await fetch(`${sb.baseUrl}/sandbox/faults`, { method: 'DELETE' });
        assert.deepEqual(((await reset.json()) as { faults: unknown }).faults, { OVO: { failNext: 0, latencyMs: 0, dropCallbacks: false } });
        assert.equal((await ovo.call('GET', `${PAYMENTS}/${String(body.merchantInvoice)}`)).status, 200);

        const invalid = await fetch(`${sb.baseUrl}/sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ wallet: 'NOPE' }) });
        assert.equal(invalid.status, 400);
      } finally {
        await fetch(`${sb.baseUrl}/sandbox/faults`, { method: 'DELETE' });
      }
    });

    void test('latencyMs delays every answer; dropCallbacks drops and records them', async () => {
      const post = (faults: object): Promise<Response> =>
        fetch(`${sb.baseUrl}/sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ wallet: 'OVO', ...faults }) });
      try {
        await post({ latencyMs: 150 });
        const started = Date.now();
        await ovo.call('GET', `${PAYMENTS}/NOPE`);
        assert.ok(Date.now() - started >= 140, 'latency applied');
        await post({ latencyMs: 0, dropCallbacks: true });
        const { body } = await create();
        const mi = String(body.merchantInvoice);
        await waitStatus(mi, 'SUCCESS');
        const recorded = await waitFor(async () => {
          const d = await deliveries(mi);
          return d.length > 0 ? d : undefined;
        }, 'the dropped delivery');
        assert.equal(recorded.length, 1);
        assert.match(String(recorded[0]?.error), /dropped/);
        await sleep(100);
        assert.equal(gw.forInvoice(mi).length, 0);
      } finally {
        await fetch(`${sb.baseUrl}/sandbox/faults`, { method: 'DELETE' });
      }
    });

    void test('a callback answered 500 is retried after 1 s; every attempt is recorded', async () => {
      gw.respondWith(500);
      const { body } = await create();
      const mi = String(body.merchantInvoice);
      await waitStatus(mi, 'SUCCESS');
      const recorded = await waitFor(
        async () => {
          const d = await deliveries(mi);
          return d.length === 2 ? d : undefined;
        },
        'two attempts',
        4000,
      );
      assert.deepEqual(
        recorded.map((d) => [d.attempt, d.httpStatus, d.status]),
        [
          [1, 500, 'SUCCESS'],
          [2, 200, 'SUCCESS'],
        ],
      );
      const received = gw.forInvoice(mi);
      assert.equal(received.length, 2);
      assert.equal(received[0]?.rawBody, received[1]?.rawBody, 'a retry resends the same body');
    });
  });

  void test('health, index and unknown routes', async () => {
    assert.deepEqual(await sb.getJson('/health'), { status: 'ok' });
    const index = await (await fetch(`${sb.baseUrl}/`)).text();
    assert.match(index, /href="\/ovo\/phone"/);
    assert.match(index, /006/);
    for (const suffix of ['008', '009']) assert.match(index, new RegExp(`<code>${suffix}</code></td><td>approves after the delay`));
    const phonePage = await (await fetch(`${sb.baseUrl}/ovo/phone`)).text();
    assert.match(phonePage, /…008<\/code><span>approves after the delay → paid, but every refund is refused/);
    assert.equal((await fetch(`${sb.baseUrl}/nope`)).status, 404);
  });
});

void describe('OVO sandbox persistence', () => {
  void test('state survives close and reopen; pending magic actions are rescheduled; overdue pushes expire', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sandbox-ovo-'));
    const gw = await startFakeGateway('sandbox-ovo-callback-secret');
    try {
      const env = { DATA_DIR: dataDir, SANDBOX_APPROVE_DELAY_MS: '200' };
      let sb = await startTestSandbox(gw.baseUrl, env, { persist: true });
      const waiting = paymentBody({ phone: phone('002') });
      const approving = paymentBody({ phone: phone('000') });
      const waitingKey = key();
      const first = await sb.ovo.call('POST', PAYMENTS, { body: waiting, idempotencyKey: waitingKey });
      assert.equal(first.status, 201);
      assert.equal((await sb.ovo.call('POST', PAYMENTS, { body: approving, idempotencyKey: key() })).status, 201);
      await sb.close(); // before the 000 customer's 200 ms delay

      const saved = JSON.parse(await readFile(join(dataDir, 'sandbox-state.json'), 'utf8')) as { version: number; ovo: { payments: unknown[] } };
      assert.equal(saved.version, 1);
      assert.equal(saved.ovo.payments.length, 2);
      assert.equal(gw.received.length, 0);

      sb = await startTestSandbox(gw.baseUrl, env, { persist: true });
      const again = await sb.ovo.call('GET', `${PAYMENTS}/${String(waiting.merchantInvoice)}`);
      assert.equal(again.status, 200);
      assert.equal(again.body.status, 'PENDING');
      assert.equal(again.body.paymentId, first.body.paymentId);
      // Idempotency records survive too.
      const replay = await sb.ovo.call('POST', PAYMENTS, { body: waiting, idempotencyKey: waitingKey });
      assert.equal(replay.status, 200);
      assert.deepEqual(replay.body, first.body);
      // The 000 customer approves after the delay again.
      const mi = String(approving.merchantInvoice);
      await waitFor(async () => (await sb.ovo.call('GET', `${PAYMENTS}/${mi}`)).body.status === 'SUCCESS' || undefined, 'the rescheduled approval');
      await waitFor(() => gw.forInvoice(mi).length === 1 || undefined, 'its callback');
      await sb.close();

      // Make the 002 push look abandoned long ago: on load it expires.
      const file = join(dataDir, 'sandbox-state.json');
      const state = JSON.parse(await readFile(file, 'utf8')) as { ledger: unknown[]; ovo: { payments: Array<{ merchantInvoice: string; createdAt: string }> } };
      assert.equal(state.ledger.length, 1);
      const old = state.ovo.payments.find((p) => p.merchantInvoice === waiting.merchantInvoice);
      assert.ok(old);
      old.createdAt = new Date(Date.now() - 3600_000).toISOString();
      await writeFile(file, JSON.stringify(state));

      sb = await startTestSandbox(gw.baseUrl, env, { persist: true });
      const expired = await sb.ovo.call('GET', `${PAYMENTS}/${String(waiting.merchantInvoice)}`);
      assert.equal(expired.body.status, 'EXPIRED');
      const entries = (await sb.getJson(`/sandbox/ledger?merchantInvoice=${mi}`)).entries as unknown[];
      assert.equal(entries.length, 1);
      await sb.close();
    } finally {
      await gw.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  void test('009: the failed refund count survives a restart (state file): one failure before, one after, then it works', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sandbox-ovo-'));
    const gw = await startFakeGateway('sandbox-ovo-callback-secret');
    let sb: TestSandbox | undefined;
    try {
      const env = { DATA_DIR: dataDir };
      sb = await startTestSandbox(gw.baseUrl, env, { persist: true });
      const body = paymentBody({ phone: phone('009') });
      const mi = String(body.merchantInvoice);
      assert.equal((await sb.ovo.call('POST', PAYMENTS, { body, idempotencyKey: key() })).status, 201);
      await waitFor(async () => (await sb?.ovo.call('GET', `${PAYMENTS}/${mi}`))?.body.status === 'SUCCESS' || undefined, 'paid');
      const refund = { body: { amount: 15000, reason: 'returned' }, idempotencyKey: key() };
      assert.equal((await sb.ovo.call('POST', `${PAYMENTS}/${mi}/refunds`, refund)).status, 500);
      await sb.close();

      const state = JSON.parse(await readFile(join(dataDir, 'sandbox-state.json'), 'utf8')) as { ovo: { failedRefunds?: Record<string, number> } };
      assert.deepEqual(state.ovo.failedRefunds, { [mi]: 1 });

      sb = await startTestSandbox(gw.baseUrl, env, { persist: true });
      assert.equal((await sb.ovo.call('POST', `${PAYMENTS}/${mi}/refunds`, refund)).status, 500, 'the second failure, after the restart');
      const ok = await sb.ovo.call('POST', `${PAYMENTS}/${mi}/refunds`, refund);
      assert.deepEqual([ok.status, ok.body.status], [201, 'REFUNDED']);
      const entries = (await sb.getJson(`/sandbox/ledger?merchantInvoice=${mi}`)).entries as Array<{ type: string }>;
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

  void test('an unreadable state file is moved aside, not lost', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sandbox-ovo-'));
    try {
      await writeFile(join(dataDir, 'sandbox-state.json'), '{ not json');
      const sb = await startTestSandbox('http://127.0.0.1:9', { DATA_DIR: dataDir }, { persist: true });
      assert.deepEqual(await sb.getJson('/health'), { status: 'ok' });
      await sb.close();
      const { readdir } = await import('node:fs/promises');
      assert.ok((await readdir(dataDir)).some((f) => f.startsWith('sandbox-state.json.unreadable-')));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

void describe('sandbox building blocks', () => {
  void test('config: defaults, derived late approval, a bad value names the variable', () => {
    const c = loadSandboxConfig({});
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 4000);
    assert.equal(c.gatewayBaseUrl, 'http://127.0.0.1:3000');
    assert.equal(c.approveDelayMs, 1000);
    assert.equal(c.lateApproveMs, 63_000);
    assert.equal(c.dataDir, '.data');
    assert.deepEqual(c.ovo, {
      clientId: 'sandbox-ovo-client',
      clientSecret: 'sandbox-ovo-secret-change-me',
      callbackSecret: 'sandbox-ovo-callback-secret',
      pushTimeoutSeconds: 60,
    });
    assert.ok(Object.isFrozen(c));
    const d = loadSandboxConfig({ API_PORT: '3100', OVO_PUSH_TIMEOUT_SECONDS: '5', SANDBOX_PORT: '' });
    assert.equal(d.gatewayBaseUrl, 'http://127.0.0.1:3100');
    assert.equal(d.lateApproveMs, 8000);
    assert.equal(d.port, 4000);
    assert.throws(() => loadSandboxConfig({ SANDBOX_PORT: 'abc' }), /SANDBOX_PORT/);
    assert.throws(() => loadSandboxConfig({ SANDBOX_APPROVE_DELAY_MS: '-1' }), /SANDBOX_APPROVE_DELAY_MS/);
    assert.throws(() => loadSandboxConfig({ GATEWAY_BASE_URL: 'not a url' }), /GATEWAY_BASE_URL/);
    assert.throws(() => loadSandboxConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
  });

  void test('magic values and masking', () => {
    assert.equal(magicOutcome('081234567000').action, 'approve');
    assert.equal(magicOutcome('+6281234567001').action, 'decline');
    assert.equal(magicOutcome('6281234567005').failingCreates, 2);
    assert.equal(magicOutcome('081234567006').timing, 'late');
    assert.equal(magicOutcome('081234567899').action, 'manual');
    assert.deepEqual(
      ['081234567008', '081234567009', '081234567000'].map((p) => [magicOutcome(p).action, magicOutcome(p).refusesRefunds, magicOutcome(p).failingRefunds]),
      [
        ['approve', true, 0],
        ['approve', false, 2],
        ['approve', false, 0],
      ],
    );
    assert.equal(maskPhone('081234561000'), '0812****1000');
    assert.equal(maskPhonesIn('/ovo/phone/081234561000/payments/OVO-1'), '/ovo/phone/0812****1000/payments/OVO-1');
    assert.equal(maskPhonesIn('/ovo/phone/%2B6281234561000'), '/ovo/phone/+628****1000');
    assert.equal(maskPhonesIn('INV081234561000'), 'INV081234561000');
  });

  void test('logs never contain a full phone number', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const gw = await startFakeGateway('sandbox-ovo-callback-secret');
    const sb = await startTestSandbox(gw.baseUrl, {}, { persist: false, logger: pino({ level: 'trace' }, sink) });
    try {
      const customer = '081277770000';
      const manual = '6281277778899';
      const a = paymentBody({ phone: customer });
      const b = paymentBody({ phone: manual });
      await sb.ovo.call('POST', PAYMENTS, { body: a, idempotencyKey: key() });
      const created = await sb.ovo.call('POST', PAYMENTS, { body: b, idempotencyKey: key() });
      await fetch(`${sb.baseUrl}/ovo/phone/${manual}`);
      await fetch(`${sb.baseUrl}/ovo/phone/${manual}/payments/${String(created.body.paymentId)}/decline`, { method: 'POST', redirect: 'manual' });
      await waitFor(() => gw.received.length === 2 || undefined, 'both callbacks');
    } finally {
      await sb.close();
      await gw.close();
    }
    const log = lines.join('');
    assert.ok(log.includes('0812****0000'), 'masked phone is logged');
    for (const full of ['081277770000', '6281277778899', '81277770000', '81277778899']) assert.ok(!log.includes(full), `${full} leaked into the log`);
  });
});
