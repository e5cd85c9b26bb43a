import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSandboxConfig } from '../../sandbox/config.js';
import { symmetricKeys } from '../../sandbox/wallet-config.js';
import { magicOutcome } from '../../sandbox/magic-values.js';
import { maskPhone, maskPhonesIn } from '../../sandbox/mask.js';
import { sleep, waitFor } from '../support/sandbox-harness.js';
import { ovoDriver } from '../support/sandbox-redirect-harness.js';
import { directDebitSpecifics } from '../support/sandbox-direct-debit-suite.js';
import { redirectRestartSuite, redirectWalletSuite, type RedirectSuiteContext } from '../support/sandbox-redirect-suite.js';

/**
 * OVO in the sandbox: SNAP Direct Debit under OVO's `/OVOSNAP` paths (the shared SNAP scenarios and the Direct Debit
 * specifics), and what is OVO's own: the push to the customer's OVO app, the phone page where it is approved or
 * declined.
 */
redirectWalletSuite(
  'OVO sandbox (SNAP Direct Debit under /OVOSNAP, a push to the customer’s app)',
  ovoDriver,
  (ctx) => {
    directDebitSpecifics('ovo', ctx);
    phonePage(ctx);
  },
  'push',
);

redirectRestartSuite('OVO sandbox across restarts', ovoDriver, 'push');

