/**
 * The scenarios every SNAP wallet of the sandbox must pass (DANA, ShopeePay, LinkAja redirect; OVO pushes), written
 * once against a `RedirectWalletDriver` that speaks the wallet's own API: create and idempotency, every magic value,
 * void, refunds, the checkout page over HTTP (redirect wallets), faults and callback retries. Each wallet's test file
 * runs them and adds what is its own (authentication, wire format, OVO's phone page).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadSandboxConfig, SandboxConfigError } from '../../sandbox/config.js';
import { defaultWallets } from '../../wallets/registry.js';
import { asymmetricKeys, symmetricKeys } from '../../sandbox/wallet-config.js';
import { sleep, waitFor, type TestSandbox } from './sandbox-harness.js';
import {
  CheckoutBrowser,
  walletWorld,
  type AddedWallet,
  type CreateInput,
  type Created,
  type RedirectCallback,
  type RedirectGateway,
  type RedirectWalletDriver,
  type WalletView,
  type WalletWorld,
} from './sandbox-redirect-harness.js';

export interface LedgerRow {
  wallet: string;
  type: 'charge' | 'refund';
  merchantInvoice: string;
  paymentId: string;
  amount: number;
  phoneMasked: string;
}

export interface DeliveryRow {
  wallet: string;
  merchantInvoice: string;
  status: string;
  attempt: number;
  httpStatus?: number;
  error?: string;
}

export interface RedirectSuiteContext {
  readonly sb: TestSandbox;
  readonly gw: RedirectGateway;
  readonly driver: RedirectWalletDriver;
  /** A fresh tXid-like id, e.g. `IONPAYTEST05…`. */
  tXid(): string;
  /** A create input for a phone ending in `suffix` (a magic value) or a full phone. */
  input(phoneOrSuffix: string, overrides?: Partial<CreateInput>): CreateInput;
  /** Creates and asserts it worked. */
  create(input: CreateInput): Promise<Created>;
  view(tXid: string): Promise<WalletView>;
  waitStatus(tXid: string, status: string, timeoutMs?: number): Promise<WalletView>;
  waitCallbacks(tXid: string, count: number, timeoutMs?: number): Promise<RedirectCallback[]>;
  ledger(tXid: string): Promise<LedgerRow[]>;
  deliveries(tXid: string): Promise<DeliveryRow[]>;
  faults(body: Record<string, unknown> | null): Promise<Response>;
}

/** The brand each wallet's pages must wear. */
const brandColor: Record<string, string> = { DANA: '#118EEA', SHOPEEPAY: '#EE4D2D', LINKAJA: '#E82529' };
const brandColorOf = (wallet: string, added: AddedWallet | undefined): string =>
  added?.descriptor.ledgerName === wallet ? ((added.descriptor.simulator.kind === 'snap-direct-debit' ? added.descriptor.simulator.brand?.color : undefined) ?? '#4C3494') : (brandColor[wallet] ?? '?');

let seq = 0;

