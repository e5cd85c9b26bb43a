import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, signingVariables, type GatewayConfig } from '../../domain/config.js';
import { isPublishedValue, productionProblems } from '../../domain/production-check.js';
import { sandboxSecrets, type SecretVariable } from '../../domain/sandbox-secrets.js';
import type { ProcessRole } from '../../domain/wallet-settings.js';
import { snapDirectDebitWallet } from '../../wallets/module.js';
import { defaultWallets } from '../../wallets/registry.js';
import { productionEnv, productionSecrets } from '../support/production-env.js';

const b64 = (n: number) => randomBytes(n).toString('base64');

function refusal(env: Record<string, string | undefined>, role: ProcessRole = 'worker'): string {
  try {
    loadConfig(env, { role });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  assert.fail('production start was not refused');
}

function ovoOf(config: GatewayConfig) {
  const ovo = config.wallets.find((w) => w.module.mitraCd === 'OVOE');
  assert.ok(ovo, 'OVO is configured');
  return ovo.settings;
}

/** A production environment as the API's: everything but the variables that sign calls to the wallets. */
function apiProductionEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = productionEnv();
  for (const name of signingVariables) delete env[name];
  return env;
}

test('production starts with values of its own, and knows only its own merchants', () => {
  const config = loadConfig(productionEnv());
  assert.equal(config.mode, 'production');
  assert.deepEqual(config.merchants.map((m) => m.iMid), ['SHOP000001']);
  assert.equal(ovoOf(config).endpoint.baseUrl, 'https://ovo.wallet.example');
  assert.deepEqual(config.wallets.map((w) => w.settings.endpoint.baseUrl), defaultWallets.map((w) => `https://${w.configPrefix.toLowerCase()}.wallet.example`));
});

test('sandbox mode keeps the public test merchant and the sandbox defaults', () => {
  const config = loadConfig({});
  assert.equal(config.mode, 'sandbox');
  assert.ok(config.merchants.some((m) => m.iMid === 'IONPAYTEST'));
});

test('finding 1: a production start with any secret unset is refused, naming it', () => {
  for (const name of Object.keys(sandboxSecrets) as SecretVariable[]) {
    const env: Record<string, string | undefined> = productionEnv();
    delete env[name];
    assert.match(refusal(env), new RegExp(`${name} is not set`), name);
  }
});