function phonePage(ctx: () => RedirectSuiteContext): void {
  const post = (path: string): Promise<Response> => fetch(`${ctx().sb.baseUrl}${path}`, { method: 'POST', redirect: 'manual' });

  void describe('the customer’s OVO app (phone page)', () => {
    void test('shows a pending request; Approve by form post → 303, flash, paid, one callback, one charge; again → gone', async () => {
      const customer = `0812${String(Date.now()).slice(-5)}899`;
      const input = ctx().input(customer, { description: 'Nasi "goreng" & <b>teh</b>' });
      const created = await ctx().create(input);
      const page = await fetch(`${ctx().sb.baseUrl}/ovo/phone/${customer}`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /Rp 15\.000/);
      // SNAP orders carry no merchant name: the app shows the name OVO registered for the merchant id.
      assert.match(html, /ewallet-gateway sandbox merchant/);
      assert.match(html, /Nasi &quot;goreng&quot; &amp; &lt;b&gt;teh&lt;\/b&gt;/);
      assert.ok(html.includes(input.tXid), 'the merchant’s reference');
      assert.ok(html.includes(`action="/ovo/phone/${customer}/payments/${created.walletRef}/approve"`));
      assert.match(html, />Decline<\/button>/);
      assert.match(html, /#4C3494/);
      assert.ok(!/<(link|script)[^>]+(src|href)=["']https?:/i.test(html), 'no external assets');

      const approve = await post(`/ovo/phone/${customer}/payments/${created.walletRef}/approve`);
      assert.equal(approve.status, 303);
      const location = approve.headers.get('location') ?? '';
      assert.ok(location.startsWith(`/ovo/phone/${customer}`));
      const after = await (await fetch(`${ctx().sb.baseUrl}${location}`)).text();
      assert.match(after, /Payment approved/);
      assert.match(after, /Paid/);
      assert.equal((await ctx().view(input.tXid)).status, '00');
      const [cb] = await ctx().waitCallbacks(input.tXid, 1);
      assert.ok(cb?.signatureValid);
      assert.equal(cb.status, '00');
      assert.equal((await ctx().ledger(input.tXid)).length, 1);

      const twice = await post(`/ovo/phone/${customer}/payments/${created.walletRef}/approve`);
      assert.match(twice.headers.get('location') ?? '', /flash=gone/);
      await sleep(100);
      assert.equal((await ctx().ledger(input.tXid)).length, 1);
      assert.equal(ctx().gw.forRef(input.tXid).length, 1);
    });

    void test('Decline → failed "customer declined" with its callback, no charge; other spellings of the number share the inbox', async () => {
      const local = `0813${String(Date.now()).slice(-5)}898`;
      const input = ctx().input(`+62${local.slice(1)}`);
      const created = await ctx().create(input);
      const fragment = await fetch(`${ctx().sb.baseUrl}/ovo/phone/${local}?fragment=1`);
      assert.match(fragment.headers.get('x-inbox-version') ?? '', /^[0-9a-f]{16}$/);
      assert.ok((await fragment.text()).includes(created.walletRef));

      const decline = await post(`/ovo/phone/${local}/payments/${created.walletRef}/decline`);
      assert.equal(decline.status, 303);
      assert.match(await (await fetch(`${ctx().sb.baseUrl}${decline.headers.get('location') ?? ''}`)).text(), /Payment declined/);
      const view = await ctx().view(input.tXid);
      assert.deepEqual([view.status, view.reason], ['06', 'customer declined']);
      const [cb] = await ctx().waitCallbacks(input.tXid, 1);
      assert.deepEqual([cb?.status, cb && ctx().driver.callbackReason(cb)], ['06', 'customer declined']);
      assert.deepEqual(await ctx().ledger(input.tXid), []);
    });

    void test('a request of another phone cannot be answered; the form page redirects; bad numbers get 404; the index links it', async () => {
      const input = ctx().input('897');
      const created = await ctx().create(input);
      const stranger = await post(`/ovo/phone/081299999897/payments/${created.walletRef}/approve`);
      assert.match(stranger.headers.get('location') ?? '', /flash=not-found/);
      assert.equal((await ctx().view(input.tXid)).status, '01');

      const form = await fetch(`${ctx().sb.baseUrl}/ovo/phone`);
      assert.equal(form.status, 200);
      const formHtml = await form.text();
      assert.match(formHtml, /name="phone"/);
      assert.match(formHtml, /…008<\/code><span>approves after the delay → paid, but every refund is refused/);
      const go = await fetch(`${ctx().sb.baseUrl}/ovo/phone?phone=0812-3456 7899`, { redirect: 'manual' });
      assert.equal(go.status, 303);
      assert.equal(go.headers.get('location'), '/ovo/phone/081234567899');
      assert.equal((await fetch(`${ctx().sb.baseUrl}/ovo/phone/12345`)).status, 404);
      assert.equal((await post('/ovo/phone/081234567897/payments/x/maybe')).status, 404);
      const index = await (await fetch(`${ctx().sb.baseUrl}/`)).text();
      assert.match(index, /href="\/ovo\/phone"/);
    });

    void test('006: the push is approved after the gateway’s push window (the late approval), not the checkout window', async () => {
      assert.equal(loadSandboxConfig({}).lateApproveMs, 63_000);
      assert.equal(loadSandboxConfig({ OVO_PUSH_TIMEOUT_SECONDS: '5' }).lateApproveMs, 8000);
      const input = ctx().input('006');
      await ctx().create(input);
      await waitFor(async () => (await ctx().view(input.tXid)).status === '00' || undefined, 'the late approval (300 ms in tests)');
    });
  });
}

void describe('OVO sandbox configuration, magic values and masking', () => {
  void test('defaults, a bad value names the variable', () => {
    const c = loadSandboxConfig({});
    const ovo = symmetricKeys(c, { callbackPath: 'ovo' });
    assert.deepEqual([ovo.clientId, ovo.clientSecret, c.pushTimeoutSeconds], ['sandbox-ovo-client', 'sandbox-ovo-secret-change-me', 60]);
    assert.match(ovo.privateKey, /BEGIN PRIVATE KEY/);
    assert.match(ovo.partnerPublicKey, /BEGIN PUBLIC KEY/);
    assert.ok(Object.isFrozen(c));
    assert.throws(() => loadSandboxConfig({ SANDBOX_OVO_PRIVATE_KEY: 'not a key' }), /SANDBOX_OVO_PRIVATE_KEY/);
    assert.throws(() => loadSandboxConfig({ OVO_CLIENT_SECRET: 'short' }), /OVO_CLIENT_SECRET/);
  });

  void test('magic values and masking', () => {
    assert.equal(magicOutcome('081234567000').action, 'approve');
    assert.equal(magicOutcome('+6281234567001').action, 'decline');
    assert.equal(magicOutcome('6281234567005').failingCreates, 2);
    assert.equal(magicOutcome('081234567006').timing, 'late');
    assert.equal(magicOutcome('081234567899').action, 'manual');
    assert.equal(maskPhone('081234561000'), '0812****1000');
    assert.equal(maskPhonesIn('/ovo/phone/081234561000/payments/OVO12345678901234567'), '/ovo/phone/0812****1000/payments/OVO12345678901234567');
    assert.equal(maskPhonesIn('/ovo/phone/%2B6281234561000'), '/ovo/phone/+628****1000');
  });
});
