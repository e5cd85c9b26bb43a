import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { CallbackRejectedError, WalletRejectedError, WalletUnavailableError, type CallbackVerifier, type WalletAdapter } from '../../activities/wallets/adapter.js';
import type { SymmetricCredentials } from '../../activities/wallets/snap/direct-debit-adapter.js';
import { SnapNotifyVerifier, snapNotifyAcknowledgement } from '../../activities/wallets/snap/notify-verifier.js';
import type { WalletEndpoint } from '../../domain/wallet-settings.js';
import { linkAja } from '../../wallets/linkaja.js';
import { ovo } from '../../wallets/ovo.js';
import { shopeePay } from '../../wallets/shopeepay.js';
import { sleep, startTestSandbox, waitFor, type TestSandbox } from '../support/sandbox-harness.js';
import { startRedirectGateway, type RedirectCallback, type RedirectGateway } from '../support/sandbox-redirect-harness.js';
import { otherKey, raw, request, symmetricSandboxSettings, tXid } from '../support/snap-adapter-fixtures.js';

/**
 * The Direct Debit wallets, built by their modules (wallets/): ShopeePay and LinkAja redirect to a checkout page; OVO
 * pushes to the customer's app. The module's adapter calls the wallet; its verifier checks the wallet's notifies.
 */