test('finding 1: a production start with any repository sandbox value is refused, naming it', () => {
  for (const [name, value] of Object.entries(sandboxSecrets)) {
    assert.match(refusal({ ...productionEnv(), [name]: value }), new RegExp(`${name} is the repository's public sandbox value`), name);
  }
  // A published payload key hidden among fresh ones, or re-wrapped, is still published.
  assert.match(refusal({ ...productionEnv(), PAYLOAD_KEYS: `prod-2:${b64(32)}, old:${sandboxSecrets.PAYLOAD_KEYS.split(':')[1]}` }), /PAYLOAD_KEYS is the repository's public/);
  assert.match(refusal({ ...productionEnv(), PAYLOAD_KEYS: 'off' }), /PAYLOAD_KEYS is off/);
});

test('finding 1: one clear line per problem', () => {
  const env: Record<string, string | undefined> = { ...productionEnv(), OVO_CLIENT_SECRET: sandboxSecrets.OVO_CLIENT_SECRET };
  delete env.OPERATOR_TOKEN;
  const lines = refusal(env).split('\n').slice(1);
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.ok(lines.every((l) => l.startsWith('  - ')));
});

test('finding 1: a wallet base URL unset, at the sandbox or not https refuses a production start', () => {
  const unset: Record<string, string | undefined> = productionEnv();
  delete unset.OVO_BASE_URL;
  assert.match(refusal(unset), /OVO_BASE_URL is not set/);
  assert.match(refusal({ ...productionEnv(), DANA_BASE_URL: 'http://127.0.0.1:4000/dana' }), /DANA_BASE_URL points at the sandbox/);
  assert.match(refusal({ ...productionEnv(), SANDBOX_BASE_URL: 'https://sandbox.internal:8443', LINKAJA_BASE_URL: 'https://sandbox.internal:8443/linkaja' }), /LINKAJA_BASE_URL points at the sandbox/);
  assert.match(refusal({ ...productionEnv(), SHOPEEPAY_BASE_URL: 'http://shopeepay.wallet.example' }), /SHOPEEPAY_BASE_URL is not https/);
});

test('finding 1: in sandbox mode too, a wallet pointed away from the sandbox never falls back on the public secrets', () => {
  const real = { OVO_BASE_URL: 'https://api.ovo.example', OVO_CLIENT_ID: 'real', OVO_CLIENT_SECRET: 'real-secret-1234' };
  assert.throws(() => loadConfig(real), /OVO_PRIVATE_KEY/);
  const own = productionSecrets();
  const config = loadConfig({ ...real, OVO_PRIVATE_KEY: own.OVO_PRIVATE_KEY, OVO_PUBLIC_KEY: own.OVO_PUBLIC_KEY });
  const ovo = ovoOf(config);
  assert.deepEqual([ovo.credentials?.profile === 'symmetric-b2b' ? ovo.credentials.clientSecret : undefined, ovo.endpoint.publicKey], ['real-secret-1234', own.OVO_PUBLIC_KEY]);
});

test('production, role api: no signing variable is demanded, every public key, client id and base URL still is', () => {
  const config = loadConfig(apiProductionEnv(), { role: 'api' });
  assert.equal(config.mode, 'production');
  assert.ok(config.wallets.every((w) => w.settings.credentials === undefined));
  assert.equal(ovoOf(config).endpoint.publicKey, productionEnv().OVO_PUBLIC_KEY);
  // The worker, given the same environment, refuses: one line per signing variable.
  const workerRefusal = refusal(apiProductionEnv());
  for (const name of signingVariables.filter((n) => n in sandboxSecrets)) assert.match(workerRefusal, new RegExp(`${name} is not set`), name);
  assert.doesNotMatch(workerRefusal, /DANA_ORIGIN/, 'DANA_ORIGIN has a default: the public base URL\'s origin');

  for (const name of ['OVO_PUBLIC_KEY', 'OVO_CLIENT_ID', 'DANA_PUBLIC_KEY', 'DANA_MERCHANT_ID', 'SHOPEEPAY_CLIENT_ID', 'LINKAJA_PUBLIC_KEY', 'ASTRAPAY_PUBLIC_KEY', 'ASTRAPAY_BASE_URL', 'OPERATOR_TOKEN']) {
    const env = apiProductionEnv();
    delete env[name];
    const problems = refusal(env, 'api');
    assert.match(problems, new RegExp(`${name} is not set`), name);
    assert.equal(problems.split('\n').length, 2, `only ${name}: ${problems}`);
  }
  assert.match(refusal({ ...apiProductionEnv(), DANA_PUBLIC_KEY: sandboxSecrets.DANA_PUBLIC_KEY }, 'api'), /DANA_PUBLIC_KEY is the repository's public sandbox value/);
  // A signing value left in the API's environment is not read, so not refused either: the API never uses it.
  assert.doesNotThrow(() => loadConfig({ ...apiProductionEnv(), DANA_PRIVATE_KEY: sandboxSecrets.DANA_PRIVATE_KEY }, { role: 'api' }));
});

test('productionProblems: every wallet of the registry given, by the process\'s role', () => {
  const gopay = snapDirectDebitWallet({ mitraCd: 'GOPY', name: 'GoPay', flow: 'redirect', accountLinks: false, configPrefix: 'GOPAY', callbackPath: 'gopay', ledgerName: 'GOPAY', simulator: { kind: 'snap-direct-debit' } });
  const wallets = [...defaultWallets, gopay];
  assert.deepEqual(productionProblems(productionEnv(), defaultWallets, 'worker'), []);
  assert.deepEqual(productionProblems(apiProductionEnv(), defaultWallets, 'api'), []);
  const unset = (problems: string[]) => problems.map((p) => /^(\w+) is not set/.exec(p)?.[1]).filter((n) => n !== undefined);
  assert.deepEqual(unset(productionProblems(productionEnv(), wallets, 'worker')).sort(), ['GOPAY_BASE_URL', 'GOPAY_CLIENT_ID', 'GOPAY_CLIENT_SECRET', 'GOPAY_PRIVATE_KEY', 'GOPAY_PUBLIC_KEY']);
  assert.deepEqual(unset(productionProblems(productionEnv(), wallets, 'api')).sort(), ['GOPAY_BASE_URL', 'GOPAY_CLIENT_ID', 'GOPAY_PUBLIC_KEY']);
});

test('production needs the public https address wallets call back', () => {
  const unset: Record<string, string | undefined> = productionEnv();
  delete unset.PUBLIC_BASE_URL;
  assert.match(refusal(unset), /PUBLIC_BASE_URL is not set/);
  assert.match(refusal({ ...productionEnv(), PUBLIC_BASE_URL: 'http://pay.example' }), /PUBLIC_BASE_URL is not https/);
});

test('finding 2: the public test merchant cannot be configured in production', () => {
  const sandboxKey = '33F49GnCMS1mFYlGXisbUDzVf2ATWCl9k3R++d5hDd3Frmuos/XLx8XhXpe+LDYAbpGKZYSwtlyyLOtS/8aD7A==';
  assert.match(refusal({ ...productionEnv(), MERCHANTS_JSON: JSON.stringify([{ iMid: 'IONPAYTEST', merchantKey: b64(48), name: 'x' }]) }), /sandbox merchant IONPAYTEST/);
  assert.match(refusal({ ...productionEnv(), MERCHANTS_JSON: JSON.stringify([{ iMid: 'SHOP000002', merchantKey: sandboxKey, name: 'x' }]) }), /SHOP000002 uses a key published/);
  const none: Record<string, string | undefined> = productionEnv();
  delete none.MERCHANTS_JSON;
  assert.match(refusal(none), /MERCHANTS_JSON is not set/);
});

/** Every text file of the repository (tracked, or new and not ignored), with its content: what anyone can read. */
function repositoryTexts(): { readonly file: string; readonly text: string }[] {
  return execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.startsWith('node_modules/') && !/\.(png|jpg|lock|tsbuildinfo)$/.test(f) && f !== 'package-lock.json')
    .flatMap((file) => {
      try {
        return [{ file, text: readFileSync(file, 'utf8') }];
      } catch {
        return []; // deleted in the work tree
      }
    });
}

/**
 * Every value the repository gives a secret variable, anywhere (docs, compose, scripts, tests): `NAME=value`,
 * `NAME: value`, `NAME: 'value'`, `"NAME": "value"`. Interpolations and placeholders are not values.
 */
function valuesWrittenInTheRepository(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const names = Object.keys(sandboxSecrets).join('|');
  const pattern = new RegExp(`\\b(${names})["']?\\s*[:=]\\s*["'\`]?([^"'\`\\s,;)}]+)`, 'g');
  for (const { text } of repositoryTexts()) {
    for (const [, name, value] of text.matchAll(pattern)) {
      // Code, interpolations and placeholders are not values: `z.string(`, `${…}`, `b64(32`, `sandboxSecrets.X`, `<yours>`.
      if (!name || !value || value.length < 8 || /[(${}<>…]|:$/.test(value) || /^[A-Za-z_]+(\.[A-Za-z_]+)+$/.test(value)) continue;
      if (!found.has(name)) found.set(name, new Set());
      found.get(name)!.add(value);
    }
  }
  return found;
}

/** Every merchant key written in the repository (`merchantKey: '…'`, `SHOP_MERCHANT_KEY=…`). */
function merchantKeysWrittenInTheRepository(): Set<string> {
  const keys = new Set<string>();
  for (const { text } of repositoryTexts()) {
    for (const [, key] of text.matchAll(/(?:merchantKey|MERCHANT_KEY)["']?\s*[:=]\s*["'`]([^"'`\s$]{8,})["'`]/g)) if (key) keys.add(key);
  }
  return keys;
}

test('every merchant key written in the repository is refused for a production merchant', () => {
  const keys = merchantKeysWrittenInTheRepository();
  assert.ok(keys.size >= 2, [...keys].join(', '));
  for (const merchantKey of keys) {
    const env = { ...productionEnv(), MERCHANTS_JSON: JSON.stringify([{ iMid: 'SHOP000009', merchantKey, name: 'x' }]) };
    assert.match(refusal(env), /uses a key published/, merchantKey);
  }
});

test('every value the repository writes for a secret is refused in production', () => {
  const found = valuesWrittenInTheRepository();
  assert.ok(found.size > 0, 'the scan found the sandbox defaults at least');
  for (const [name, values] of found) {
    for (const value of values) {
      // Refused as published, or unusable anyway (a payload key that is not 32 bytes): never a working production secret.
      assert.throws(() => loadConfig({ ...productionEnv(), [name]: value }), (e: unknown) => e instanceof ConfigError && e.message.includes(name), `${name}=${value} is written in the repository but production would accept it: add it to domain/production-check.ts`);
    }
  }
});

test('every PEM key in the repository is refused in production, whichever variable carries it', () => {
  let keys = 0;
  for (const { file, text } of repositoryTexts()) {
    for (const [pem] of text.matchAll(/-----BEGIN ([A-Z ]*KEY)-----[\s\S]*?-----END \1-----/g)) {
      keys++;
      assert.ok(isPublishedValue(pem), `${file}: a key written in the repository that production would accept: add its fingerprint to domain/production-check.ts`);
      const variable = pem.includes('PRIVATE') ? 'DANA_PRIVATE_KEY' : 'DANA_PUBLIC_KEY';
      assert.match(refusal({ ...productionEnv(), [variable]: pem }), new RegExp(`${variable} is the repository's public`), file);
    }
  }
  assert.ok(keys >= 4, `found ${keys} keys`);
});
