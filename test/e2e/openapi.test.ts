import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createApp } from '../../api/app.js';
import { LinksClient } from '../../api/links-client.js';
import { PaymentsClient } from '../../api/payments-client.js';
import type { JsonSchema } from '../../api/openapi/json-schema.js';
import { MerchantDirectory } from '../../domain/merchants.js';
import { sandboxMerchant } from '../../domain/merchants.js';
import { tokens } from '../../domain/merchant-token.js';
import { nicepayTimestamp } from '../../domain/nicepay-time.js';
import { createLogger } from '../../platform/logger.js';
import { WalletCatalog } from '../../wallets/catalog.js';
import { chromiumMissing, inCi, launchChromium, screenshot, waitForText } from '../support/browser.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { waitFor, type Fields, type Reply } from '../support/nicepay-client.js';

type Operation = {
  parameters?: { name: string; in: string; example?: string | number }[];
  requestBody?: { content: Record<string, { examples: Record<string, { value: Fields }> }> };
};
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: ExpressLayer[] };
  rawPath?: unknown;
}

/** Every route the Express app serves, found by walking its router stack (Express 5: `app.router.stack`). */
function servedRoutes(stack: readonly ExpressLayer[], prefix = ''): { method: string; path: string }[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods).filter((m) => layer.route?.methods[m] && m !== '_all').map((method) => ({ method, path: prefix + layer.route!.path }));
    }
    if (layer.handle.stack && typeof layer.rawPath === 'string') return servedRoutes(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : layer.rawPath));
    return [];
  });
}

