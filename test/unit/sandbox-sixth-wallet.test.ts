import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadSandboxConfig, SandboxConfigError } from '../../sandbox/config.js';
import { defaultWallets } from '../../wallets/registry.js';
import { kasPay, kasPayClient, kasPayDescriptor } from '../support/sandbox-kaspay.js';
import { CheckoutBrowser, directDebitDriver, SnapDirectDebitTestClient, walletWorld, type RedirectGateway } from '../support/sandbox-redirect-harness.js';
import { directDebitSpecifics } from '../support/sandbox-direct-debit-suite.js';
import { redirectRestartSuite, redirectWalletSuite } from '../support/sandbox-redirect-suite.js';
import { waitFor, type TestSandbox } from '../support/sandbox-harness.js';

/** The registry's five and KasPay, added from this test alone (test/support/sandbox-kaspay.ts). */
const wallets = [...defaultWallets, kasPayDescriptor];
const world = walletWorld(kasPay);
const driver = (sb: TestSandbox) => directDebitDriver(sb, 'KASPAY', 'kaspay', { credentials: kasPayClient });

void describe('a sixth wallet from a registry entry alone (KasPay, snap-direct-debit)', () => {
  let gw: RedirectGateway;
  let sb: TestSandbox;
  before(async () => {
    gw = await world.startGateway();
    sb = await world.startSandbox(gw.baseUrl);
  });
  after(async () => {
    await sb.close();
    await gw.close();
  });

  void test('its variables derive from the prefix; without them the sandbox does not start, naming each', () => {
    const error = (() => {
      try {
        loadSandboxConfig({}, wallets);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof SandboxConfigError, String(error));
    for (const variable of ['KASPAY_CLIENT_ID', 'KASPAY_CLIENT_SECRET', 'SANDBOX_KASPAY_PRIVATE_KEY', 'SANDBOX_KASPAY_PARTNER_PUBLIC_KEY']) assert.match(error.message, new RegExp(variable));
    const { KASPAY_CLIENT_SECRET: _left, ...partial } = kasPay.env;
    assert.throws(() => loadSandboxConfig(partial, wallets), (e: unknown) => e instanceof SandboxConfigError && /KASPAY_CLIENT_SECRET/.test(e.message) && !/KASPAY_CLIENT_ID/.test(e.message));
    assert.throws(() => loadSandboxConfig({ ...kasPay.env, SANDBOX_KASPAY_PRIVATE_KEY: 'not a key' }, wallets), /SANDBOX_KASPAY_PRIVATE_KEY/);
    assert.doesNotThrow(() => loadSandboxConfig({}), 'the registry alone needs no variable');
  });

  void test('a list the sandbox cannot serve is refused at start: a path taken twice, a profile its simulator does not speak', () => {
    assert.throws(() => loadSandboxConfig(kasPay.env, [...wallets, { ...kasPayDescriptor, mitraCd: 'KAS2', ledgerName: 'KAS2', configPrefix: 'KAS2' }]), /callbackPath kaspay/);
    assert.throws(() => loadSandboxConfig(kasPay.env, [...defaultWallets, { ...kasPayDescriptor, snapProfile: 'asymmetric' }]), /snap-direct-debit simulator speaks the symmetric-b2b profile/);
    assert.throws(() => loadSandboxConfig(kasPay.env, [...defaultWallets, { ...kasPayDescriptor, callbackPath: 'sandbox' }]), /cannot be a sandbox path/);
  });

  void test('a B2B token signed with the partner key, then a payment: 200xx00 with a checkout page under /kaspay', async () => {
    const client = new SnapDirectDebitTestClient(sb.baseUrl, 'kaspay', kasPayClient);
    const token = await client.requestToken();
    assert.deepEqual([token.status, token.body.responseCode], [200, '2007300']);
    const tXid = `IONPAYTEST05KASPAY${Date.now()}`;
    const created = await client.call('/payment-host-to-host', client.order({ tXid, phone: '081234567000', notifyUrl: `${gw.baseUrl}/callbacks/kaspay` }));
    assert.deepEqual([created.status, created.body.responseCode], [200, '2005400'], JSON.stringify(created.body));
    assert.equal(created.body.webRedirectUrl, `${sb.baseUrl}/kaspay/checkout/${String(created.body.referenceNo)}`);
    assert.match(String(created.body.referenceNo), /^[1-9]\d{17}$/, "the standard's 18 digits: no referencePrefix");
    const page = await new CheckoutBrowser().get(String(created.body.webRedirectUrl));
    assert.equal(page.status, 200);
    assert.match(page.html, /KasPay/);

    // The magic 000 customer pays: one signed notify to /callbacks/kaspay, one charge in KasPay's ledger.
    const [notify] = await waitFor(() => gw.forRef(tXid).length > 0 && gw.forRef(tXid), 'the notify');
    assert.deepEqual([notify?.wallet, notify?.signatureValid, notify?.status], ['KASPAY', true, '00']);
    const ledger = (await sb.getJson(`/sandbox/ledger?wallet=KASPAY&merchantInvoice=${tXid}`)).entries as Array<{ wallet: string; type: string; amount: number }>;
    assert.deepEqual(ledger.map((e) => [e.wallet, e.type, e.amount]), [['KASPAY', 'charge', 15000]]);
  });

  void test('the control API knows it by its ledger name; an unknown name is refused, listing the known ones', async () => {
    assert.equal((await fetch(`${sb.baseUrl}/sandbox/ledger?wallet=KASPAY`)).status, 200);
    const unknown = await fetch(`${sb.baseUrl}/sandbox/ledger?wallet=NOPAY`);
    assert.equal(unknown.status, 400);
    const body = (await unknown.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'INVALID_REQUEST');
    for (const name of wallets.map((d) => d.ledgerName)) assert.match(body.error.message, new RegExp(name));
    const post = (b: unknown) => fetch(`${sb.baseUrl}/sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) });
    assert.equal((await post({ wallet: 'KASPAY', failNext: 0 })).status, 200);
    assert.equal((await post({ wallet: 'NOPAY', failNext: 1 })).status, 400);
    assert.equal((await fetch(`${sb.baseUrl}/sandbox/faults?wallet=NOPAY`, { method: 'DELETE' })).status, 400);
    assert.equal((await fetch(`${sb.baseUrl}/sandbox/faults?wallet=KASPAY`, { method: 'DELETE' })).status, 200);
  });

  void test('the index page lists it from the registry: card, API, ledger names, magic values', async () => {
    const index = await (await fetch(`${sb.baseUrl}/`)).text();
    assert.match(index, /<h3>KasPay<\/h3>/);
    assert.match(index, /href="\/kaspay\/checkout"/);
    assert.match(index, /POST \/kaspay\/v1\.0\/debit\/payment-host-to-host/);
    assert.match(index, /\?wallet=OVO\|DANA\|SHOPEEPAY\|LINKAJA\|ASTRAPAY\|KASPAY/);
    assert.match(index, /every wallet \(OVO, DANA, ShopeePay, LinkAja, AstraPay, KasPay\)/);
    const shop = await (await fetch(`${sb.baseUrl}/shop`)).text();
    assert.match(shop, /value="KASP"/);
  });
});

void test("a wallet's saved slice that does not parse starts afresh with a warning; the others and the ledger are kept", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sandbox-kaspay-'));
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const entry = { id: 'LED-1', wallet: 'KASPAY', type: 'charge', merchantInvoice: 'T1', paymentId: 'P1', amount: 15000, phoneMasked: '0812****7000', at: new Date().toISOString() };
  await writeFile(join(dataDir, 'sandbox-state.json'), JSON.stringify({ version: 2, ledger: [entry], wallets: { kaspay: { payments: 'not a list' }, linkaja: {} } }));
  const sb = await world.startSandbox('http://127.0.0.1:9', { DATA_DIR: dataDir }, { persist: true, logger: pino({ level: 'warn' }, sink) });
  try {
    assert.equal(((await sb.getJson('/sandbox/ledger?wallet=KASPAY')).entries as unknown[]).length, 1);
    const warning = lines.map((l) => JSON.parse(l) as { level: number; wallet?: string; msg: string }).find((l) => l.wallet === 'KASPAY');
    assert.equal(warning?.level, 40, lines.join(''));
    assert.match(warning.msg, /starts afresh/);
  } finally {
    await sb.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

// Every scenario the registry's Direct Debit wallets pass, KasPay passes too.
redirectWalletSuite('KasPay sandbox (SNAP Direct Debit from its descriptor)', driver, (ctx) => directDebitSpecifics('kaspay', ctx, world), 'redirect', world);
redirectRestartSuite('KasPay sandbox across restarts', driver, 'redirect', world);
