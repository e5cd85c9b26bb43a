import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig, type GatewayConfig } from '../../domain/config.js';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';
import { loadSandboxConfig } from '../../sandbox/config.js';
import { asymmetricKeys } from '../../sandbox/wallet-config.js';

const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const oneLine = (pem: string): string => pem.trim().replace(/\n/g, '\\n');

/** DANA's settings in a worker's configuration, flattened as the old `config.dana` was: endpoint and (asymmetric) credentials. */
function danaOf(config: GatewayConfig) {
  const wallet = config.wallets.find((w) => w.module.mitraCd === 'DANA');
  assert.ok(wallet, 'DANA is configured');
  const { endpoint, credentials } = wallet.settings;
  assert.ok(credentials?.profile === 'asymmetric', 'a worker holds DANA\'s asymmetric credentials');
  return { ...endpoint, partnerId: credentials.partnerId, origin: credentials.origin, privateKey: credentials.privateKey };
}

test('DANA in sandbox mode: the sandbox ids and key pair, the notify URL on the public base URL, ORIGIN its origin', () => {
  const c = danaOf(loadConfig({ API_PORT: '3999' }));
  assert.deepEqual([c.baseUrl, c.partnerId, c.merchantId], ['http://127.0.0.1:4000/dana', 'sandbox-dana-partner', 'sandbox-dana-merchant']);
  assert.equal(c.privateKey, sandboxSecrets.DANA_PRIVATE_KEY);
  assert.equal(c.publicKey, sandboxSecrets.DANA_PUBLIC_KEY);
  assert.deepEqual([c.notifyUrl, c.origin], ['http://127.0.0.1:3999/callbacks/dana', 'http://127.0.0.1:3999']);
  const behind = danaOf(loadConfig({ PUBLIC_BASE_URL: 'https://pay.example.com/gw/', DANA_ORIGIN: 'https://shop.example.com' }));
  assert.deepEqual([behind.notifyUrl, behind.origin], ['https://pay.example.com/gw/callbacks/dana', 'https://shop.example.com']);
});

test('PEM variables: one line with literal \\n escapes is the same key; a wrong kind of key is refused, naming the variable', () => {
  const c = danaOf(loadConfig({ DANA_PRIVATE_KEY: oneLine(privatePem), DANA_PUBLIC_KEY: oneLine(publicPem) }));
  assert.equal(c.privateKey, privatePem);
  assert.equal(c.publicKey, publicPem);
  assert.throws(() => loadConfig({ DANA_PRIVATE_KEY: 'not a key' }), (e: unknown) => e instanceof ConfigError && /DANA_PRIVATE_KEY/.test(e.message));
  assert.throws(() => loadConfig({ DANA_PRIVATE_KEY: publicPem }), /DANA_PRIVATE_KEY/);
  assert.throws(() => loadConfig({ DANA_PUBLIC_KEY: privatePem }), /DANA_PUBLIC_KEY/, 'a private key where the public one belongs');
});

test('DANA pointed at DANA itself: no sandbox value is a default, every one must be set', () => {
  assert.throws(
    () => loadConfig({ DANA_BASE_URL: 'https://api.sandbox.dana.id' }),
    (e: unknown) => e instanceof ConfigError && ['DANA_PARTNER_ID', 'DANA_MERCHANT_ID', 'DANA_PRIVATE_KEY', 'DANA_PUBLIC_KEY'].every((v) => e.message.includes(v)),
  );
  // Made up here, never written down: a secret's value in the repository would be a published one.
  const id = String(Date.now());
  const own = danaOf(
    loadConfig({
      DANA_BASE_URL: 'https://api.sandbox.dana.id',
      DANA_PARTNER_ID: id,
      DANA_MERCHANT_ID: `${id}01`,
      DANA_PRIVATE_KEY: privatePem,
      DANA_PUBLIC_KEY: publicPem,
    }),
  );
  assert.deepEqual([own.baseUrl, own.partnerId, own.merchantId], ['https://api.sandbox.dana.id', id, `${id}01`]);
});

test('the sandbox DANA: its own copies of the sandbox values; its keys from the environment, escapes accepted', () => {
  const d = asymmetricKeys(loadSandboxConfig({}), { callbackPath: 'dana' });
  assert.deepEqual([d.partnerId, d.merchantId], [sandboxSecrets.DANA_PARTNER_ID, sandboxSecrets.DANA_MERCHANT_ID]);
  const mid = `m${Date.now()}`;
  const custom = asymmetricKeys(loadSandboxConfig({ SANDBOX_DANA_PRIVATE_KEY: oneLine(privatePem), SANDBOX_DANA_PARTNER_PUBLIC_KEY: oneLine(publicPem), DANA_MERCHANT_ID: mid }), { callbackPath: 'dana' });
  assert.deepEqual([custom.privateKey, custom.partnerPublicKey, custom.merchantId], [privatePem, publicPem, mid]);
  assert.throws(() => loadSandboxConfig({ SANDBOX_DANA_PARTNER_PUBLIC_KEY: privatePem }), /SANDBOX_DANA_PARTNER_PUBLIC_KEY/);
});

test('the API\'s DANA: the notify verification values only; DANA_PARTNER_ID, DANA_ORIGIN and DANA_PRIVATE_KEY are not read', () => {
  const env = { API_PORT: '3999', DANA_PARTNER_ID: 'x'.repeat(65), DANA_ORIGIN: 'not a url', DANA_PRIVATE_KEY: 'not a key' };
  assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && ['DANA_PARTNER_ID', 'DANA_ORIGIN', 'DANA_PRIVATE_KEY'].every((v) => e.message.includes(v)));
  const wallet = loadConfig(env, { role: 'api' }).wallets.find((w) => w.module.mitraCd === 'DANA');
  assert.deepEqual(wallet?.settings, {
    endpoint: { baseUrl: 'http://127.0.0.1:4000/dana', merchantId: sandboxSecrets.DANA_MERCHANT_ID, publicKey: sandboxSecrets.DANA_PUBLIC_KEY, notifyUrl: 'http://127.0.0.1:3999/callbacks/dana' },
    credentials: undefined,
  });
  // Pointed at DANA itself: the API needs DANA's public key and our merchant id, never the gateway's signing values.
  const id = String(Date.now());
  const api = loadConfig({ DANA_BASE_URL: 'https://api.sandbox.dana.id', DANA_MERCHANT_ID: id, DANA_PUBLIC_KEY: publicPem }, { role: 'api' });
  assert.equal(api.wallets.find((w) => w.module.mitraCd === 'DANA')?.settings.endpoint.merchantId, id);
  assert.throws(() => loadConfig({ DANA_BASE_URL: 'https://api.sandbox.dana.id', DANA_MERCHANT_ID: id }, { role: 'api' }), (e: unknown) => e instanceof ConfigError && /DANA_PUBLIC_KEY/.test(e.message) && !/DANA_PRIVATE_KEY|DANA_PARTNER_ID/.test(e.message));
});
