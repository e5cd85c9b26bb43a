import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AstraPayAdapter } from '../../activities/wallets/astrapay.js';
import { linkWorkflowId, parseMandateId } from '../../domain/account-link.js';
import { paymentWorkflowId } from '../../domain/tx-id.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { historyText } from '../support/history-text.js';
import { waitFor } from '../support/nicepay-client.js';

/**
 * AstraPay end to end (CONTRACT §4): account links and payments on them, through the real API, worker, Temporal dev
 * server and the sandbox's AstraPay over HTTP. The stack's link window is 4 s.
 */
describe('AstraPay: account links and linked payments', () => {
  const e2e = useE2eStack();
  let n = 0;
  /** A fresh phone per test with the given last three digits. */
  const phone = (magic: string) => `0813${String(Date.now() % 100_000).padStart(5, '0')}${String(++n % 10)}${magic}`;

  /** AstraPay's adapter with the stack worker's own settings, as the worker built it (wallets/astrapay.ts). */
  function astraPayAdapter(): AstraPayAdapter {
    const wallet = e2e.stack.config.wallets.find((w) => w.module.mitraCd === 'ASTR');
    assert.ok(wallet?.settings.credentials, 'the stack\'s (worker) configuration holds AstraPay\'s credentials');
    const adapter = wallet.module.adapter(wallet.settings.endpoint, wallet.settings.credentials, fetch);
    assert.ok(adapter instanceof AstraPayAdapter);
    return adapter;
  }

  const linkNotified = (mandateID: string, linkStatus: string) =>
    waitFor(() => e2e.stack.merchant.forMandate(mandateID).find((x) => x.fields.linkStatus === linkStatus), `link notification ${linkStatus} for ${mandateID}`, 20_000);

  async function activeLink(magic = '000'): Promise<{ mandateID: string; phone: string }> {
    const p = phone(magic);
    const link = await e2e.client.linkEnable(p);
    assert.equal(link.resultCd, '0000', link.resultMsg);
    assert.equal(link.linkStatus, 'PENDING');
    const mandateID = link.mandateID ?? '';
    await linkNotified(mandateID, 'ACTIVE');
    return { mandateID, phone: p };
  }

  /** A manual link (no magic ending) registered on AstraPay's page with a phone ending in `magic`, as a person would. */
  async function linkRegisteredAs(magic: string): Promise<string> {
    const link = await e2e.client.linkEnable(phone('555'));
    assert.equal(link.resultCd, '0000', link.resultMsg);
    const page = link.redirectUrl ?? '';
    assert.match(page, /\/astrapay\/register\/AL[0-9A-Fa-f]{16}$/);
    const res = await fetch(page, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ phone: `0812000${magic.padStart(5, '0')}`, name: 'Budi Santoso', otp: '123456' }).toString(),
      redirect: 'manual',
    });
    assert.equal(res.status, 303);
    await linkNotified(link.mandateID ?? '', 'ACTIVE');
    return link.mandateID ?? '';
  }

  test('link 000: PENDING with the registration page, then ACTIVE; signed notification; inquiry masks the phone', async () => {
    const p = phone('000');
    const link = await e2e.client.linkEnable(p);
    assert.equal(link.resultCd, '0000', link.resultMsg);
    assert.equal(link.linkStatus, 'PENDING');
    assert.match(link.mandateID ?? '', /^M[0-9A-Z]{16}001$/);
    assert.match(link.redirectUrl ?? '', new RegExp(`^${e2e.stack.sandbox.baseUrl}/astrapay/register/AL`));
    const note = await linkNotified(link.mandateID ?? '', 'ACTIVE');
    assert.equal(note.tokenValid, true);
    assert.equal(note.fields.mitraCd, 'ASTR');
    assert.equal(note.fields.referenceNo, link.referenceNo);
    assert.equal(note.fields.accountToken, undefined, 'the account token is never shown to the merchant');
    const inquiry = await e2e.client.linkCall('linkInquiry', link.mandateID ?? '');
    assert.deepEqual(inquiry, { resultCd: '0000', resultMsg: 'SUCCESS', mandateID: link.mandateID, linkStatus: 'ACTIVE', billingPhone: `${p.slice(0, 4)}****${p.slice(-4)}` });
    // Linking again while active returns the same link, without a new registration.
    const again = await e2e.client.linkEnable(p);
    assert.deepEqual([again.resultCd, again.mandateID, again.linkStatus, again.redirectUrl], ['0000', link.mandateID, 'ACTIVE', undefined]);
  });

  test('two linkEnable calls at once give one link; the phone written as 62… is the same customer', async () => {
    const p = phone('555');
    const [a, b] = await Promise.all([e2e.client.linkEnable(p), e2e.client.linkEnable(`62${p.slice(1)}`)]);
    assert.equal(a.resultCd, '0000', a.resultMsg);
    assert.equal(b.resultCd, '0000', b.resultMsg);
    assert.equal(a.mandateID, b.mandateID);
    assert.equal(a.redirectUrl, b.redirectUrl);
    assert.match(a.mandateID ?? '', /001$/);
  });

  test('link 001 fails and 002 expires after the link window; a new linkEnable then makes the next mandate', async () => {
    const failed = await e2e.client.linkEnable(phone('001'));
    const abandonedPhone = phone('002');
    const abandoned = await e2e.client.linkEnable(abandonedPhone);
    await linkNotified(failed.mandateID ?? '', 'FAILED');
    await linkNotified(abandoned.mandateID ?? '', 'EXPIRED');
    assert.equal((await e2e.client.linkCall('linkInquiry', failed.mandateID ?? '')).linkStatus, 'FAILED');
    const pay = await e2e.client.linkInitiate(failed.mandateID ?? '');
    assert.equal(pay.resultCd, '9502', pay.resultMsg);
    const next = await e2e.client.linkEnable(abandonedPhone);
    assert.equal(next.linkStatus, 'PENDING');
    assert.match(next.mandateID ?? '', /002$/);
    assert.equal(next.mandateID?.slice(0, -3), abandoned.mandateID?.slice(0, -3));
  });

  test('a payment on an active link: verification page, paid, notified, inquiry and ledger agree', async () => {
    const { mandateID } = await activeLink('000');
    const pay = await e2e.client.linkInitiate(mandateID);
    assert.equal(pay.resultCd, '0000', pay.resultMsg);
    assert.match(pay.redirectUrl ?? '', new RegExp(`^${e2e.stack.sandbox.baseUrl}/astrapay/verify/AP`));
    const tXid = pay.tXid ?? '';
    const note = await e2e.stack.notified(tXid, '0');
    assert.equal(note.tokenValid, true);
    assert.equal(note.fields.mitraCd, 'ASTR');
    const inquiry = await e2e.client.inquire({ tXid, referenceNo: pay.referenceNo ?? '', amt: '15000' });
    assert.deepEqual([inquiry.resultCd, inquiry.status, inquiry.mitraCd], ['0000', '0', 'ASTR']);
    assert.deepEqual((await e2e.stack.ledger(tXid)).map((e) => [e.type, e.amount]), [['charge', 15000]]);
    // The account token AstraPay issued is in Temporal's history only sealed: neither the link's nor the payment's has it.
    const plain = (await astraPayAdapter().checkLink(mandateID)).accountToken ?? '';
    assert.match(plain, /^APT-[0-9a-f]{32}$/);
    const parsed = parseMandateId(mandateID);
    const codec = e2e.stack.dataConverter.payloadCodecs?.[0];
    assert.ok(codec, 'the stack encrypts payloads');
    for (const workflowId of [linkWorkflowId(parsed?.key ?? ''), paymentWorkflowId(tXid)]) {
      const raw = await e2e.stack.client.workflow.getHandle(workflowId).fetchHistory();
      // What Temporal stores: every payload encrypted by the codec, so not even the mandateID is readable.
      const stored = await historyText(raw);
      assert.equal(stored.includes(mandateID), false, `${workflowId}: payloads are encrypted in Temporal`);
      // What an operator with the keys sees: readable, and the account token is still only there sealed.
      const decoded = await historyText(raw, codec);
      assert.ok(decoded.includes(mandateID), `${workflowId}: the decoded history is readable (the mandateID is in it)`);
      assert.match(decoded, /v1\.[\w-]+\.[\w-]+/, `${workflowId}: the sealed token is there`);
      for (const text of [stored, decoded]) assert.equal(text.includes(plain), false, `${workflowId}: no plain account token`);
    }
    // Once it is paid, the same linkInitiate again cannot pay a second time; its answer still names the transaction
    // (a merchant whose first answer was lost learns the tXid only here).
    const again = await e2e.client.linkInitiate(mandateID, { referenceNo: pay.referenceNo ?? '' });
    assert.deepEqual([again.resultCd, again.tXid, again.referenceNo], ['9502', tXid, pay.referenceNo], again.resultMsg);
    // Refunds on a linked payment, as for every wallet: partial, then the rest.
    const reg = { tXid, referenceNo: pay.referenceNo ?? '', amt: '15000' };
    const part = await e2e.client.cancel(reg, '2', 4000);
    assert.deepEqual([part.resultCd, part.status, part.cancelAmt], ['0000', '0', '4000'], part.resultMsg);
    const rest = await e2e.client.cancel(reg, '1', 15000);
    assert.deepEqual([rest.resultCd, rest.status, rest.cancelAmt], ['0000', '2', '15000'], rest.resultMsg);
    assert.deepEqual((await e2e.stack.ledger(tXid)).map((e) => [e.type, e.amount]), [['charge', 15000], ['refund', 4000], ['refund', 11000]]);
  });

  test('the same linkInitiate again while the customer has not confirmed: the same payment and verification page', async () => {
    const mandateID = await linkRegisteredAs('555');
    const first = await e2e.client.linkInitiate(mandateID);
    const again = await e2e.client.linkInitiate(mandateID, { referenceNo: first.referenceNo ?? '' });
    assert.deepEqual([again.resultCd, again.tXid, again.redirectUrl], ['0000', first.tXid, first.redirectUrl]);
    const other = await e2e.client.linkInitiate(mandateID, { referenceNo: first.referenceNo ?? '', amt: 20000 });
    assert.equal(other.resultCd, '9009', 'the same referenceNo with other content');
    // The customer confirms with the PIN on AstraPay's page.
    const confirm = await fetch(`${first.redirectUrl ?? ''}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'pin=123456',
      redirect: 'manual',
    });
    assert.equal(confirm.status, 303);
    await e2e.stack.notified(first.tXid ?? '', '0');
  });

  test('payments follow the registered phone: 001 declined, 007 insufficient, 003 found by status check, 006 refunded', async () => {
    const cases = await Promise.all(['001', '007', '003', '006'].map(async (magic) => ({ magic, mandateID: await linkRegisteredAs(magic) })));
    const pays = await Promise.all(cases.map(async (c) => ({ ...c, pay: await e2e.client.linkInitiate(c.mandateID) })));
    const tx = (magic: string) => pays.find((c) => c.magic === magic)?.pay.tXid ?? '';
    await Promise.all([e2e.stack.notified(tx('001'), '8'), e2e.stack.notified(tx('007'), '8'), e2e.stack.notified(tx('003'), '0'), e2e.stack.notified(tx('006'), '5')]);
    await waitFor(() => e2e.stack.merchant.for(tx('006')).find((x) => x.fields.cancelAmt === '15000'), '006 refund notification', 20_000);
    assert.deepEqual((await e2e.stack.ledger(tx('006'))).map((e) => e.type), ['charge', 'refund']);
    assert.deepEqual(await e2e.stack.ledger(tx('001')), []);
  });

  test('linkDisable: DISABLED, notified, no payment can use it, AstraPay revoked the token', async () => {
    const { mandateID } = await activeLink('000');
    const disabled = await e2e.client.linkCall('linkDisable', mandateID);
    assert.deepEqual([disabled.resultCd, disabled.linkStatus], ['0000', 'DISABLED']);
    await linkNotified(mandateID, 'DISABLED');
    const pay = await e2e.client.linkInitiate(mandateID);
    assert.equal(pay.resultCd, '9502', pay.resultMsg);
    assert.equal((await e2e.client.linkCall('linkDisable', mandateID)).linkStatus, 'DISABLED', 'disabling again is harmless');
    const astrapay = astraPayAdapter();
    await waitFor(async () => ((await astrapay.checkLink(mandateID)).state === 'REVOKED' ? true : undefined), 'revocation at AstraPay', 10_000);
  });

  test('refusals: unknown mandate 8004, bad tokens 9010, ASTR registration 9012, AstraPay link for another wallet 9012', async () => {
    const unknown = await e2e.client.linkInitiate('M0000000000000000001');
    assert.equal(unknown.resultCd, '8004');
    assert.equal((await e2e.client.linkCall('linkInquiry', 'not-a-mandate')).resultCd, '8004');
    assert.equal((await e2e.client.linkCall('linkInquiry', 'M0000000000000000001')).resultCd, '8004');
    assert.equal((await e2e.client.linkEnable(phone('000'), { merchantToken: 'a'.repeat(64) })).resultCd, '9010');
    assert.equal((await e2e.client.linkCall('linkDisable', 'M0000000000000000001', { merchantToken: 'b'.repeat(64) })).resultCd, '9010');
    const { mandateID } = await activeLink('000');
    assert.equal((await e2e.client.linkInitiate(mandateID, { merchantToken: 'c'.repeat(64) })).resultCd, '9010');
    assert.equal((await e2e.client.register(phone('000'), { mitraCd: 'ASTR' })).resultCd, '9012');
    assert.equal((await e2e.client.linkEnable(phone('000'), { mitraCd: 'OVOE' })).resultCd, '9012');
    assert.equal((await e2e.client.linkEnable('not a phone')).resultCd, '9001');
    assert.equal((await e2e.client.linkEnable(phone('000'), { billingNm: '' })).resultCd, '9016');
  });

  test('a forged or unknown link callback changes nothing', async () => {
    const forged = await fetch(`${e2e.stack.apiUrl}/callbacks/astrapay`, {
      method: 'POST',
      // A binding notify "signed" with a key that is not AstraPay's.
      headers: { 'content-type': 'application/json', 'x-timestamp': `${new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`, 'x-signature': Buffer.alloc(256).toString('base64') },
      body: JSON.stringify({ partnerReferenceNo: 'M0000000000000000001', referenceNo: 'AL0', accessToken: 'APT-x', additionalInfo: { mitraCd: 'ASTR', bindingStatus: 'ACTIVE' } }),
    });
    assert.equal(forged.status, 401);
  });
});
