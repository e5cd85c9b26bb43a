import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { CallbackRejectedError, WalletRejectedError, WalletUnavailableError, type CreatePaymentRequest, type RawCallback } from '../../activities/wallets/adapter.js';
import { AstraPayNotifyVerifier } from '../../activities/wallets/astrapay-notify.js';
import { AstraPayAdapter } from '../../activities/wallets/astrapay.js';
import type { SymmetricCredentials } from '../../activities/wallets/snap/direct-debit-adapter.js';
import { snapNotifyAcknowledgement } from '../../activities/wallets/snap/notify-verifier.js';
import type { WalletEndpoint } from '../../domain/wallet-settings.js';
import { astraPay } from '../../wallets/astrapay.js';
import { SANDBOX_ASTRAPAY_PRIVATE_KEY } from '../../sandbox/astrapay/sandbox-keys.js';
import { startTestSandbox, waitFor, type TestSandbox } from '../support/sandbox-harness.js';
import { CheckoutBrowser, jakartaTimestamp } from '../support/sandbox-redirect-harness.js';
import { startAstraPayGateway, type AstraPayCallback, type AstraPayGateway } from '../support/sandbox-astrapay.js';
import { symmetricSandboxSettings } from '../support/snap-adapter-fixtures.js';

/** The sandbox's public values, for a gateway at gateway.example and AstraPay nowhere (the notify tests call no wallet). */
const secrets = symmetricSandboxSettings('ASTRAPAY', 'http://127.0.0.1:9/astrapay', 'http://gateway.example/callbacks/astrapay');
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const RETURN = 'http://gateway.example/astrapay/return';
const phone = (suffix: string): string => `081234567${suffix}`;
const id = (prefix: string): string => `${prefix}${randomBytes(6).toString('hex').toUpperCase()}`;
const linkRequest = (p: string) => ({
  mandateID: id('MD'),
  phone: p,
  name: 'Budi Santoso',
  email: 'budi@example.com',
  returnUrl: RETURN,
  expiresAt: new Date(Date.now() + 900_000).toISOString(),
});
const paymentRequest = (accountToken: string | undefined): CreatePaymentRequest => ({
  tXid: id('IONPAYTEST05'),
  referenceNo: id('ORD-'),
  amount: 15000,
  phone: phone('000'),
  goodsName: 'Kopi susu x2',
  merchantName: 'Toko Kopi',
  returnUrl: RETURN,
  expirySeconds: 900,
  expiresAt: new Date(Date.now() + 900_000).toISOString(),
  ...(accountToken !== undefined ? { accountToken } : {}),
});
const raw = (cb: AstraPayCallback): RawCallback => ({ headers: cb.headers, rawBody: Buffer.from(cb.rawBody) });

/** AstraPay's adapter as the worker builds it, from its module (wallets/astrapay.ts): an account-link provider too. */
function adapterOf(endpoint: WalletEndpoint, credentials: SymmetricCredentials, fetchImpl: typeof fetch = fetch): AstraPayAdapter {
  const adapter = astraPay.adapter(endpoint, credentials, fetchImpl);
  assert.ok(adapter instanceof AstraPayAdapter);
  return adapter;
}

/** AstraPay's notify verifier as the API builds it, from its module: public values only, payments and bindings. */
function verifierOf(endpoint: WalletEndpoint): AstraPayNotifyVerifier {
  const verifier = astraPay.verifier(endpoint);
  assert.ok(verifier instanceof AstraPayNotifyVerifier);
  return verifier;
}

/**
 * A notify signed the way AstraPay signs on SNAP (base64 SHA256withRSA, AstraPay's key, of
 * `POST:/callbacks/astrapay:sha256hex(body):X-TIMESTAMP`), computed here independently.
 */