for (const wallet of [
  { key: 'shopeepay', upper: 'SHOPEEPAY', name: 'ShopeePay', mitraCd: 'ESHP', push: false, module: shopeePay },
  { key: 'linkaja', upper: 'LINKAJA', name: 'LinkAja', mitraCd: 'LINK', push: false, module: linkAja },
  { key: 'ovo', upper: 'OVO', name: 'OVO', mitraCd: 'OVOE', push: true, module: ovo },
] as const) {
  const upper = wallet.upper;
  void describe(`${wallet.name} adapter ↔ sandbox ${wallet.name} (SNAP Direct Debit, symmetric)`, () => {
    let gw: RedirectGateway;
    let sb: TestSandbox;
    let endpoint: WalletEndpoint;
    let credentials: SymmetricCredentials;
    let adapter: WalletAdapter;
    let verifier: CallbackVerifier;
    const make = (e: WalletEndpoint, c: SymmetricCredentials = credentials, f: typeof fetch = fetch): WalletAdapter => wallet.module.adapter(e, c, f);
    before(async () => {
      gw = await startRedirectGateway();
      sb = await startTestSandbox(gw.baseUrl);
      ({ endpoint, credentials } = symmetricSandboxSettings(upper, `${sb.baseUrl}/${wallet.key}`, `${gw.baseUrl}/callbacks/${wallet.key}`));
      adapter = make(endpoint);
      verifier = wallet.module.verifier(endpoint);
    });
    after(async () => {
      await sb?.close();
      await gw?.close();
    });
    const notifyOf = (id: string, count = 1): Promise<RedirectCallback[]> => waitFor(() => (gw.forRef(id).length >= count ? gw.forRef(id) : undefined), `${count} notify for ${id}`);
    const ledger = async (id: string): Promise<unknown[]> => (await sb.getJson(`/sandbox/ledger?wallet=${upper}&merchantInvoice=${id}`)).entries as unknown[];

    test('the module: its descriptor, and the standard notify verifier (no signing key) for the same mitraCd', () => {
      const m = wallet.module;
      assert.deepEqual(
        [m.mitraCd, m.name, m.flow, m.configPrefix, m.callbackPath, m.ledgerName, m.snapProfile, m.accountLinks],
        [wallet.mitraCd, wallet.name, wallet.push ? 'push' : 'redirect', upper, wallet.key, upper, 'symmetric-b2b', false],
      );
      assert.ok(!('parseLinkCallback' in verifier), 'no account links');
      assert.ok(verifier instanceof SnapNotifyVerifier);
      assert.equal(verifier.mitraCd, wallet.mitraCd);
      assert.throws(() => m.adapter(endpoint, { profile: 'asymmetric', partnerId: 'p', origin: 'http://o.example', privateKey: credentials.privateKey }, fetch), /symmetric-b2b credentials expected/);
    });

    test('000: created (referenceNo, checkout URL; a push: none), the same on a retry; paid; its notify verifies and parses; acknowledged 2005600', async () => {
      assert.deepEqual([adapter.mitraCd, adapter.flow], [wallet.mitraCd, wallet.push ? 'push' : 'redirect']);
      const req = request('000');
      const created = await adapter.createPayment(req);
      assert.equal(created.redirectUrl, wallet.push ? undefined : `${sb.baseUrl}/${wallet.key}/checkout/${created.providerRef}`);
      assert.deepEqual(await adapter.createPayment(req), created, 'a retry is the same call (same X-EXTERNAL-ID, same body)');
      const [cb] = await notifyOf(req.tXid);
      assert.ok(cb?.signatureValid);
      const parsed = verifier.parseCallback(raw(cb));
      assert.deepEqual({ ...parsed, occurredAt: undefined }, { tXid: req.tXid, state: 'PAID', amount: 15000, providerRef: created.providerRef, occurredAt: undefined });
      assert.deepEqual(await adapter.checkStatus(req.tXid), { state: 'PAID', amount: 15000, providerRef: created.providerRef });
      assert.deepEqual(verifier.callbackAcknowledgement, { responseCode: '2005600', responseMessage: 'Successful' });
      assert.deepEqual(snapNotifyAcknowledgement, { responseCode: '2005600', responseMessage: 'Successful' });
    });

    test('the notify is refused when one byte changes, without a signature, for another path, or verified with another key', async () => {
      const req = request('000');
      await adapter.createPayment(req);
      const [cb] = await notifyOf(req.tXid);
      assert.ok(cb);
      const tampered = cb.rawBody.replace('"00"', '"06"');
      assert.notEqual(tampered, cb.rawBody);
      assert.throws(() => verifier.parseCallback({ headers: cb.headers, rawBody: Buffer.from(tampered) }), CallbackRejectedError);
      assert.throws(() => verifier.parseCallback({ headers: { ...cb.headers, 'x-signature': undefined }, rawBody: Buffer.from(cb.rawBody) }), CallbackRejectedError);
      assert.throws(() => wallet.module.verifier({ ...endpoint, notifyUrl: `${gw.baseUrl}/elsewhere/${wallet.key}` }).parseCallback(raw(cb)), CallbackRejectedError);
      const otherPublic = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      assert.throws(() => wallet.module.verifier({ ...endpoint, publicKey: otherPublic }).parseCallback(raw(cb)), CallbackRejectedError);
      assert.throws(() => wallet.module.verifier({ ...endpoint, merchantId: 'another-client' }).parseCallback(raw(cb)), (e: unknown) => e instanceof CallbackRejectedError && e.httpStatus === 400, 'a notify for another merchant');
    });

    test('001 / 007: FAILED with the reason in status and notify; 002: voided; a paid one answers ALREADY_PAID', async () => {
      const declined = request('001');
      await adapter.createPayment(declined);
      const [cb] = await notifyOf(declined.tXid);
      assert.ok(cb);
      assert.deepEqual([verifier.parseCallback(raw(cb)).state, verifier.parseCallback(raw(cb)).reason], ['FAILED', 'customer declined']);
      assert.deepEqual([(await adapter.checkStatus(declined.tXid)).state, (await adapter.checkStatus(declined.tXid)).reason], ['FAILED', 'customer declined']);

      const waiting = request('002');
      await adapter.createPayment(waiting);
      assert.equal((await adapter.checkStatus(waiting.tXid)).state, 'PENDING');
      assert.deepEqual(await adapter.voidPayment(waiting.tXid), { outcome: 'VOIDED' });
      assert.deepEqual(await adapter.voidPayment(waiting.tXid), { outcome: 'VOIDED' }, 'a repeated void (same X-EXTERNAL-ID, same body) is the same call');
      assert.equal((await adapter.checkStatus(waiting.tXid)).state, 'VOIDED');

      const paid = request('000');
      await adapter.createPayment(paid);
      await waitFor(async () => (await adapter.checkStatus(paid.tXid)).state === 'PAID' || undefined, 'paid');
      assert.deepEqual(await adapter.voidPayment(paid.tXid), { outcome: 'ALREADY_PAID' });
      assert.deepEqual(await adapter.checkStatus(`NOPE${tXid()}`), { state: 'NOT_FOUND' });
    });

    test('refunds: once per idempotency key (retries replay), partial then full (04 → still PAID to the gateway), too much refused for good', async () => {
      const req = request('000', { amount: 10000 });
      await adapter.createPayment(req);
      await waitFor(async () => (await adapter.checkStatus(req.tXid)).state === 'PAID' || undefined, 'paid');
      const key = `${req.tXid}-r1`;
      const first = await adapter.refund({ tXid: req.tXid, amount: 4000, idempotencyKey: key, reason: 'one item' });
      assert.deepEqual(await adapter.refund({ tXid: req.tXid, amount: 4000, idempotencyKey: key, reason: 'one item' }), first);
      await assert.rejects(adapter.refund({ tXid: req.tXid, amount: 6001, idempotencyKey: `${req.tXid}-r2`, reason: 'x' }), WalletRejectedError);
      await adapter.refund({ tXid: req.tXid, amount: 6000, idempotencyKey: `${req.tXid}-r3`, reason: 'rest' });
      assert.equal((await adapter.checkStatus(req.tXid)).state, 'PAID', 'refunded (04) was paid');
      assert.equal((await ledger(req.tXid)).length, 3);
    });

    test('another client secret or RSA key: refused as our configuration (unavailable, never "failed"), nothing created', async () => {
      const req = request('000');
      await assert.rejects(make(endpoint, { ...credentials, clientSecret: 'not-the-client-secret' }).createPayment(req), (e: unknown) => e instanceof WalletUnavailableError && /4015400/.test(e.message));
      await assert.rejects(make(endpoint, { ...credentials, privateKey: otherKey }).createPayment(req), /refused the B2B token request/);
      await sleep(150);
      assert.deepEqual(await adapter.checkStatus(req.tXid), { state: 'NOT_FOUND' });
      assert.deepEqual(await ledger(req.tXid), []);
    });

    test('a B2B token the wallet no longer knows (401xx01) is fetched again once, transparently', async () => {
      const tokenCalls: string[] = [];
      let forged = false;
      const spy: typeof fetch = async (input, init) => {
        const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
        if (url.endsWith('/v1.0/access-token/b2b')) tokenCalls.push(url);
        // The first transaction call carries a token the wallet never issued, as after a wallet-side restart.
        if (!forged && url.endsWith('/debit/status') && init?.headers !== undefined) {
          forged = true;
          return fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: 'Bearer forgotten' } });
        }
        return fetch(input, init);
      };
      const fresh = make(endpoint, credentials, spy);
      assert.deepEqual(await fresh.checkStatus(`NOPE${tXid()}`), { state: 'NOT_FOUND' });
      assert.equal(tokenCalls.length, 2, 'the refused token was replaced');
      assert.deepEqual(await fresh.checkStatus(`NOPE${tXid()}`), { state: 'NOT_FOUND' });
      assert.equal(tokenCalls.length, 2, 'and the new one is cached');
    });

    test('005: HTTP 500 twice is an unknown outcome (unavailable), then the same call creates it once', async () => {
      const req = request('005');
      await assert.rejects(adapter.createPayment(req), WalletUnavailableError);
      await assert.rejects(adapter.createPayment(req), WalletUnavailableError);
      const created = await adapter.createPayment(req);
      assert.ok(wallet.push ? created.providerRef : created.redirectUrl);
      await waitFor(async () => (await adapter.checkStatus(req.tXid)).state === 'PAID' || undefined, 'paid');
      assert.equal((await ledger(req.tXid)).length, 1);
    });
  });
}
