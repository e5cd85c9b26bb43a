import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, sign } from 'node:crypto';
import { CallbackRejectedError, WalletRejectedError, WalletUnavailableError, type CallbackVerifier, type WalletAdapter } from '../../activities/wallets/adapter.js';
import { DanaAdapter, type AsymmetricCredentials } from '../../activities/wallets/dana.js';
import { SnapNotifyVerifier, snapNotifyAcknowledgement } from '../../activities/wallets/snap/notify-verifier.js';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';
import type { WalletEndpoint } from '../../domain/wallet-settings.js';
import { dana as danaWallet } from '../../wallets/dana.js';
import { SANDBOX_DANA_PRIVATE_KEY } from '../../sandbox/dana/sandbox-keys.js';
import { startTestSandbox, waitFor, type TestSandbox } from '../support/sandbox-harness.js';
import { jakartaTimestamp, startRedirectGateway, type RedirectCallback, type RedirectGateway } from '../support/sandbox-redirect-harness.js';
import { otherKey, raw, request, RETURN, tXid } from '../support/snap-adapter-fixtures.js';

/**
 * The DANA adapter against the sandbox DANA over real HTTP, with the sandbox's keys from the gateway's side; DANA's
 * notifies checked by its module's verifier (public values only).
 */
void describe('DANA adapter ↔ sandbox DANA (SNAP)', () => {
  let gw: RedirectGateway;
  let sb: TestSandbox;
  let endpoint: WalletEndpoint;
  let credentials: AsymmetricCredentials;
  let dana: WalletAdapter;
  let verifier: CallbackVerifier;
  /** DANA's adapter as the worker builds it (wallets/dana.ts). */
  const adapter = (e: WalletEndpoint = endpoint, c: AsymmetricCredentials = credentials, f: typeof fetch = fetch): WalletAdapter => danaWallet.adapter(e, c, f);
  before(async () => {
    gw = await startRedirectGateway();
    sb = await startTestSandbox(gw.baseUrl);
    endpoint = {
      baseUrl: `${sb.baseUrl}/dana`,
      merchantId: sandboxSecrets.DANA_MERCHANT_ID,
      publicKey: sandboxSecrets.DANA_PUBLIC_KEY,
      notifyUrl: `${gw.baseUrl}/callbacks/dana`,
    };
    credentials = { profile: 'asymmetric', partnerId: sandboxSecrets.DANA_PARTNER_ID, origin: 'http://gateway.example', privateKey: sandboxSecrets.DANA_PRIVATE_KEY };
    dana = adapter();
    verifier = danaWallet.verifier(endpoint);
  });
  after(async () => {
    await sb?.close();
    await gw?.close();
  });
  const notifyOf = (id: string, count = 1): Promise<RedirectCallback[]> => waitFor(() => (gw.forRef(id).length >= count ? gw.forRef(id) : undefined), `${count} notify for ${id}`);

  test('the module: DANA\'s descriptor, a DanaAdapter for asymmetric credentials only, the SNAP notify verifier', () => {
    assert.deepEqual(
      [danaWallet.mitraCd, danaWallet.name, danaWallet.flow, danaWallet.configPrefix, danaWallet.callbackPath, danaWallet.ledgerName, danaWallet.snapProfile],
      ['DANA', 'DANA', 'redirect', 'DANA', 'dana', 'DANA', 'asymmetric'],
    );
    assert.ok(dana instanceof DanaAdapter);
    assert.deepEqual([dana.mitraCd, dana.flow], ['DANA', 'redirect']);
    assert.ok(verifier instanceof SnapNotifyVerifier);
    assert.equal(verifier.mitraCd, 'DANA');
    assert.throws(() => danaWallet.adapter(endpoint, { profile: 'symmetric-b2b', clientSecret: 'x'.repeat(16), privateKey: credentials.privateKey }, fetch), /asymmetric credentials expected/);
  });

  test('000: created (referenceNo, checkout URL), the same again on a retry; paid; its notify parses and verifies', async () => {
    const req = request('000');
    const created = await dana.createPayment(req);
    assert.match(created.providerRef, /^DANA\d{16}$/);
    assert.equal(created.redirectUrl, `${sb.baseUrl}/dana/checkout/${created.providerRef}`);
    assert.deepEqual(await dana.createPayment(req), created, 'a retry is the same call (same X-EXTERNAL-ID, same body)');
    const [cb] = await notifyOf(req.tXid);
    assert.ok(cb?.signatureValid);
    const parsed = verifier.parseCallback(raw(cb));
    assert.deepEqual({ ...parsed, occurredAt: undefined }, { tXid: req.tXid, state: 'PAID', amount: 15000, providerRef: created.providerRef, occurredAt: undefined });
    assert.ok(parsed.occurredAt && Math.abs(Date.parse(parsed.occurredAt) - Date.now()) < 60_000);
    assert.deepEqual(await dana.checkStatus(req.tXid), { state: 'PAID', amount: 15000, providerRef: created.providerRef });
    assert.deepEqual(verifier.callbackAcknowledgement, { responseCode: '2005600', responseMessage: 'Successful' });
    assert.equal(snapNotifyAcknowledgement.responseCode, '2005600');
  });

  test('the notify is refused when one byte changes, without a signature, for another path, or stale', async () => {
    const req = request('000');
    await dana.createPayment(req);
    const [cb] = await notifyOf(req.tXid);
    assert.ok(cb);
    const tampered = cb.rawBody.replace('"00"', '"06"');
    assert.notEqual(tampered, cb.rawBody);
    assert.throws(() => verifier.parseCallback({ headers: cb.headers, rawBody: Buffer.from(tampered) }), CallbackRejectedError);
    assert.throws(() => verifier.parseCallback({ headers: { ...cb.headers, 'x-signature': undefined }, rawBody: Buffer.from(cb.rawBody) }), CallbackRejectedError);
    const elsewhere = danaWallet.verifier({ ...endpoint, notifyUrl: `${gw.baseUrl}/gateway/callbacks/dana` });
    assert.throws(() => elsewhere.parseCallback(raw(cb)), CallbackRejectedError);
    assert.throws(() => danaWallet.verifier({ ...endpoint, merchantId: 'another' }).parseCallback(raw(cb)), (e: unknown) => e instanceof CallbackRejectedError && e.httpStatus === 400, 'for another merchant');
    // Signed by DANA's key (the test plays DANA here), but eleven minutes old: a replay.
    const resigned = (at: number) => {
      const timestamp = jakartaTimestamp(at);
      const data = `POST:/callbacks/dana:${createHash('sha256').update(cb.rawBody).digest('hex')}:${timestamp}`;
      return { ...cb.headers, 'x-timestamp': timestamp, 'x-signature': sign('sha256', Buffer.from(data), SANDBOX_DANA_PRIVATE_KEY).toString('base64') };
    };
    assert.equal(verifier.parseCallback({ headers: resigned(Date.now()), rawBody: Buffer.from(cb.rawBody) }).tXid, req.tXid);
    assert.throws(() => verifier.parseCallback({ headers: resigned(Date.now() - 11 * 60_000), rawBody: Buffer.from(cb.rawBody) }), CallbackRejectedError);
  });

  test('001 and 007: the notify and the status say failed, with DANA’s reason', async () => {
    for (const [suffix, reason] of [
      ['001', 'customer declined'],
      ['007', 'insufficient balance'],
    ] as const) {
      const req = request(suffix);
      await dana.createPayment(req);
      const [cb] = await notifyOf(req.tXid);
      assert.ok(cb);
      assert.deepEqual([verifier.parseCallback(raw(cb)).state, verifier.parseCallback(raw(cb)).reason], ['FAILED', reason]);
      const status = await dana.checkStatus(req.tXid);
      assert.deepEqual([status.state, status.reason], ['FAILED', reason]);
    }
  });

  test('void: a pending order is closed (then VOIDED), a paid one is ALREADY_PAID, an unknown one is VOIDED', async () => {
    const pending = request('002');
    const { providerRef } = await dana.createPayment(pending);
    assert.deepEqual(await dana.checkStatus(pending.tXid), { state: 'PENDING', amount: 15000, providerRef });
    assert.deepEqual(await dana.voidPayment(pending.tXid), { outcome: 'VOIDED' });
    assert.deepEqual(await dana.voidPayment(pending.tXid), { outcome: 'VOIDED' }, 'again');
    assert.equal((await dana.checkStatus(pending.tXid)).state, 'VOIDED');
    const paid = request('003');
    await dana.createPayment(paid);
    await waitFor(async () => ((await dana.checkStatus(paid.tXid)).state === 'PAID' ? true : undefined), 'paid');
    assert.deepEqual(await dana.voidPayment(paid.tXid), { outcome: 'ALREADY_PAID' });
    assert.deepEqual(await dana.voidPayment(tXid()), { outcome: 'VOIDED' });
    assert.deepEqual(await dana.checkStatus(tXid()), { state: 'NOT_FOUND' });
  });

  test('refunds: partnerRefundNo is the idempotency key; 008 refused for good; 009 unavailable twice, then refunded once', async () => {
    const paid = request('000');
    await dana.createPayment(paid);
    await waitFor(async () => ((await dana.checkStatus(paid.tXid)).state === 'PAID' ? true : undefined), 'paid');
    const key = `cancel-${paid.tXid}-0123456789abcdef01234567`;
    assert.ok(key.length <= 64);
    const first = await dana.refund({ tXid: paid.tXid, amount: 5000, idempotencyKey: key, reason: 'returned' });
    assert.equal(first.outcome, 'REFUNDED');
    assert.deepEqual(await dana.refund({ tXid: paid.tXid, amount: 5000, idempotencyKey: key, reason: 'returned' }), first);
    await assert.rejects(dana.refund({ tXid: paid.tXid, amount: 20000, idempotencyKey: `${key}x`, reason: 'too much' }), WalletRejectedError);

    const refusing = request('008');
    await dana.createPayment(refusing);
    await waitFor(async () => ((await dana.checkStatus(refusing.tXid)).state === 'PAID' ? true : undefined), 'paid');
    await assert.rejects(dana.refund({ tXid: refusing.tXid, amount: 5000, idempotencyKey: `late-${refusing.tXid}`, reason: 'x' }), (e: unknown) => e instanceof WalletRejectedError && /Not Permitted/.test(e.reason));

    const failing = request('009');
    await dana.createPayment(failing);
    await waitFor(async () => ((await dana.checkStatus(failing.tXid)).state === 'PAID' ? true : undefined), 'paid');
    for (let i = 0; i < 2; i++) await assert.rejects(dana.refund({ tXid: failing.tXid, amount: 15000, idempotencyKey: `late-${failing.tXid}`, reason: 'x' }), WalletUnavailableError);
    assert.equal((await dana.refund({ tXid: failing.tXid, amount: 15000, idempotencyKey: `late-${failing.tXid}`, reason: 'x' })).outcome, 'REFUNDED');
    const ledger = (await sb.getJson(`/sandbox/ledger?merchantInvoice=${failing.tXid}`)) as { entries: Array<{ type: string }> };
    assert.deepEqual(ledger.entries.map((e) => e.type), ['charge', 'refund']);
  });

  test('DANA’s refusals: 005 outages and a reused X-EXTERNAL-ID are unknown; another merchant and a bad field are for good; a bad signature is unavailable', async () => {
    const flaky = request('005');
    for (let i = 0; i < 2; i++) await assert.rejects(dana.createPayment(flaky), WalletUnavailableError);
    assert.ok((await dana.createPayment(flaky)).redirectUrl);

    const req = request('899');
    await dana.createPayment(req);
    // Another body for the same tXid reuses the create's X-EXTERNAL-ID: DANA's 409xx00 comes first, and it is an
    // unknown outcome (an earlier attempt may have landed), so the workflow asks the status instead of failing.
    await assert.rejects(dana.createPayment({ ...req, amount: 16000 }), (e: unknown) => e instanceof WalletUnavailableError && /4095400/.test(e.message));
    await assert.rejects(adapter({ ...endpoint, merchantId: 'another' }).createPayment(request('899')), (e: unknown) => e instanceof WalletRejectedError && /4045408/.test(e.message));
    await assert.rejects(dana.createPayment(request('899', { phone: '0712345678' })), (e: unknown) => e instanceof WalletRejectedError && /4005401/.test(e.message));
    await assert.rejects(dana.createPayment(request('899', { returnUrl: 'not a url' })), (e: unknown) => e instanceof WalletRejectedError && /4005401/.test(e.message));
    const impostor = adapter(endpoint, { ...credentials, privateKey: otherKey });
    const unsigned = request('899');
    await assert.rejects(impostor.createPayment(unsigned), (e: unknown) => e instanceof WalletUnavailableError && /4015400/.test(e.message));
    assert.deepEqual(await dana.checkStatus(unsigned.tXid), { state: 'NOT_FOUND' }, 'nothing was created');
  });

  test('a void that meets DANA’s same-day X-EXTERNAL-ID check (409xx00) or a refusal asks the status before answering', async () => {
    const answers = (cancel: [number, string], status: string): typeof fetch =>
      async (url) =>
        (url as string).endsWith('/cancel.htm')
          ? new Response(JSON.stringify({ responseCode: cancel[1], responseMessage: 'x' }), { status: cancel[0] })
          : new Response(JSON.stringify({ responseCode: '2005500', responseMessage: 'Successful', latestTransactionStatus: status, amount: { value: '15000.00', currency: 'IDR' } }), { status: 200 });
    assert.deepEqual(await adapter(endpoint, credentials, answers([409, '4095700'], '00')).voidPayment('T1'), { outcome: 'ALREADY_PAID' });
    assert.deepEqual(await adapter(endpoint, credentials, answers([409, '4095700'], '05')).voidPayment('T1'), { outcome: 'VOIDED' });
    assert.deepEqual(await adapter(endpoint, credentials, answers([403, '4035715'], '00')).voidPayment('T1'), { outcome: 'ALREADY_PAID' });
    await assert.rejects(adapter(endpoint, credentials, answers([409, '4095700'], '01')).voidPayment('T1'), WalletUnavailableError);
    await assert.rejects(adapter(endpoint, credentials, answers([400, '4005702'], '01')).voidPayment('T1'), WalletRejectedError);
  });

  test('the create body is DANA’s: validUpTo in +07:00, urlParams PAY_RETURN and NOTIFICATION, additionalInfo with the buyer’s phone', async () => {
    let body: Record<string, unknown> | undefined;
    let headers: Record<string, string> = {};
    const capture: typeof fetch = async (_url, init) => {
      body = JSON.parse((init?.body as string)) as Record<string, unknown>;
      headers = init?.headers as Record<string, string>;
      return new Response(JSON.stringify({ responseCode: '2005400', responseMessage: 'Successful', referenceNo: 'R1', partnerReferenceNo: 'x', webRedirectUrl: 'http://d/x' }), { status: 200 });
    };
    const req = request('000', { expiresAt: '2026-12-06T05:15:00.000Z', goodsName: 'x'.repeat(80) });
    await adapter(endpoint, credentials, capture).createPayment(req);
    assert.deepEqual(body, {
      partnerReferenceNo: req.tXid,
      merchantId: sandboxSecrets.DANA_MERCHANT_ID,
      amount: { value: '15000.00', currency: 'IDR' },
      validUpTo: '2026-12-06T12:15:00+07:00',
      urlParams: [
        { url: RETURN, type: 'PAY_RETURN', isDeeplink: 'N' },
        { url: `${gw.baseUrl}/callbacks/dana`, type: 'NOTIFICATION', isDeeplink: 'N' },
      ],
      additionalInfo: {
        mcc: '5999',
        envInfo: { sourcePlatform: 'IPG', terminalType: 'SYSTEM' },
        order: { orderTitle: 'x'.repeat(64), scenario: 'REDIRECT', buyer: { externalUserType: 'PHONE', externalUserId: '081234567000' } },
      },
    });
    assert.deepEqual(
      Object.keys(headers).sort(),
      ['CHANNEL-ID', 'Content-Type', 'ORIGIN', 'X-EXTERNAL-ID', 'X-PARTNER-ID', 'X-SIGNATURE', 'X-TIMESTAMP'],
    );
    assert.match(headers['X-EXTERNAL-ID'] ?? '', /^\d{36}$/);
  });
});