function signed(body: unknown, options: { key?: string; at?: number } = {}): RawCallback {
  const rawBody = JSON.stringify(body);
  const timestamp = jakartaTimestamp(options.at ?? Date.now());
  const data = `POST:/callbacks/astrapay:${createHash('sha256').update(rawBody).digest('hex')}:${timestamp}`;
  const signature = sign('sha256', Buffer.from(data), options.key ?? SANDBOX_ASTRAPAY_PRIVATE_KEY).toString('base64');
  return { headers: { 'x-timestamp': timestamp, 'x-signature': signature }, rawBody: Buffer.from(rawBody) };
}

/** The AstraPay adapter against the AstraPay simulator over real HTTP: SNAP account binding, then Direct Debit on the bound account. */
void describe('AstraPay adapter ↔ sandbox AstraPay (SNAP binding + Direct Debit)', () => {
  let gw: AstraPayGateway;
  let sb: TestSandbox;
  let astra: AstraPayAdapter;
  let notifies: AstraPayNotifyVerifier;
  let endpoint: WalletEndpoint;
  const { credentials } = secrets;
  before(async () => {
    gw = await startAstraPayGateway();
    sb = await startTestSandbox(gw.baseUrl);
    endpoint = { ...secrets.endpoint, baseUrl: `${sb.baseUrl}/astrapay`, notifyUrl: `${gw.baseUrl}/callbacks/astrapay` };
    astra = adapterOf(endpoint, credentials);
    notifies = verifierOf(endpoint);
  });
  after(async () => {
    await sb?.close();
    await gw?.close();
  });

  const callbackAbout = (ref: string, what: string): Promise<AstraPayCallback> => waitFor(() => gw.about(ref)[0], what);

  /** A link registered by a person on the page with `accountPhone` (the payments' magic values follow it). */
  async function registeredToken(accountPhone: string): Promise<string> {
    const req = linkRequest(phone('899'));
    const { registrationUrl } = await astra.createLink(req);
    const page = await new CheckoutBrowser().post(registrationUrl, { phone: accountPhone, name: 'Budi', otp: '123456' });
    assert.equal(page.status, 303);
    const token = (await astra.checkLink(req.mandateID)).accountToken;
    assert.ok(token);
    return token;
  }

  void test('the module: AstraPay\'s descriptor (account links), its adapter and verifier for ASTR', () => {
    assert.deepEqual(
      [astraPay.mitraCd, astraPay.name, astraPay.flow, astraPay.accountLinks, astraPay.configPrefix, astraPay.callbackPath, astraPay.ledgerName, astraPay.snapProfile],
      ['ASTR', 'AstraPay', 'redirect', true, 'ASTRAPAY', 'astrapay', 'ASTRAPAY', 'symmetric-b2b'],
    );
    assert.deepEqual([astra.mitraCd, astra.flow, notifies.mitraCd], ['ASTR', 'redirect', 'ASTR']);
    assert.deepEqual(notifies.callbackAcknowledgement, snapNotifyAcknowledgement);
  });

  void test('link 000 → ACTIVE with a token; a payment on it: idempotent create, PAID callback and status, void too late, idempotent refund; revoke', async () => {
    const lreq = linkRequest(phone('000'));
    const link = await astra.createLink(lreq);
    assert.match(link.providerRef, /^AL[0-9A-F]{16}$/);
    assert.equal(link.registrationUrl, `${sb.baseUrl}/astrapay/register/${link.providerRef}`);
    assert.deepEqual(await astra.createLink(lreq), link, 'the same request again answers the same link');

    const lcb = await callbackAbout(lreq.mandateID, 'the link callback');
    const parsedLink = notifies.parseLinkCallback(raw(lcb));
    assert.ok(parsedLink);
    assert.equal(parsedLink.mandateID, lreq.mandateID);
    assert.equal(parsedLink.state, 'ACTIVE');
    assert.equal(parsedLink.providerRef, link.providerRef);
    assert.match(parsedLink.accountToken ?? '', /^APT-[0-9a-f]{32}$/);
    assert.ok(parsedLink.occurredAt && !Number.isNaN(Date.parse(parsedLink.occurredAt)));
    assert.ok(lcb.signatureValid);
    assert.throws(() => notifies.parseCallback(raw(lcb)), (e: unknown) => e instanceof CallbackRejectedError && e.httpStatus === 400);
    const token = parsedLink.accountToken ?? '';
    assert.deepEqual(await astra.checkLink(lreq.mandateID), { state: 'ACTIVE', providerRef: link.providerRef, accountToken: token });

    const req = paymentRequest(token);
    const first = await astra.createPayment(req);
    assert.match(first.providerRef, /^AP[0-9A-F]{16}$/);
    assert.equal(first.redirectUrl, `${sb.baseUrl}/astrapay/verify/${first.providerRef}`);
    assert.deepEqual(await astra.createPayment(req), first, 'same tXid → same payment');

    const pcb = await callbackAbout(req.tXid, 'the payment callback');
    assert.equal(notifies.parseLinkCallback(raw(pcb)), undefined);
    const paid = notifies.parseCallback(raw(pcb));
    assert.deepEqual([paid.tXid, paid.state, paid.amount, paid.providerRef, paid.reason], [req.tXid, 'PAID', 15000, first.providerRef, undefined]);
    assert.ok(paid.occurredAt && !Number.isNaN(Date.parse(paid.occurredAt)));
    assert.deepEqual(await astra.checkStatus(req.tXid), { state: 'PAID', amount: 15000, providerRef: first.providerRef });
    assert.deepEqual(await astra.voidPayment(req.tXid), { outcome: 'ALREADY_PAID' });

    const refund = await astra.refund({ tXid: req.tXid, amount: 15000, idempotencyKey: `${req.tXid}-r1`, reason: 'customer asked' });
    assert.equal(refund.outcome, 'REFUNDED');
    assert.match(refund.refundRef, /^RF[0-9A-F]{16}$/);
    assert.deepEqual(await astra.refund({ tXid: req.tXid, amount: 15000, idempotencyKey: `${req.tXid}-r1`, reason: 'customer asked' }), refund);
    assert.equal((await astra.checkStatus(req.tXid)).state, 'PAID', 'REFUNDED stays PAID for us');
    await assert.rejects(astra.refund({ tXid: req.tXid, amount: 1, idempotencyKey: `${req.tXid}-r2`, reason: 'again' }), (e: unknown) => e instanceof WalletRejectedError && /4035802/.test(e.message));

    await astra.revokeLink(lreq.mandateID);
    await astra.revokeLink(lreq.mandateID);
    assert.deepEqual(await astra.checkLink(lreq.mandateID), { state: 'REVOKED', providerRef: link.providerRef, reason: 'revoked by the merchant' });
    const refused = await astra.createPayment(paymentRequest(token)).then(
      () => assert.fail('a revoked token must not pay'),
      (e: unknown) => e,
    );
    assert.ok(refused instanceof WalletRejectedError);
    assert.equal(refused.reason, 'the AstraPay account link is no longer active');
    assert.ok(!refused.message.includes(token) && !refused.reason.includes(token), 'the token never goes into an error');
  });

  void test('link 001 → FAILED with a reason (callback and status); 002 stays PENDING; refusals of bad link requests', async () => {
    const failing = linkRequest(phone('001'));
    const { providerRef } = await astra.createLink(failing);
    const cb = notifies.parseLinkCallback(raw(await callbackAbout(failing.mandateID, 'the FAILED callback')));
    assert.deepEqual(cb && [cb.mandateID, cb.state, cb.providerRef, cb.reason, cb.accountToken], [failing.mandateID, 'FAILED', providerRef, 'account validation failed', undefined]);
    assert.deepEqual(await astra.checkLink(failing.mandateID), { state: 'FAILED', providerRef, reason: 'account validation failed' });

    const abandoned = linkRequest(phone('002'));
    const pending = await astra.createLink(abandoned);
    assert.deepEqual(await astra.checkLink(abandoned.mandateID), { state: 'PENDING', providerRef: pending.providerRef });

    // The same mandate is the same logical call (the same X-EXTERNAL-ID): other content that day is a conflict whose
    // outcome the adapter cannot know, never a refusal.
    await assert.rejects(astra.createLink({ ...abandoned, name: 'Someone Else' }), (e: unknown) => e instanceof WalletUnavailableError && /4090700/.test(e.message));
    await assert.rejects(astra.createLink(linkRequest('0712345678')), (e: unknown) => e instanceof WalletRejectedError && /4000701 Invalid Field Format phoneNo/.test(e.message));
    await assert.rejects(astra.createLink({ ...linkRequest(phone('899')), returnUrl: 'not a url' }), (e: unknown) => e instanceof WalletRejectedError && e.reason === 'Invalid Field Format additionalInfo.callbackUrl');
  });

  void test('a pending payment (account …002) is voided; a declined one (…001) fails with a reason; no token → refused before any call', async () => {
    const pending = paymentRequest(await registeredToken(phone('002')));
    const created = await astra.createPayment(pending);
    assert.equal((await astra.checkStatus(pending.tXid)).state, 'PENDING');
    assert.deepEqual(await astra.voidPayment(pending.tXid), { outcome: 'VOIDED' });
    assert.deepEqual(await astra.voidPayment(pending.tXid), { outcome: 'VOIDED' });
    const voided = await astra.checkStatus(pending.tXid);
    assert.deepEqual([voided.state, voided.amount, voided.providerRef], ['VOIDED', 15000, created.providerRef]);

    const declined = paymentRequest(await registeredToken(phone('001')));
    await astra.createPayment(declined);
    const cb = notifies.parseCallback(raw(await callbackAbout(declined.tXid, 'the decline callback')));
    assert.deepEqual([cb.state, cb.reason], ['FAILED', 'customer declined']);
    assert.equal((await astra.checkStatus(declined.tXid)).reason, 'customer declined');

    let calls = 0;
    const counting = adapterOf(endpoint, credentials, (input, init) => {
      calls++;
      return fetch(input, init);
    });
    await assert.rejects(counting.createPayment(paymentRequest(undefined)), (e: unknown) => e instanceof WalletRejectedError && e.reason === 'no linked AstraPay account');
    assert.equal(calls, 0);
  });

  void test('unknown ids: NOT_FOUND; void and revoke of unknown ids succeed; odd ids travel in the signed body', async () => {
    assert.deepEqual(await astra.checkStatus('IONPAYTEST05NOTTHERE0000000'), { state: 'NOT_FOUND' });
    assert.deepEqual(await astra.checkLink('MD-NOT-THERE'), { state: 'NOT_FOUND' });
    assert.deepEqual(await astra.checkLink('odd id/with?chars&=#%'), { state: 'NOT_FOUND' });
    assert.deepEqual(await astra.checkStatus('odd id/with?chars&=#%'), { state: 'NOT_FOUND' });
    assert.deepEqual(await astra.voidPayment('IONPAYTEST05NOTTHERE0000000'), { outcome: 'VOIDED' });
    await astra.revokeLink('MD-NOT-THERE');
    await assert.rejects(astra.refund({ tXid: 'IONPAYTEST05NOTTHERE0000000', amount: 1, idempotencyKey: 'k', reason: 'x' }), WalletRejectedError);
  });

  void test('a sandbox fault, wrong credentials and an unreachable wallet are "unavailable", never a refusal', async () => {
    const fault = await fetch(`${sb.baseUrl}/sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ wallet: 'ASTRAPAY', failNext: 1 }) });
    assert.equal(fault.status, 200);
    await assert.rejects(astra.checkLink('MD-NOT-THERE'), (e: unknown) => e instanceof WalletUnavailableError && e.httpStatus === 500);
    assert.deepEqual(await astra.checkLink('MD-NOT-THERE'), { state: 'NOT_FOUND' }, 'one failure only');

    const wrong = adapterOf(endpoint, { ...credentials, clientSecret: 'wrong-secret-123' });
    await assert.rejects(wrong.checkStatus('X'), (e: unknown) => e instanceof WalletUnavailableError && e.httpStatus === 401 && /4015500/.test(e.message));
    await assert.rejects(wrong.createLink(linkRequest(phone('000'))), (e: unknown) => e instanceof WalletUnavailableError && /4010700/.test(e.message));
    const down = adapterOf({ ...endpoint, baseUrl: 'http://127.0.0.1:9/astrapay' }, credentials);
    await assert.rejects(down.checkLink('X'), WalletUnavailableError);
  });

  void test('notifies: a tampered body or signature, another key, a stale timestamp, another merchant or a malformed body are refused', () => {
    const t = verifierOf(secrets.endpoint);
    const body = {
      originalPartnerReferenceNo: 'T1',
      originalReferenceNo: 'AP0000000000000001',
      merchantId: secrets.endpoint.merchantId,
      amount: { value: '15000.00', currency: 'IDR' },
      latestTransactionStatus: '06',
      transactionStatusDesc: 'cancelled by the customer',
      finishedTime: '2026-12-06T12:00:05+07:00',
    };
    const ok = signed(body);
    assert.equal(t.parseLinkCallback(ok), undefined, 'a payment notify is not about a binding');
    assert.deepEqual(t.parseCallback(ok), { tXid: 'T1', state: 'FAILED', amount: 15000, providerRef: 'AP0000000000000001', reason: 'cancelled by the customer', occurredAt: '2026-12-06T05:00:05.000Z' });
    assert.equal(t.parseCallback(signed({ ...body, latestTransactionStatus: '01' })).state, 'PENDING', 'the stale PENDING of 004 parses');

    const unauthorized = (e: unknown) => e instanceof CallbackRejectedError && e.httpStatus === 401;
    const tampered = { ...ok, rawBody: Buffer.from(ok.rawBody.toString('utf8').replace('15000', '1500')) };
    assert.throws(() => t.parseCallback(tampered), unauthorized);
    assert.throws(() => t.parseLinkCallback(tampered), unauthorized);
    assert.throws(() => t.parseLinkCallback(signed(body, { key: stranger })), unauthorized);
    assert.throws(() => t.parseLinkCallback({ headers: {}, rawBody: ok.rawBody }), unauthorized);
    assert.throws(() => t.parseLinkCallback(signed(body, { at: Date.now() - 3600_000 })), /too old/);

    const badRequest = (e: unknown) => e instanceof CallbackRejectedError && e.httpStatus === 400;
    const binding = { partnerReferenceNo: 'MD1', referenceNo: 'AL1', merchantId: secrets.endpoint.merchantId, additionalInfo: { mitraCd: 'ASTR', bindingStatus: 'ACTIVE' } };
    assert.throws(() => t.parseLinkCallback(signed(binding)), badRequest, 'ACTIVE without a token');
    assert.throws(() => t.parseLinkCallback(signed({ ...binding, accessToken: 'APT-1', merchantId: 'another' })), badRequest);
    assert.throws(() => t.parseLinkCallback(signed({ ...binding, additionalInfo: { mitraCd: 'ASTR', bindingStatus: 'WHATEVER' } })), badRequest);
    assert.throws(() => t.parseCallback(signed(binding)), badRequest, 'a binding notify is not a payment');
    assert.deepEqual(t.parseLinkCallback(signed({ ...binding, accessToken: 'APT-1', refreshToken: 'APR-1', finishedTime: '2026-12-06T12:00:05+07:00' })), {
      mandateID: 'MD1',
      state: 'ACTIVE',
      providerRef: 'AL1',
      accountToken: 'APT-1',
      occurredAt: '2026-12-06T05:00:05.000Z',
    });
    assert.deepEqual(t.parseLinkCallback(signed({ ...binding, additionalInfo: { mitraCd: 'ASTR', bindingStatus: 'EXPIRED', reason: 'the customer did not register in time' } })), {
      mandateID: 'MD1',
      state: 'EXPIRED',
      providerRef: 'AL1',
      reason: 'the customer did not register in time',
    });
  });
});
