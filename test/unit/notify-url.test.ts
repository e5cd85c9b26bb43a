/**
 * Notification destinations at registration (issue 22, finding 9): a `dbProcessUrl` the worker would refuse to notify
 * is refused at once with 9001 naming the field. Host names are not resolved here (the send-time guard does that).
 * The API runs with stub engine clients (test/support/stub-api.ts); nothing is notified.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, type GatewayConfig } from '../../domain/config.js';
import { merchantToken } from '../../domain/merchant-token.js';
import { startStubApi } from '../support/stub-api.js';

const production = (c: GatewayConfig): GatewayConfig => ({ ...c, mode: 'production' });

test('production: a dbProcessUrl at a literal non-public address or localhost is refused with 9001 naming the field', async () => {
  const api = await startStubApi({}, production);
  try {
    for (const [url, says] of [
      ['http://10.0.0.5/notify', 'notification address 10.0.0.5 is not public (private, 10.0.0.0/8)'],
      ['http://127.0.0.1:4000/sandbox/merchant/notify', 'notification address 127.0.0.1 is not public (loopback, 127.0.0.0/8)'],
      ['http://169.254.169.254/latest/meta-data/', 'notification address 169.254.169.254 is not public (link-local, 169.254.0.0/16)'],
      ['http://[::ffff:192.168.0.1]/notify', 'notification address ::ffff:c0a8:1 is not public (private, 192.168.0.0/16 (IPv4-mapped))'],
      ['http://[fd00::1]/notify', 'notification address fd00::1 is not public (unique-local, fc00::/7)'],
      ['http://localhost:8080/notify', 'notification host localhost is not public (loopback)'],
    ] as const) {
      const reply = await api.client.register('081200000000', { dbProcessUrl: url });
      assert.deepEqual([reply.resultCd, reply.resultMsg], ['9001', `Invalid dbProcessUrl: ${says}`], url);
    }
    // Field checks come before the token's (CONTRACT §2): a wrong token does not hide the field.
    const wrongToken = await api.client.register('081200000000', { dbProcessUrl: 'http://10.0.0.5/notify', merchantToken: 'a'.repeat(64) });
    assert.equal(wrongToken.resultCd, '9001');
    // The account-link calls carry a dbProcessUrl too.
    const link = await api.client.post('/nicepay/api/linkEnable.do', api.client.linkEnableFields('081200000000', { dbProcessUrl: 'http://192.168.1.10/notify' }));
    assert.deepEqual([link.body.resultCd, link.body.resultMsg], ['9001', 'Invalid dbProcessUrl: notification address 192.168.1.10 is not public (private, 192.168.0.0/16)']);
    const initiate = await api.client.post('/nicepay/api/linkInitiate.do', api.client.linkInitiateFields('MANDATE1', { dbProcessUrl: 'http://127.0.0.1/notify' }));
    assert.equal(initiate.body.resultCd, '9001', initiate.body.resultMsg);
    assert.equal(api.registrations(), 0, 'nothing was registered');

    // A host name is accepted here: where it points is checked when notifying.
    const ok = await api.client.register('081200000000', { dbProcessUrl: 'https://merchant.example/notify' });
    assert.equal(ok.resultCd, '0000', ok.resultMsg);
  } finally {
    await api.close();
  }
});

test('sandbox: loopback and localhost are accepted (tests, demo shop); link-local is not', async () => {
  const api = await startStubApi({});
  try {
    for (const url of ['http://127.0.0.1:4000/shop/notify', 'http://localhost:4000/shop/notify']) {
      const reply = await api.client.register('081200000000', { dbProcessUrl: url });
      assert.equal(reply.resultCd, '0000', `${url}: ${reply.resultMsg}`);
    }
    const metadata = await api.client.register('081200000000', { dbProcessUrl: 'http://169.254.169.254/latest' });
    assert.deepEqual([metadata.resultCd, metadata.resultMsg], ['9001', 'Invalid dbProcessUrl: notification address 169.254.169.254 is not public (link-local, 169.254.0.0/16)']);
  } finally {
    await api.close();
  }
});

test("a merchant with notifyHosts (MERCHANTS_JSON) registers only dbProcessUrls on those hosts", async () => {
  const merchant = { iMid: 'SHOP000001', merchantKey: 'k'.repeat(32), name: 'Toko Satu', mitraCds: ['OVOE'], notifyHosts: ['shop.example', 'Hooks.Example'] };
  const api = await startStubApi({ MERCHANTS_JSON: JSON.stringify([merchant]) });
  const register = (dbProcessUrl: string) => {
    const fields = api.client.registrationFields('081200000000', { iMid: merchant.iMid, dbProcessUrl });
    fields.merchantToken = merchantToken(String(fields.timeStamp), merchant.iMid, String(fields.referenceNo), String(fields.amt), merchant.merchantKey);
    return api.client.post('/nicepay/direct/v2/registration', fields);
  };
  try {
    for (const url of ['https://shop.example/notify', 'https://hooks.example:8443/n']) {
      const { body } = await register(url);
      assert.equal(body.resultCd, '0000', `${url}: ${body.resultMsg}`);
    }
    const { body } = await register('https://attacker.example/notify');
    assert.deepEqual([body.resultCd, body.resultMsg], ['9001', "Invalid dbProcessUrl: notification host attacker.example is not in the merchant's notifyHosts"]);
  } finally {
    await api.close();
  }
});

test('notifyHosts in MERCHANTS_JSON is optional, and when given a non-empty list of host names', () => {
  const base = { iMid: 'SHOP000001', merchantKey: 'k'.repeat(32), name: 'Toko Satu', mitraCds: ['OVOE'] };
  const find = (json: object[]) => loadConfig({ MERCHANTS_JSON: JSON.stringify(json) }).merchants.find((m) => m.iMid === base.iMid);
  assert.equal(find([base])?.notifyHosts, undefined);
  assert.deepEqual(find([{ ...base, notifyHosts: ['shop.example'] }])?.notifyHosts, ['shop.example']);
  for (const notifyHosts of [[], [''], 'shop.example']) {
    assert.throws(() => find([{ ...base, notifyHosts }]), (e: unknown) => e instanceof ConfigError && /MERCHANTS_JSON/.test(e.message), JSON.stringify(notifyHosts));
  }
});