const { iMid, merchantKey } = sandboxMerchant;
const unique = (prefix: string) => `${prefix}${randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** The documented OpenAPI document, fetched from the live gateway, and its reply schemas as validators. */
describe('OpenAPI document at /docs, against the live routes', () => {
  const e2e = useE2eStack();

  async function documentAndValidator() {
    const res = await fetch(`${e2e.stack.apiUrl}/docs/openapi.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const doc = (await res.json()) as OpenApiDocument;
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    addFormats.default(ajv);
    ajv.addKeyword({ keyword: 'components' });
    ajv.addSchema({ $id: 'openapi.json', components: doc.components });
    /** The reply validates against the documented schema `name` (no field missing, none undocumented). */
    const checkReply = (name: string, reply: unknown) => {
      const validate = ajv.getSchema(`openapi.json#/components/schemas/${name}`);
      assert.ok(validate, `schema ${name} documented`);
      assert.ok(validate(reply), `${name}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(reply)}`);
    };
    /** The documented JSON example of a POST route. */
    const example = (path: string): Fields => {
      const value = doc.paths[path]?.post?.requestBody?.content['application/json']?.examples.sandbox?.value;
      assert.ok(value, `an example for POST ${path}`);
      return value;
    };
    return { doc, checkReply, example };
  }

  test('(a) every route the app serves under /nicepay (and /health) is documented, and nothing else', async () => {
    const { doc } = await documentAndValidator();
    const { config } = e2e.stack;
    const app = createApp({
      config,
      merchants: new MerchantDirectory(config.merchants),
      wallets: new WalletCatalog(config.wallets),
      payments: new PaymentsClient(e2e.stack.client),
      links: new LinksClient(e2e.stack.client),
      health: () => Promise.resolve({ ok: true, temporal: 'ok', workers: 1 }),
      logger: createLogger('openapi-test', 'silent'),
    });
    const routes = servedRoutes((app as unknown as { router: { stack: ExpressLayer[] } }).router.stack)
      .filter((r) => r.path.startsWith('/nicepay/') || r.path === '/health')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    assert.ok(routes.length >= 14, `found the app's routes: ${routes.join(', ')}`);
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
    assert.deepEqual([...new Set(routes)].sort(), documented.sort());
  });

  test('(b) every example, freshly signed, succeeds on the live stack and its reply matches the documented schema', async () => {
    const { checkReply, example, doc } = await documentAndValidator();
    const post = async (path: string, fields: Fields) => (await e2e.client.post(path, fields)).body;
    const urls = { dbProcessUrl: e2e.client.dbProcessUrl, callBackUrl: e2e.client.callBackUrl };
    const ok = (reply: Reply, what: string) => assert.equal(reply.resultCd, '0000', `${what}: ${reply.resultMsg}`);

    const registered = async () => {
      const timeStamp = nicepayTimestamp(new Date());
      const fields: Fields = { ...example('/nicepay/direct/v2/registration'), ...urls, timeStamp, referenceNo: unique('ORD') };
      fields.merchantToken = tokens.registration({ timeStamp, iMid, referenceNo: String(fields.referenceNo), amt: fields.amt ?? '', merchantKey });
      const reply = await post('/nicepay/direct/v2/registration', fields);
      ok(reply, 'registration');
      checkReply('RegistrationReply', reply);
      return reply;
    };
    const paymentToken = (reg: Reply, timeStamp: string) => tokens.payment({ timeStamp, iMid, referenceNo: reg.referenceNo ?? '', amt: reg.amt ?? '', merchantKey });

    // Registration, payment (POST), inquiry, cancel.
    const reg = await registered();
    let timeStamp = nicepayTimestamp(new Date());
    const paid = await post('/nicepay/direct/v2/payment', { ...example('/nicepay/direct/v2/payment'), callBackUrl: urls.callBackUrl, timeStamp, tXid: reg.tXid ?? '', merchantToken: paymentToken(reg, timeStamp) });
    ok(paid, 'payment');
    checkReply('PaymentReply', paid);

    timeStamp = nicepayTimestamp(new Date());
    const inquiry = await post('/nicepay/direct/v2/inquiry', {
      ...example('/nicepay/direct/v2/inquiry'), timeStamp, tXid: reg.tXid ?? '', referenceNo: reg.referenceNo ?? '', amt: reg.amt ?? '',
      merchantToken: tokens.inquiry({ timeStamp, iMid, referenceNo: reg.referenceNo ?? '', amt: reg.amt ?? '', merchantKey }),
    });
    ok(inquiry, 'inquiry');
    checkReply('InquiryReply', inquiry);

    timeStamp = nicepayTimestamp(new Date());
    const cancelExample = example('/nicepay/direct/v2/cancel');
    const cancel = await post('/nicepay/direct/v2/cancel', { ...cancelExample, timeStamp, tXid: reg.tXid ?? '', merchantToken: tokens.cancel({ timeStamp, iMid, tXid: reg.tXid ?? '', amt: cancelExample.amt ?? '', merchantKey }) });
    ok(cancel, 'cancel');
    checkReply('CancelReply', cancel);

    // Payment by GET, its query string from the documented parameters.
    const second = await registered();
    timeStamp = nicepayTimestamp(new Date());
    const query = new URLSearchParams();
    for (const p of doc.paths['/nicepay/direct/v2/payment']?.get?.parameters ?? []) if (p.example !== undefined) query.set(p.name, String(p.example));
    query.set('timeStamp', timeStamp);
    query.set('tXid', second.tXid ?? '');
    query.set('callBackUrl', urls.callBackUrl);
    query.set('merchantToken', paymentToken(second, timeStamp));
    const got = (await (await fetch(`${e2e.stack.apiUrl}/nicepay/direct/v2/payment?${query.toString()}`)).json()) as Reply;
    ok(got, 'payment (GET)');
    checkReply('PaymentReply', got);

    // AstraPay: link (the example's phone registers by itself), status, pay on the link, unlink.
    const linkExample = example('/nicepay/api/linkEnable.do');
    const linkRef = unique('LNK');
    const enabled = await post('/nicepay/api/linkEnable.do', {
      ...linkExample, ...urls, timeStamp: nicepayTimestamp(new Date()), referenceNo: linkRef,
      merchantToken: tokens.linkEnable({ iMid, referenceNo: linkRef, billingPhone: String(linkExample.billingPhone), merchantKey }),
    });
    ok(enabled, 'linkEnable');
    checkReply('LinkEnableReply', enabled);
    const mandateID = enabled.mandateID ?? '';
    assert.equal(mandateID, example('/nicepay/api/linkInquiry.do').mandateID, 'the documented mandateID is the sandbox customer\'s real one');

    const linkCall = async (path: string) => {
      const ts = nicepayTimestamp(new Date());
      return post(path, { ...example(path), timeStamp: ts, mandateID, merchantToken: tokens.linkInquiry({ timeStamp: ts, iMid, mandateID, merchantKey }) });
    };
    const active = await waitFor(async () => {
      const r = await linkCall('/nicepay/api/linkInquiry.do');
      return r.linkStatus === 'ACTIVE' && r;
    }, 'the link to become ACTIVE');
    ok(active, 'linkInquiry');
    checkReply('LinkStatusReply', active);

    const payRef = unique('ORD');
    const initiateExample = example('/nicepay/api/linkInitiate.do');
    const initiated = await post('/nicepay/api/linkInitiate.do', {
      ...initiateExample, ...urls, timeStamp: nicepayTimestamp(new Date()), mandateID, referenceNo: payRef,
      merchantToken: tokens.linkInitiate({ iMid, referenceNo: payRef, amt: initiateExample.amt ?? '', merchantKey }),
    });
    ok(initiated, 'linkInitiate');
    checkReply('LinkInitiateReply', initiated);

    const disabled = await linkCall('/nicepay/api/linkDisable.do');
    ok(disabled, 'linkDisable');
    checkReply('LinkStatusReply', disabled);
    assert.equal(disabled.linkStatus, 'DISABLED');

    // An error reply matches the documented ErrorReply.
    const refused = await post('/nicepay/direct/v2/inquiry', { ...example('/nicepay/direct/v2/inquiry'), merchantToken: '0'.repeat(64) });
    assert.notEqual(refused.resultCd, '0000');
    checkReply('ErrorReply', refused);

    const health = await (await fetch(`${e2e.stack.apiUrl}/health`)).json();
    checkReply('HealthReply', health);
  });

  test('(c) /docs answers an HTML viewer that loads the document and its assets locally', async () => {
    const res = await fetch(`${e2e.stack.apiUrl}/docs`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    assert.match(html, /\/docs\/openapi\.json/);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '').filter((u) => u.startsWith('/docs/'));
    assert.ok(assets.length >= 3, 'stylesheet and scripts from the gateway, not a CDN');
    assert.doesNotMatch(html, /https?:\/\//, 'nothing from the internet');
    for (const asset of assets) assert.equal((await fetch(`${e2e.stack.apiUrl}${asset}`)).status, 200, asset);
  });

  const missing = chromiumMissing();
  test('(c) in Chromium, the viewer shows every NICEPAY route', { skip: missing !== undefined && !inCi ? missing : false }, async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${e2e.stack.apiUrl}/docs`);
      await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
      const shown = await page.locator('.opblock-summary-path').allTextContents();
      for (const path of ['/nicepay/direct/v2/registration', '/nicepay/direct/v2/payment', '/nicepay/direct/v2/inquiry', '/nicepay/direct/v2/cancel', '/nicepay/api/linkEnable.do', '/nicepay/api/linkInitiate.do']) {
        assert.ok(shown.some((s) => s.replace(/\u200b/g, '') === path), `${path} shown: ${shown.join(', ')}`);
      }
      await screenshot(page, 'openapi', 'docs');
      // Opened: the registration call shows its description (token formula) and its signed example.
      await page.locator('#operations-Payments-registration .opblock-summary-control').click();
      const opened = page.locator('#operations-Payments-registration');
      await waitForText(opened, /timeStamp \+ iMid \+ referenceNo \+ amt \+ merchantKey/, 'the token formula');
      await waitForText(opened, /"iMid": "IONPAYTEST"/, 'the signed example');
      await screenshot(page, 'openapi', 'registration');
    } finally {
      await browser.close();
    }
  });
});
