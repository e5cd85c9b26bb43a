import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WalletRejectedError, WalletUnavailableError, type WalletAdapter } from '../../activities/wallets/adapter.js';
import { ovoPaths } from '../../activities/wallets/ovo.js';
import type { SymmetricCredentials } from '../../activities/wallets/snap/direct-debit-adapter.js';
import type { WalletEndpoint } from '../../domain/wallet-settings.js';
import { ovo as ovoWallet } from '../../wallets/ovo.js';
import { startTestSandbox, waitFor, type TestSandbox } from '../support/sandbox-harness.js';
import { startRedirectGateway, type RedirectGateway } from '../support/sandbox-redirect-harness.js';
import { raw, request, symmetricSandboxSettings } from '../support/snap-adapter-fixtures.js';

/**
 * What is OVO's own in its adapter, against the sandbox OVO over real HTTP; what it shares with ShopeePay and LinkAja
 * (notify, void, refunds, refusals, the B2B token) is tested with theirs in snap-direct-debit-adapter.test.ts.
 */
void describe('OVO adapter ↔ sandbox OVO: OVO’s published paths, milliseconds, the push', () => {
  let gw: RedirectGateway;
  let sb: TestSandbox;
  let endpoint: WalletEndpoint;
  let credentials: SymmetricCredentials;
  /** OVO's adapter as the worker builds it: from the module (wallets/ovo.ts), which brings OVO's paths and milliseconds. */
  const adapter = (e: WalletEndpoint = endpoint, f: typeof fetch = fetch): WalletAdapter => ovoWallet.adapter(e, credentials, f);
  before(async () => {
    gw = await startRedirectGateway();
    sb = await startTestSandbox(gw.baseUrl);
    ({ endpoint, credentials } = symmetricSandboxSettings('OVO', `${sb.baseUrl}/ovo`, `${gw.baseUrl}/callbacks/ovo`));
  });
  after(async () => {
    await sb?.close();
    await gw?.close();
  });

  test('the /OVOSNAP paths, X-TIMESTAMP with milliseconds, the phone in additionalInfo.phoneNo; the push is "in progress" with no URL', async () => {
    const calls: Array<{ path: string; headers: Record<string, string>; body: Record<string, unknown> }> = [];
    const spy: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
      calls.push({ path: new URL(url).pathname, headers: init?.headers as Record<string, string>, body: JSON.parse(init?.body as string) as Record<string, unknown> });
      return fetch(input, init);
    };
    const ovo = adapter(endpoint, spy);
    const req = request('000');
    const created = await ovo.createPayment(req);
    assert.deepEqual(created, { providerRef: created.providerRef });
    assert.match(created.providerRef, /^OVO\d{17}$/);
    await waitFor(async () => (await ovo.checkStatus(req.tXid)).state === 'PAID' || undefined, 'approved in the app');
    await ovo.refund({ tXid: req.tXid, amount: 15000, idempotencyKey: `${req.tXid}-r`, reason: 'returned' });
    const pending = request('002');
    await ovo.createPayment(pending);
    assert.deepEqual(await ovo.voidPayment(pending.tXid), { outcome: 'VOIDED' });

    assert.deepEqual(ovoPaths, {
      token: '/OVOSNAP/v1.0/access-token/b2b',
      create: '/OVOSNAP/v2.0/debit/payment-host-to-host',
      status: '/OVOSNAP/v2.0/debit/status',
      cancel: '/OVOSNAP/v2.0/debit/cancel',
      refund: '/OVOSNAP/v2.0/debit/refund',
    });
    assert.deepEqual([...new Set(calls.map((c) => c.path))].sort(), Object.values(ovoPaths).map((p) => `/ovo${p}`).sort());
    for (const c of calls) assert.match(c.headers['X-TIMESTAMP'] ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+07:00$/, c.path);
    const create = calls.find((c) => c.path.endsWith('/payment-host-to-host'));
    assert.deepEqual(create?.body.additionalInfo, { phoneNo: req.phone, remark: req.goodsName });
    assert.equal(create?.headers.Authorization?.startsWith('Bearer '), true);
  });

  test('the notify: milliseconds in X-TIMESTAMP and the body times; parsed as paid by the module\'s verifier', async () => {
    const ovo = adapter();
    const req = request('000');
    const { providerRef } = await ovo.createPayment(req);
    const [cb] = await waitFor(() => (gw.forRef(req.tXid).length > 0 ? gw.forRef(req.tXid) : undefined), 'the notify');
    assert.ok(cb?.signatureValid);
    assert.match(String(cb.headers['x-timestamp']), /\.\d{3}\+07:00$/);
    assert.match(String(cb.fields.finishedTime), /\.\d{3}\+07:00$/);
    const parsed = ovoWallet.verifier(endpoint).parseCallback(raw(cb));
    assert.deepEqual([parsed.tXid, parsed.state, parsed.amount, parsed.providerRef], [req.tXid, 'PAID', 15000, providerRef]);
  });

  test('a bad phone is refused for good (400xx01); a wallet that cannot be reached is unavailable', async () => {
    await assert.rejects(adapter().createPayment(request('000', { phone: '12345' })), (e: unknown) => e instanceof WalletRejectedError && /4005401/.test(e.message));
    await assert.rejects(adapter({ ...endpoint, baseUrl: 'http://127.0.0.1:9/ovo' }).checkStatus('X'), WalletUnavailableError);
  });
});
