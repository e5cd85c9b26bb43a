import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, sign } from 'node:crypto';
import { SANDBOX_OVO_PRIVATE_KEY } from '../../sandbox/ovo/sandbox-keys.js';
import { deliver, forgeCallback, type CallbackFacts } from '../support/callback-forge.js';
import { otherKey } from '../support/snap-adapter-fixtures.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { waitFor, type Reply } from '../support/nicepay-client.js';

describe('OVO payments end to end: dev server + worker + API + sandbox + merchant, over HTTP', () => {
  const e2e = useE2eStack();

  const ledger = (tXid: string) => e2e.stack.ledger(tXid);
  const finalNotification = (tXid: string, status: string) => e2e.stack.notified(tXid, status);

  test('health answers ok once Temporal answers and a worker polls', async () => {
    const res = await fetch(`${e2e.stack.apiUrl}/health`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'ok');
  });

  test('000: register → pay → the customer approves → paid; the merchant gets a signed notification; inquiry says 0; charged once', async () => {
    const reg = await e2e.client.register('081200000000');
    assert.equal(reg.resultCd, '0000', reg.resultMsg);
    assert.match(reg.tXid ?? '', /^IONPAYTEST05[0-9A-Z]{18}$/);
    assert.equal((await e2e.client.inquire(reg)).status, '3');

    const pay = await e2e.client.payJson(reg);
    assert.deepEqual([pay.resultCd, pay.status, pay.redirectUrl], ['0000', '4', undefined]);
    assert.equal((await e2e.client.inquire(reg)).status, '4', 'inquiry is consistent right after the acknowledged payment call');

    const note = await finalNotification(reg.tXid ?? '', '0');
    assert.equal(note.tokenValid, true);
    assert.match(note.contentType, /application\/x-www-form-urlencoded/);
    assert.equal(note.fields.amt, '15000');
    assert.equal(note.fields.referenceNo, reg.referenceNo);
    const inquiry = await e2e.client.inquire(reg);
    assert.deepEqual([inquiry.resultCd, inquiry.status, inquiry.mitraCd, inquiry.amt], ['0000', '0', 'OVOE', '15000']);
    assert.deepEqual((await ledger(reg.tXid ?? '')).map((e) => e.type), ['charge']);
  });

  test('registration is idempotent: the same content returns the same tXid, other content is refused (9009)', async () => {
    const fields = e2e.client.registrationFields('081200000000');
    const first = await e2e.client.post('/nicepay/direct/v2/registration', fields);
    const again = await e2e.client.post('/nicepay/direct/v2/registration', fields);
    assert.equal(again.body.tXid, first.body.tXid);
    const other = await e2e.client.register('081200000000', { referenceNo: String(fields.referenceNo), goodsNm: 'Something else' });
    assert.equal(other.resultCd, '9009');
  });

  test('001: the customer declines → failed (8), notified, nothing charged', async () => {
    const reg = await e2e.client.register('081200000001');
    await e2e.client.payJson(reg);
    await finalNotification(reg.tXid ?? '', '8');
    assert.equal((await e2e.client.inquire(reg)).status, '8');
    assert.deepEqual(await ledger(reg.tXid ?? ''), []);
  });

  test('003: approved but the callback is lost → after the push window the status check finds it paid (0)', async () => {
    const reg = await e2e.client.register('081200000003');
    await e2e.client.payJson(reg);
    await finalNotification(reg.tXid ?? '', '0');
    assert.equal((await e2e.client.inquire(reg)).status, '0');
    assert.equal((await ledger(reg.tXid ?? '')).length, 1);
  });

  test('005: the wallet fails twice then works → paid once, charged once', async () => {
    const reg = await e2e.client.register('081200000005');
    const pay = await e2e.client.payJson(reg);
    assert.equal(pay.resultCd, '0000');
    await finalNotification(reg.tXid ?? '', '0');
    assert.deepEqual((await ledger(reg.tXid ?? '')).map((e) => e.type), ['charge']);
  });

  test('a person approves on the sandbox phone page; the browser flow ends on callBackUrl with status 0', async () => {
    const phone = '081234567899';
    const reg = await e2e.client.register(phone);
    const res = await fetch(`${e2e.stack.apiUrl}/nicepay/direct/v2/payment?${new URLSearchParams(Object.entries(e2e.client.paymentFields(reg)).map(([k, v]): [string, string] => [k, String(v)])).toString()}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const waitUrl = new URL(res.headers.get('location') ?? '', e2e.stack.apiUrl);
    const page = await (await fetch(waitUrl)).text();
    assert.match(page, /Approve the payment in your OVO app/);
    assert.match(page, /Rp 15\.000/);

    const inbox = await (await fetch(`${e2e.stack.sandbox.baseUrl}/ovo/phone/${phone}`)).text();
    const action = /action="([^"]*\/approve)"/.exec(inbox)?.[1];
    assert.ok(action, 'the phone page lists the push with an Approve button');
    const approved = await fetch(new URL(action.replace(/&amp;/g, '&'), e2e.stack.sandbox.baseUrl), { method: 'POST', redirect: 'manual' });
    assert.equal(approved.status, 303);

    const stateUrl = new URL(`${waitUrl.pathname}/state${waitUrl.search}`, e2e.stack.apiUrl);
    const state = await waitFor(async () => {
      const s = (await (await fetch(stateUrl)).json()) as { final: boolean; returnUrl?: string };
      return s.final && s;
    }, 'the waiting page to see a final status');
    const back = new URL(state.returnUrl ?? '');
    assert.equal(back.origin + back.pathname, `${e2e.stack.merchant.url}/return`);
    assert.deepEqual([back.searchParams.get('tXid'), back.searchParams.get('status'), back.searchParams.get('resultCd')], [reg.tXid, '0', '0000']);
    await finalNotification(reg.tXid ?? '', '0');
  });

  test('the waiting page long-polls: one request, sent before the customer approves, answers once the payment is final', async () => {
    const phone = '081234567897';
    const reg = await e2e.client.register(phone);
    const res = await fetch(`${e2e.stack.apiUrl}/nicepay/direct/v2/payment?${new URLSearchParams(Object.entries(e2e.client.paymentFields(reg)).map(([k, v]): [string, string] => [k, String(v)])).toString()}`, { redirect: 'manual' });
    const waitUrl = new URL(res.headers.get('location') ?? '', e2e.stack.apiUrl);
    const page = await (await fetch(waitUrl)).text();
    assert.match(page, /&wait=1/, 'the page long-polls');
    const longPoll = fetch(new URL(`${waitUrl.pathname}/state${waitUrl.search}&wait=1`, e2e.stack.apiUrl)).then(async (r) => ({ at: Date.now(), body: (await r.json()) as { final: boolean; status?: number } }));

    await new Promise((r) => setTimeout(r, 1500));
    const inbox = await (await fetch(`${e2e.stack.sandbox.baseUrl}/ovo/phone/${phone}`)).text();
    const action = /action="([^"]*\/approve)"/.exec(inbox)?.[1];
    assert.ok(action);
    const approvedAt = Date.now();
    await fetch(new URL(action.replace(/&amp;/g, '&'), e2e.stack.sandbox.baseUrl), { method: 'POST', redirect: 'manual' });
    const answer = await longPoll;
    assert.deepEqual([answer.body.final, answer.body.status], [true, 0]);
    assert.ok(answer.at >= approvedAt, 'it waited for the approval');
    await finalNotification(reg.tXid ?? '', '0');
  });

  test('forged, unknown and mismatched callbacks are refused and change nothing', async () => {
    const reg = await e2e.client.register('081234567898');
    await e2e.client.payJson(reg);
    // OVO's notify (SNAP, service 56): SHA256withRSA by OVO's key over `POST:/callbacks/ovo:sha256(body):X-TIMESTAMP`.
    const send = async (facts: Partial<CallbackFacts>, key = SANDBOX_OVO_PRIVATE_KEY) =>
      (await deliver(e2e.stack.apiUrl, forgeCallback('ovo', { tXid: reg.tXid ?? '', providerRef: 'OVO1', amount: 15000, state: 'PAID', ...facts }, key))).status;
    assert.equal(await send({}, otherKey), 401);
    assert.equal(await send({ tXid: 'IONPAYTEST05AAAAAAAAAAAAAAAAAA' }), 404);
    assert.equal(await send({ amount: 1 }), 422);
    const nonsense = JSON.stringify({ nonsense: true });
    const ts = `${new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 23)}+07:00`;
    const signature = sign('sha256', Buffer.from(`POST:/callbacks/ovo:${createHash('sha256').update(nonsense).digest('hex')}:${ts}`), SANDBOX_OVO_PRIVATE_KEY).toString('base64');
    const malformed = await fetch(`${e2e.stack.apiUrl}/callbacks/ovo`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': signature }, body: nonsense });
    assert.equal(malformed.status, 400);
    assert.equal((await e2e.client.inquire(reg)).status, '4');
    assert.deepEqual(e2e.stack.merchant.for(reg.tXid ?? ''), []);
  });

  test('006: approved after the push window → expired (5); the late charge is refunded and the merchant told', async () => {
    const reg: Reply = await e2e.client.register('081200000006');
    await e2e.client.payJson(reg);
    await finalNotification(reg.tXid ?? '', '5');
    const refunded = await waitFor(() => e2e.stack.merchant.for(reg.tXid ?? '').find((n) => n.fields.cancelAmt === '15000'), 'the reconciliation notification', 20_000);
    assert.equal(refunded.fields.status, '5');
    const entries = await waitFor(async () => {
      const e = await ledger(reg.tXid ?? '');
      return e.length === 2 && e;
    }, 'charge and refund in the ledger');
    assert.deepEqual(entries.map((e) => [e.type, e.amount]), [['charge', 15000], ['refund', 15000]]);
    const inquiry = await e2e.client.inquire(reg);
    assert.deepEqual([inquiry.status, inquiry.cancelAmt], ['5', '15000']);
  });
});