export function redirectWalletSuite(
  name: string,
  makeDriver: (sb: TestSandbox) => RedirectWalletDriver,
  specific: (ctx: () => RedirectSuiteContext) => void = () => {},
  /** `push` (OVO): no checkout page; the wallet's own file tests where its customer answers. */
  flow: RedirectWalletDriver['flow'] = 'redirect',
  /** The registry's wallets, or with one a test adds (the driver's). */
  world: WalletWorld = walletWorld(),
): void {
  void describe(name, () => {
    let c: RedirectSuiteContext;
    before(async () => {
      const gw = await world.startGateway();
      const sb = await world.startSandbox(gw.baseUrl);
      c = makeContext(sb, gw, makeDriver(sb));
      assert.equal(c.driver.flow, flow);
    });
    after(async () => {
      await c.sb.close();
      await c.gw.close();
    });
    const ctx = (): RedirectSuiteContext => c;

    void describe('create', () => {
      void test('answers a checkout URL on the sandbox; the same request again → the same reply; other content → refused', async () => {
        const input = c.input('899');
        const created = await c.create(input);
        if (flow === 'push') assert.deepEqual([created.reply.status, created.checkoutUrl], [202, ''], 'a push is in progress, with no page');
        else {
          assert.ok(created.checkoutUrl.startsWith(`${c.sb.baseUrl}/${c.driver.key}/checkout/`), created.checkoutUrl);
          assert.ok(created.checkoutUrl.endsWith(`/${created.walletRef}`));
        }
        const again = await c.driver.create(input);
        assert.equal(again.reply.status, created.reply.status);
        assert.deepEqual(withoutRequestId(again.reply.body), withoutRequestId(created.reply.body));
        const other = await c.driver.create({ ...input, amount: 16000 });
        assert.equal(other.ok, false);
        assert.notEqual(other.reply.status, 500);
        assert.equal((await c.view(input.tXid)).amount, 15000, 'the first request stands');
        assert.equal((await c.ledger(input.tXid)).length, 0);
      });

      void test('an invalid phone is refused and nothing is recorded', async () => {
        for (const phone of ['0712345678', '08123', '0812345678a']) {
          const input = c.input(phone);
          const created = await c.driver.create(input);
          assert.equal(created.ok, false, phone);
          assert.equal((await c.driver.view(input.tXid)).found, false);
        }
      });
    });

    void describe('magic values', () => {
      void test('000: paid after the delay, one signed callback, one charge', async () => {
        const input = c.input('000');
        const created = await c.create(input);
        const paid = await c.waitStatus(input.tXid, c.driver.statuses.paid);
        assert.equal(paid.amount, 15000);
        assert.equal(paid.refunded, 0);
        const [cb] = await c.waitCallbacks(input.tXid, 1);
        assert.ok(cb?.signatureValid);
        assert.equal(cb?.status, c.driver.callbackStatuses.paid);
        assert.equal(c.driver.callbackAmount(cb), 15000);
        await sleep(100);
        assert.equal(c.gw.forRef(input.tXid).length, 1);
        const entries = await c.ledger(input.tXid);
        assert.deepEqual(
          entries.map((e) => [e.wallet, e.type, e.amount, e.paymentId, e.phoneMasked]),
          [[c.driver.wallet, 'charge', 15000, created.walletRef, '0812****7000']],
        );
      });

      for (const [suffix, reason] of [
        ['001', 'customer declined'],
        ['007', 'insufficient balance'],
      ] as const) {
        void test(`${suffix}: failed "${reason}" after the delay, one callback with the reason, no charge`, async () => {
          const input = c.input(suffix);
          await c.create(input);
          const failed = await c.waitStatus(input.tXid, c.driver.statuses.failed);
          assert.equal(failed.reason, reason);
          const [cb] = await c.waitCallbacks(input.tXid, 1);
          assert.ok(cb);
          assert.equal(cb.status, c.driver.callbackStatuses.failed);
          assert.equal(c.driver.callbackReason(cb), reason);
          assert.deepEqual(await c.ledger(input.tXid), []);
        });
      }

      void test('002: never answers → stays pending, no callback; the merchant voids it', async () => {
        const input = c.input('002');
        await c.create(input);
        await sleep(150);
        assert.equal((await c.view(input.tXid)).status, c.driver.statuses.pending);
        const voided = await c.driver.void(input.tXid);
        assert.equal(voided.outcome, 'ok');
        assert.equal(voided.status, c.driver.statuses.voided);
        assert.equal((await c.view(input.tXid)).status, c.driver.statuses.voided);
        const again = await c.driver.void(input.tXid);
        assert.equal(again.outcome, 'ok', 'a second void answers the current status');
        assert.equal(again.status, c.driver.statuses.voided);
        await sleep(50);
        assert.equal(c.gw.forRef(input.tXid).length, 0);
        assert.deepEqual(await c.ledger(input.tXid), []);
      });

      void test('003: paid, but no callback (a status check finds it)', async () => {
        const input = c.input('003');
        await c.create(input);
        await c.waitStatus(input.tXid, c.driver.statuses.paid);
        await sleep(150);
        assert.equal(c.gw.forRef(input.tXid).length, 0);
        assert.deepEqual(await c.deliveries(input.tXid), []);
        assert.equal((await c.ledger(input.tXid)).length, 1);
      });

      void test('004: paid; three callbacks in order: paid, a stale pending with an older event time, paid', async () => {
        const input = c.input('004');
        await c.create(input);
        const cbs = await c.waitCallbacks(input.tXid, 3);
        const s = c.driver.callbackStatuses;
        assert.deepEqual(
          cbs.map((cb) => cb.status),
          [s.paid, s.pending, s.paid],
        );
        assert.ok(cbs.every((cb) => cb.signatureValid));
        // SNAP writes its times to the second, so the stale one is only never newer.
        const older = c.driver.callbackTime(cbs[1]!) <= c.driver.callbackTime(cbs[0]!);
        assert.ok(older, 'the pending one is older');
        assert.equal(c.driver.callbackTime(cbs[0]!), c.driver.callbackTime(cbs[2]!));
        assert.equal((await c.view(input.tXid)).status, c.driver.statuses.paid);
        assert.equal((await c.ledger(input.tXid)).length, 1);
        assert.deepEqual(
          (await c.deliveries(input.tXid)).map((d) => [d.wallet, d.status, d.httpStatus]),
          [
            [c.driver.wallet, s.paid, 200],
            [c.driver.wallet, s.pending, 200],
            [c.driver.wallet, s.paid, 200],
          ],
        );
      });

      void test('005: the first two creates answer HTTP 500 and record nothing; the third works and pays once', async () => {
        const input = c.input('005');
        for (let i = 0; i < 2; i++) {
          const failed = await c.driver.create(input);
          assert.ok(c.driver.isOutage(failed.reply), JSON.stringify(failed.reply.body));
          assert.equal((await c.driver.view(input.tXid)).found, false);
        }
        const created = await c.create(input);
        await c.waitStatus(input.tXid, c.driver.statuses.paid);
        await c.waitCallbacks(input.tXid, 1);
        const replay = await c.driver.create(input);
        assert.equal(replay.walletRef, created.walletRef, 'a retry after success gets the same reply');
        assert.equal((await c.ledger(input.tXid)).length, 1);
      });

      void test('006: pays after the late delay even though the merchant voided it meanwhile; the refund reconciles', async () => {
        const input = c.input('006');
        await c.create(input);
        await sleep(100); // past the normal delay: still pending
        assert.equal((await c.view(input.tXid)).status, c.driver.statuses.pending);
        assert.equal((await c.driver.void(input.tXid)).outcome, 'ok');
        assert.equal((await c.view(input.tXid)).status, c.driver.statuses.voided);
        await c.waitStatus(input.tXid, c.driver.statuses.paid);
        const [cb] = await c.waitCallbacks(input.tXid, 1);
        assert.equal(cb?.status, c.driver.callbackStatuses.paid);
        assert.deepEqual((await c.ledger(input.tXid)).map((e) => e.type), ['charge']);
        const refund = await c.driver.refund(input.tXid, `late-${input.tXid}`, 15000);
        assert.equal(refund.outcome, 'ok');
        assert.equal((await c.view(input.tXid)).status, c.driver.statuses.refunded);
      });

      void test('006 without a void: the late payment simply pays', async () => {
        const input = c.input('006');
        await c.create(input);
        await c.waitStatus(input.tXid, c.driver.statuses.paid);
        await c.waitCallbacks(input.tXid, 1);
        assert.equal((await c.ledger(input.tXid)).length, 1);
      });

      void test('008: paid like 000; every refund is refused for good ("refund not allowed"), nothing recorded; void as for 000', async () => {
        const input = c.input('008');
        await c.create(input);
        await c.waitStatus(input.tXid, c.driver.statuses.paid);
        const [cb] = await c.waitCallbacks(input.tXid, 1);
        assert.equal(cb?.status, c.driver.callbackStatuses.paid);
        for (const [refundId, amount] of [
          ['r-1', 5000],
          ['r-1', 5000],
          ['r-2', 15000],
        ] as const) {
          const refused = await c.driver.refund(input.tXid, refundId, amount);
          assert.equal(refused.outcome, 'not-allowed', JSON.stringify([refused.reply.status, refused.reply.body]));
        }
        const view = await c.view(input.tXid);
        assert.equal(view.status, c.driver.statuses.paid);
        assert.equal(view.refunded, 0);
        assert.equal((await c.driver.void(input.tXid)).outcome, 'refused', 'a paid 008 payment is not voided, as for 000');
        assert.deepEqual(
          (await c.ledger(input.tXid)).map((e) => [e.type, e.amount]),
          [['charge', 15000]],
        );
        await sleep(50);
        assert.equal(c.gw.forRef(input.tXid).length, 1);
      });

      void test('009: paid; the first two refund calls answer HTTP 500 and record nothing; the third works once, then replays', async () => {
        const input = c.input('009');
        await c.create(input);
        await c.waitStatus(input.tXid, c.driver.statuses.paid);
        await c.waitCallbacks(input.tXid, 1);
        for (let i = 0; i < 2; i++) {
          const failed = await c.driver.refund(input.tXid, 'r-1', 5000);
          assert.ok(c.driver.isOutage(failed.reply), JSON.stringify([failed.reply.status, failed.reply.body]));
          assert.equal((await c.view(input.tXid)).refunded, 0);
          assert.deepEqual((await c.ledger(input.tXid)).map((e) => e.type), ['charge']);
        }
        const third = await c.driver.refund(input.tXid, 'r-1', 5000);
        assert.equal(third.outcome, 'ok', JSON.stringify(third.reply.body));
        assert.equal(third.refunded, 5000);
        const replay = await c.driver.refund(input.tXid, 'r-1', 5000);
        assert.equal(replay.outcome, 'ok');
        assert.deepEqual(withoutRequestId(replay.reply.body), withoutRequestId(third.reply.body), 'the same refund id → the same refund');
        assert.deepEqual(
          (await c.ledger(input.tXid)).map((e) => [e.type, e.amount]),
          [
            ['charge', 15000],
            ['refund', 5000],
          ],
        );
        // The two failures are spent: the next refund works at once.
        const rest = await c.driver.refund(input.tXid, 'r-2', 10000);
        assert.equal(rest.outcome, 'ok', JSON.stringify(rest.reply.body));
        assert.equal((await c.view(input.tXid)).status, c.driver.statuses.refunded);
        assert.equal((await c.ledger(input.tXid)).length, 3);
      });

      void test('other numbers: nothing automatic', async () => {
        const input = c.input('899');
        await c.create(input);
        await sleep(150);
        assert.equal((await c.view(input.tXid)).status, c.driver.statuses.pending);
        assert.equal(c.gw.forRef(input.tXid).length, 0);
      });
    });

    void describe('void and refunds', () => {
      void test('void of a paid payment is refused with the documented answer; of a failed one answers its status', async () => {
        const paid = c.input('000');
        await c.create(paid);
        await c.waitStatus(paid.tXid, c.driver.statuses.paid);
        const refused = await c.driver.void(paid.tXid);
        assert.equal(refused.outcome, 'refused', JSON.stringify(refused.reply.body));
        assert.equal((await c.view(paid.tXid)).status, c.driver.statuses.paid);

        const failed = c.input('001');
        await c.create(failed);
        await c.waitStatus(failed.tXid, c.driver.statuses.failed);
        const answered = await c.driver.void(failed.tXid);
        assert.equal(answered.outcome, 'ok');
        assert.equal(answered.status, c.driver.statuses.failed);

        assert.equal((await c.driver.view(`NOPE-${c.tXid()}`)).found, false);
      });

      void test('refunds: not paid, partial, idempotent, exceeds, full; each in the ledger; no callback', async () => {
        const pending = c.input('002');
        await c.create(pending);
        assert.equal((await c.driver.refund(pending.tXid, 'r-0', 1000)).outcome, 'not-paid');
        assert.equal((await c.driver.refund(`NOPE-${c.tXid()}`, 'r-0', 1000)).outcome, 'not-found');

        const input = c.input('000', { amount: 10000 });
        await c.create(input);
        await c.waitStatus(input.tXid, c.driver.statuses.paid);
        await c.waitCallbacks(input.tXid, 1);

        const first = await c.driver.refund(input.tXid, 'r-1', 4000);
        assert.equal(first.outcome, 'ok', JSON.stringify(first.reply.body));
        assert.equal(first.refunded, 4000);
        const replay = await c.driver.refund(input.tXid, 'r-1', 4000);
        assert.deepEqual(withoutRequestId(replay.reply.body), withoutRequestId(first.reply.body), 'the same refund id → the same reply');
        let view = await c.view(input.tXid);
        assert.equal(view.status, c.driver.statuses.paid, 'a partial refund stays paid');
        assert.equal(view.refunded, 4000);

        assert.equal((await c.driver.refund(input.tXid, 'r-2', 6001)).outcome, 'exceeds');
        const rest = await c.driver.refund(input.tXid, 'r-3', 6000);
        assert.equal(rest.outcome, 'ok');
        assert.equal(rest.refunded, 10000);
        view = await c.view(input.tXid);
        assert.equal(view.status, c.driver.statuses.refunded);
        assert.equal(view.refunded, 10000);
        assert.equal((await c.driver.refund(input.tXid, 'r-4', 1)).outcome, 'exceeds');
        assert.equal((await c.driver.void(input.tXid)).outcome, 'refused');

        assert.deepEqual(
          (await c.ledger(input.tXid)).map((e) => [e.type, e.amount]),
          [
            ['charge', 10000],
            ['refund', 4000],
            ['refund', 6000],
          ],
        );
        await sleep(50);
        assert.equal(c.gw.forRef(input.tXid).length, 1, 'refunds raise no callback');
      });
    });

    void describe('checkout page', { skip: flow === 'push' ? 'a push wallet has no checkout page' : false }, () => {
      void test('log in (wrong PIN → error, right PIN → the order), Pay → 303 to the merchant, paid, callback, charge', async () => {
        const customer = `0812${String(Date.now()).slice(-5)}899`;
        const input = c.input(customer, { merchantName: 'Warung <b>Bu Sri</b>', description: 'Nasi "goreng" & teh' });
        // SNAP orders carry no merchant name: the page shows the name the wallet registered for the merchant id.
        const merchantShown = /ewallet-gateway sandbox merchant/;
        const created = await c.create(input);
        const browser = new CheckoutBrowser();

        const login = await browser.get(created.checkoutUrl);
        assert.equal(login.status, 200);
        assert.match(login.html, /<label for="phone">Phone number<\/label>/);
        assert.match(login.html, /<label for="pin">PIN<\/label>/);
        assert.ok(login.html.includes(`name="phone" type="tel" inputmode="tel" autocomplete="tel" required value="${customer}"`), 'phone pre-filled');
        assert.match(login.html, />Log in<\/button>/);
        assert.match(login.html, merchantShown);
        assert.ok(!login.html.includes('<b>Bu Sri</b>'));
        assert.match(login.html, /Rp 15\.000/);
        assert.ok(login.html.includes(brandColorOf(c.driver.wallet, world.added)), 'brand colour');
        assert.ok(!/<(link|script|img)[^>]+(src|href)=["']https?:/i.test(login.html), 'no external assets');
        assert.doesNotMatch(login.html, />Pay<\/button>/);

        const path = new URL(created.checkoutUrl).pathname;
        const wrong = await browser.post(`${created.checkoutUrl}/login`, { phone: customer, pin: '654321' });
        assert.equal(wrong.status, 200);
        assert.match(wrong.html, /role="alert">Wrong PIN/);
        assert.doesNotMatch(wrong.html, />Pay<\/button>/);
        const badPhone = await browser.post(`${created.checkoutUrl}/login`, { phone: '12345', pin: '123456' });
        assert.match(badPhone.html, /role="alert">Enter a valid phone number/);

        const early = await browser.post(`${created.checkoutUrl}/pay`);
        assert.equal(early.status, 303, 'Pay before logging in goes back to the login');
        assert.equal(early.location, path);
        assert.equal((await c.view(input.tXid)).status, c.driver.statuses.pending);

        const right = await browser.post(`${created.checkoutUrl}/login`, { phone: customer, pin: '123456' });
        assert.equal(right.status, 303);
        assert.equal(right.location, path);
        const order = await browser.get(created.checkoutUrl);
        assert.match(order.html, />Pay<\/button>/);
        assert.match(order.html, />Cancel<\/button>/);
        assert.match(order.html, merchantShown);
        assert.match(order.html, /Nasi &quot;goreng&quot; &amp; teh/);
        assert.match(order.html, /Rp 15\.000/);
        assert.ok(order.html.includes(input.tXid));

        const pay = await browser.post(`${created.checkoutUrl}/pay`);
        assert.equal(pay.status, 303);
        assert.equal(pay.location, c.driver.expectedReturn(input, 'paid'));
        assert.equal((await c.view(input.tXid)).status, c.driver.statuses.paid);
        const [cb] = await c.waitCallbacks(input.tXid, 1);
        assert.equal(cb?.status, c.driver.callbackStatuses.paid);
        assert.ok(cb?.signatureValid);
        assert.deepEqual((await c.ledger(input.tXid)).map((e) => [e.type, e.amount]), [['charge', 15000]]);

        const twice = await browser.post(`${created.checkoutUrl}/pay`);
        assert.equal(twice.status, 303);
        assert.equal(twice.location, path, 'a second Pay only shows the state');
        const done = await browser.get(created.checkoutUrl);
        assert.match(done.html, /Payment completed/);
        assert.ok(done.html.includes(`href="${escapeAttr(c.driver.expectedReturn(input, 'paid'))}">Back to merchant</a>`));
        await sleep(50);
        assert.equal((await c.ledger(input.tXid)).length, 1);
        assert.equal(c.gw.forRef(input.tXid).length, 1);
      });

      void test('Cancel → 303 to the merchant, cancelled, callback, no charge', async () => {
        const customer = `0813${String(Date.now()).slice(-5)}898`;
        const input = c.input(customer);
        const created = await c.create(input);
        const browser = new CheckoutBrowser();
        assert.equal((await browser.post(`${created.checkoutUrl}/login`, { phone: customer, pin: '123456' })).status, 303);
        const cancel = await browser.post(`${created.checkoutUrl}/cancel`);
        assert.equal(cancel.status, 303);
        assert.equal(cancel.location, c.driver.expectedReturn(input, 'cancelled'));
        const view = await c.view(input.tXid);
        assert.equal(view.status, c.driver.statuses.cancelled);
        const [cb] = await c.waitCallbacks(input.tXid, 1);
        assert.equal(cb?.status, c.driver.callbackStatuses.cancelled);
        assert.deepEqual(await c.ledger(input.tXid), []);
        const page = await browser.get(created.checkoutUrl);
        assert.match(page.html, /Payment cancelled/);
        assert.match(page.html, />Back to merchant<\/a>/);
      });

      void test('a login is good for its own payment only; unknown pages are 404; magic and expired payments show their state', async () => {
        const a = await c.create(c.input('897'));
        const b = await c.create(c.input('896'));
        const browser = new CheckoutBrowser();
        await browser.post(`${a.checkoutUrl}/login`, { phone: '081234567897', pin: '123456' });
        assert.equal((await browser.post(`${b.checkoutUrl}/pay`)).location, new URL(b.checkoutUrl).pathname, 'not logged in on b');
        assert.match((await browser.get(b.checkoutUrl)).html, />Log in<\/button>/);

        const unknown = await browser.get(`${c.sb.baseUrl}/${c.driver.key}/checkout/NOPE`);
        assert.equal(unknown.status, 404);
        assert.match(unknown.html, /Payment not found/);

        const magic = c.input('001');
        const declined = await c.create(magic);
        assert.match((await browser.get(declined.checkoutUrl)).html, /test number ending in <code>001<\/code>/);
        await c.waitStatus(magic.tXid, c.driver.statuses.failed);
        assert.match((await browser.get(declined.checkoutUrl)).html, /Payment failed/);

        const list = await browser.get(`${c.sb.baseUrl}/${c.driver.key}/checkout`);
        assert.equal(list.status, 200);
        assert.ok(list.html.includes(a.walletRef));
        assert.ok(!list.html.includes('081234567897'), 'the list masks phone numbers');
      });
    });

    void describe('faults and delivery', () => {
      void test('failNext: the next n API calls answer the outage; latencyMs; GET lists the wallet; DELETE resets it', async () => {
        try {
          const set = await c.faults({ wallet: c.driver.wallet, failNext: 2 });
          assert.equal(set.status, 200);
          const listed = ((await set.json()) as { faults: Record<string, unknown> }).faults;
          assert.deepEqual(listed[c.driver.wallet], { failNext: 2, latencyMs: 0, dropCallbacks: false });
          const input = c.input('002');
          for (let i = 0; i < 2; i++) assert.ok(c.driver.isOutage((await c.driver.create(input)).reply));
          await c.create(input);

          await c.faults({ wallet: c.driver.wallet, latencyMs: 150 });
          const started = Date.now();
          await c.view(input.tXid);
          assert.ok(Date.now() - started >= 140, 'latency applied');
          const reset = await c.faults(null);
          assert.deepEqual(((await reset.json()) as { faults: unknown }).faults, { OVO: { failNext: 0, latencyMs: 0, dropCallbacks: false } });
        } finally {
          await c.faults(null);
        }
      });

      void test('dropCallbacks drops and records them', async () => {
        try {
          await c.faults({ wallet: c.driver.wallet, dropCallbacks: true });
          const input = c.input('000');
          await c.create(input);
          await c.waitStatus(input.tXid, c.driver.statuses.paid);
          const recorded = await waitFor(async () => {
            const d = await c.deliveries(input.tXid);
            return d.length > 0 ? d : undefined;
          }, 'the dropped delivery');
          assert.match(String(recorded[0]?.error), /dropped/);
          await sleep(100);
          assert.equal(c.gw.forRef(input.tXid).length, 0);
        } finally {
          await c.faults(null);
        }
      });

      void test('a callback answered 500 is retried after 1 s with the same body (ShopeePay: sent once only); every attempt is recorded', async () => {
        c.gw.respondWith(500);
        const input = c.input('000');
        await c.create(input);
        if (!c.driver.notifyRetried) {
          const once = await waitFor(async () => ((await c.deliveries(input.tXid)).length === 1 ? c.deliveries(input.tXid) : undefined), 'the one attempt');
          assert.deepEqual(once.map((d) => [d.attempt, d.httpStatus]), [[1, 500]]);
          await sleep(1500);
          assert.equal((await c.deliveries(input.tXid)).length, 1, 'never retried');
          assert.equal(c.gw.forRef(input.tXid).length, 1);
          return;
        }
        const recorded = await waitFor(
          async () => {
            const d = await c.deliveries(input.tXid);
            return d.length === 2 ? d : undefined;
          },
          'two attempts',
          4000,
        );
        assert.deepEqual(
          recorded.map((d) => [d.attempt, d.httpStatus]),
          [
            [1, 500],
            [2, 200],
          ],
        );
        const received = c.gw.forRef(input.tXid);
        assert.equal(received.length, 2);
        assert.equal(received[0]?.rawBody, received[1]?.rawBody);
      });
    });

    specific(ctx);
  });
}

function makeContext(sb: TestSandbox, gw: RedirectGateway, driver: RedirectWalletDriver): RedirectSuiteContext {
  const view = async (tXid: string): Promise<WalletView> => {
    const v = await driver.view(tXid);
    assert.ok(v.found, `${tXid}: ${JSON.stringify(v.reply.body)}`);
    return v;
  };
  const getJson = async (path: string): Promise<Record<string, unknown>> => sb.getJson(path);
  return {
    sb,
    gw,
    driver,
    tXid: () => `IONPAYTEST05${String(Date.now()).slice(-9)}${randomBytes(2).toString('hex')}${++seq}`,
    input(phoneOrSuffix, overrides = {}) {
      const phone = phoneOrSuffix.length === 3 ? `081234567${phoneOrSuffix}` : phoneOrSuffix;
      // A fixed deadline, so the same input sent again is the same request.
      return { tXid: this.tXid(), phone, expiresAt: new Date(Date.now() + 900_000), ...overrides };
    },
    async create(input) {
      const created = await driver.create(input);
      assert.ok(created.ok, JSON.stringify(created.reply.body));
      return created;
    },
    view,
    waitStatus: (tXid, status, timeoutMs) =>
      waitFor(
        async () => {
          const v = await view(tXid);
          return v.status === status ? v : undefined;
        },
        `${tXid} to be ${status}`,
        timeoutMs,
      ),
    waitCallbacks: (tXid, count, timeoutMs) => waitFor(() => gw.forRef(tXid).length >= count && gw.forRef(tXid), `${count} callback(s) for ${tXid}`, timeoutMs),
    ledger: async (tXid) => (await getJson(`/sandbox/ledger?wallet=${driver.wallet}&merchantInvoice=${encodeURIComponent(tXid)}`)).entries as LedgerRow[],
    deliveries: async (tXid) => (await getJson(`/sandbox/callbacks?merchantInvoice=${encodeURIComponent(tXid)}`)).deliveries as DeliveryRow[],
    faults: (body) =>
      fetch(
        `${sb.baseUrl}/sandbox/faults`,
        body === null ? { method: 'DELETE' } : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      ),
  };
}

/** ShopeePay echoes each request's own `request_id`; the rest of a replayed answer is the same. */
function withoutRequestId(body: Record<string, unknown>): Record<string, unknown> {
  const { request_id: _ignored, ...rest } = body;
  return rest;
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;');
}

/**
 * What needs a sandbox of its own: state that survives a restart (payments, idempotency, magic customers,
 * expiry), `SANDBOX_PUBLIC_URL`, logs without phone numbers, the wallet's configuration and index entry.
 */
export function redirectRestartSuite(
  name: string,
  makeDriver: (sb: TestSandbox) => RedirectWalletDriver,
  flow: RedirectWalletDriver['flow'] = 'redirect',
  world: WalletWorld = walletWorld(),
): void {
  void describe(name, () => {
    void test('state survives close and reopen; a magic customer acts again; an overdue checkout expires', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'sandbox-redirect-'));
      const gw = await world.startGateway();
      let sb: TestSandbox | undefined;
      try {
        const env = { DATA_DIR: dataDir, SANDBOX_APPROVE_DELAY_MS: '200' };
        sb = await world.startSandbox(gw.baseUrl, env, { persist: true });
        let c = makeContext(sb, gw, makeDriver(sb));
        const waiting = c.input('002');
        const paying = c.input('000');
        const first = await c.create(waiting);
        await c.create(paying);
        await sb.close(); // before the 000 customer's 200 ms delay
        assert.equal(gw.received.length, 0);

        sb = await world.startSandbox(gw.baseUrl, env, { persist: true });
        c = makeContext(sb, gw, makeDriver(sb));
        assert.equal((await c.view(waiting.tXid)).status, c.driver.statuses.pending);
        const replay = await c.driver.create(waiting);
        assert.equal(replay.walletRef, first.walletRef, 'create records survive');
        await c.waitStatus(paying.tXid, c.driver.statuses.paid);
        // Delivered and recorded: closed while in flight, it would be sent again after the restart (at least once).
        await waitFor(async () => (await c.deliveries(paying.tXid)).length === 1 || undefined, 'the recorded delivery');
        await sb.close();

        const file = join(dataDir, 'sandbox-state.json');
        const state = JSON.parse(await readFile(file, 'utf8')) as { wallets: Record<string, { payments: Array<{ merchantRef: string; expiresAt: string }> }> };
        const saved = state.wallets[c.driver.key]?.payments.find((p) => p.merchantRef === waiting.tXid);
        assert.ok(saved, 'the payment is in its wallet slice');
        saved.expiresAt = new Date(Date.now() - 3600_000).toISOString();
        await writeFile(file, JSON.stringify(state));

        sb = await world.startSandbox(gw.baseUrl, env, { persist: true });
        c = makeContext(sb, gw, makeDriver(sb));
        const expired = await c.view(waiting.tXid);
        assert.equal(expired.status, c.driver.statuses.expired);
        // The port changed with the restart (port 0): the same page on the new one.
        if (flow === 'redirect') assert.match((await new CheckoutBrowser().get(`${sb.baseUrl}${new URL(first.checkoutUrl).pathname}`)).html, /Payment expired/);
        assert.equal((await c.ledger(paying.tXid)).length, 1);
        assert.equal(gw.forRef(paying.tXid).length, 1);
      } finally {
        await sb?.close();
        await gw.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    void test('009: the failed refund count survives a restart (state file): one failure before, one after, then it works', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'sandbox-redirect-'));
      const gw = await world.startGateway();
      let sb: TestSandbox | undefined;
      try {
        const env = { DATA_DIR: dataDir };
        sb = await world.startSandbox(gw.baseUrl, env, { persist: true });
        let c = makeContext(sb, gw, makeDriver(sb));
        const input = c.input('009');
        await c.create(input);
        await c.waitStatus(input.tXid, c.driver.statuses.paid);
        assert.ok(c.driver.isOutage((await c.driver.refund(input.tXid, 'r-1', 15000)).reply), 'the first failure');
        await sb.close();

        const state = JSON.parse(await readFile(join(dataDir, 'sandbox-state.json'), 'utf8')) as { wallets: Record<string, { failedRefunds?: Record<string, number> }> };
        assert.deepEqual(state.wallets[c.driver.key]?.failedRefunds, { [input.tXid]: 1 });

        sb = await world.startSandbox(gw.baseUrl, env, { persist: true });
        c = makeContext(sb, gw, makeDriver(sb));
        assert.ok(c.driver.isOutage((await c.driver.refund(input.tXid, 'r-1', 15000)).reply), 'the second failure, after the restart');
        const refund = await c.driver.refund(input.tXid, 'r-1', 15000);
        assert.equal(refund.outcome, 'ok', JSON.stringify(refund.reply.body));
        assert.equal((await c.view(input.tXid)).status, c.driver.statuses.refunded);
        assert.deepEqual(
          (await c.ledger(input.tXid)).map((e) => e.type),
          ['charge', 'refund'],
        );
      } finally {
        await sb?.close();
        await gw.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    void test('SANDBOX_PUBLIC_URL is the base of checkout URLs', { skip: flow === 'push' ? 'a push wallet hands out no URL' : false }, async () => {
      const sb = await world.startSandbox('http://127.0.0.1:9', { SANDBOX_PUBLIC_URL: 'https://pay.example.test/' });
      try {
        const c = makeContext(sb, {} as RedirectGateway, makeDriver(sb));
        const created = await c.create(c.input('899'));
        assert.ok(created.checkoutUrl.startsWith(`https://pay.example.test/${c.driver.key}/checkout/`), created.checkoutUrl);
      } finally {
        await sb.close();
      }
    });

    void test('logs never contain a full phone number', async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      });
      const gw = await world.startGateway();
      const sb = await world.startSandbox(gw.baseUrl, {}, { persist: false, logger: pino({ level: 'trace' }, sink) });
      try {
        const c = makeContext(sb, gw, makeDriver(sb));
        await c.create(c.input('081277770000'));
        const manual = c.input('6281277778899');
        const created = await c.create(manual);
        const browser = new CheckoutBrowser();
        if (flow === 'push') await browser.post(`${sb.baseUrl}/${c.driver.key}/phone/6281277778899/payments/${created.walletRef}/decline`);
        else {
          await browser.post(`${created.checkoutUrl}/login`, { phone: '6281277778899', pin: '123456' });
          await browser.post(`${created.checkoutUrl}/cancel`);
        }
        await waitFor(() => gw.received.length === 2 || undefined, 'both callbacks');
      } finally {
        await sb.close();
        await gw.close();
      }
      const log = lines.join('');
      assert.ok(log.includes('0812****0000'), 'masked phone is logged');
      for (const full of ['081277770000', '6281277778899', '81277770000', '81277778899']) assert.ok(!log.includes(full), `${full} leaked into the log`);
    });

    void test('configuration defaults, the late approval of redirect wallets, and the index page entry', async () => {
      const sb = await world.startSandbox('http://127.0.0.1:9');
      try {
        const key = makeDriver(sb).key;
        const defaults = loadSandboxConfig({});
        const upper = key.toUpperCase();
        const added = world.added;
        if (added !== undefined) {
          // A wallet a test adds has no sandbox defaults: the error names each of its variables left unset.
          const wallets = [...defaultWallets, added.descriptor];
          const variables = Object.keys(added.env);
          assert.throws(() => loadSandboxConfig({}, wallets), (e: unknown) => e instanceof SandboxConfigError && variables.every((v) => e.message.includes(v)));
          assert.equal(symmetricKeys(loadSandboxConfig(added.env, wallets), added.descriptor).clientId, added.client.clientId);
        } else if (key === 'dana') {
          // DANA is SNAP with RSA keys (test/unit/sandbox-dana.test.ts checks them); the ids are the sandbox's.
          const dana = asymmetricKeys(defaults, { callbackPath: key });
          assert.deepEqual([dana.partnerId, dana.merchantId], ['sandbox-dana-partner', 'sandbox-dana-merchant']);
          const id = `p${Date.now()}`;
          assert.equal(asymmetricKeys(loadSandboxConfig({ DANA_PARTNER_ID: id }), { callbackPath: key }).partnerId, id);
          assert.throws(() => loadSandboxConfig({ SANDBOX_DANA_PRIVATE_KEY: 'not a key' }), /SANDBOX_DANA_PRIVATE_KEY/);
        } else {
          // SNAP Direct Debit: the client and its secret, and the RSA keys (sandbox halves, PEM).
          const own = symmetricKeys(defaults, { callbackPath: key });
          assert.deepEqual([own.clientId, own.clientSecret], [`sandbox-${key}-client`, `sandbox-${key}-secret-change-me`]);
          assert.match(own.privateKey, /BEGIN PRIVATE KEY/);
          assert.match(own.partnerPublicKey, /BEGIN PUBLIC KEY/);
          assert.equal(symmetricKeys(loadSandboxConfig({ [`${upper}_CLIENT_ID`]: 'x' }), { callbackPath: key }).clientId, 'x');
          assert.throws(() => loadSandboxConfig({ [`${upper}_CLIENT_SECRET`]: 'short' }), new RegExp(`${upper}_CLIENT_SECRET`));
          assert.throws(() => loadSandboxConfig({ [`SANDBOX_${upper}_PRIVATE_KEY`]: 'not a key' }), new RegExp(`SANDBOX_${upper}_PRIVATE_KEY`));
          assert.throws(() => loadSandboxConfig({ [`SANDBOX_${upper}_PARTNER_PUBLIC_KEY`]: own.privateKey }), new RegExp(`SANDBOX_${upper}_PARTNER_PUBLIC_KEY`));
        }
        assert.equal(defaults.publicUrl, undefined);
        assert.equal(defaults.checkoutLateApproveMs, 903_000);
        assert.equal(defaults.lateApproveMs, 63_000, 'OVO keeps its own');
        assert.equal(loadSandboxConfig({ CHECKOUT_TIMEOUT_SECONDS: '10' }).checkoutLateApproveMs, 13_000);
        const both = loadSandboxConfig({ SANDBOX_LATE_APPROVE_MS: '500', CHECKOUT_TIMEOUT_SECONDS: '10' });
        assert.deepEqual([both.lateApproveMs, both.checkoutLateApproveMs], [500, 500]);
        assert.throws(() => loadSandboxConfig({ CHECKOUT_TIMEOUT_SECONDS: '-1' }), /CHECKOUT_TIMEOUT_SECONDS/);

        const index = await (await fetch(`${sb.baseUrl}/`)).text();
        assert.ok(index.includes(flow === 'push' ? `href="/${key}/phone"` : `href="/${key}/checkout"`), 'the index links the wallet');
      } finally {
        await sb.close();
      }
    });
  });
}
