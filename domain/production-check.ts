import { createHash } from 'node:crypto';
import { sandboxMerchant } from './merchants.js';
import { sandboxSecrets } from './sandbox-secrets.js';
import { walletVariables, type ProcessRole } from './wallet-settings.js';
import type { WalletDescriptor } from '../wallets/descriptor.js';

/**
 * Values this repository publishes besides the sandbox defaults: the sandbox wallets' own halves and the examples
 * in the docs and tests. Anyone can read them, so none may guard real money. A test (test/unit/production-check)
 * scans the repository for values given to any secret variable and fails if one is missing here.
 */
const alsoPublished: readonly string[] = [
  sandboxMerchant.merchantKey,
  // Test merchants and example secrets.
  'other-shop-merchant-key-0123456789',
  'shop-one-merchant-key-0123456789',
  'shop-two-merchant-key-0123456789',
  'real-secret-1234',
  'real-callback-secret',
];

/**
 * Keys published in this repository that the gateway does not otherwise hold (the sandbox wallets' halves, test
 * fixtures), by the SHA-256 of their key material: no second copy of a private key in the gateway's code.
 */
const publishedKeyFingerprints: readonly string[] = [
  '42fc9666fc35f2b19f92677ce136bf701fbe69ccd335eb62cf4dbf7fae30d512', // sandbox/dana/sandbox-keys.ts, SANDBOX_DANA_PRIVATE_KEY
  '3ea60011f7a70e5bbd39eeaf4ac145317b7bfdb50e63056e5cd1caf74cee1a9d', // sandbox/dana/sandbox-keys.ts, SANDBOX_DANA_PARTNER_PUBLIC_KEY
  '7467fdced15da5908878fe442a3ccba2ab3b63ba7461b658eb23be13a8f1af07', // test/unit/fixtures/snap/test-only-rsa.key
  '7ec1801f40c6dc681c22127e3058a8b997018359e10d8be576eedc57a449de40', // test/unit/fixtures/snap/test-only-rsa.pub
  '8892e80bbc7ac5a2a3d0438f8dbbbd9534aa101c9116d965d7c9f072acaa6fc3', // sandbox/shopeepay/sandbox-keys.ts, SANDBOX_SHOPEEPAY_PRIVATE_KEY
  'd3aab7894dc291d9204eded371621130c6c9c6e956b6da087b238b0931647361', // sandbox/shopeepay/sandbox-keys.ts, SANDBOX_SHOPEEPAY_PARTNER_PUBLIC_KEY
  '60104828c45d71e06329ecf06c00373665414192478db0185a883026f3f25a26', // sandbox/linkaja/sandbox-keys.ts, SANDBOX_LINKAJA_PRIVATE_KEY
  '7a54316829975247735ce67d8124944a2a8836137ba87accfdac3e7a23e1f402', // sandbox/linkaja/sandbox-keys.ts, SANDBOX_LINKAJA_PARTNER_PUBLIC_KEY
  '82e63a0c43e27850afcadd82233959cfb81c2c77bf9bfa7fbb23c2de122e2596', // sandbox/astrapay/sandbox-keys.ts, SANDBOX_ASTRAPAY_PRIVATE_KEY
  '63adf8d9d02c1d3bc79dc5803b46ce0ea8fa64ef6bb056301a3d004c955c7337', // sandbox/astrapay/sandbox-keys.ts, SANDBOX_ASTRAPAY_PARTNER_PUBLIC_KEY
  '9d4b3390dc0196adc3b42d3ab2aee04b44f9762f3d6c7db016046d0a0ae3a463', // sandbox/ovo/sandbox-keys.ts, SANDBOX_OVO_PRIVATE_KEY
  '3f0d70b58a767a4ec3faabd0ed3d8cd5794b0e5354d8723a768a375166cfc051', // sandbox/ovo/sandbox-keys.ts, SANDBOX_OVO_PARTNER_PUBLIC_KEY
];

type Env = Readonly<Record<string, string | undefined>>;

/** Whitespace and PEM armour differ between copies of one key; the key material is what must not be public. */
function canonical(value: string): string {
  return value
    .replace(/\\n/g, '\n')
    .replace(/-----(BEGIN|END)[^-]*-----/g, '')
    .replace(/\s+/g, '');
}

const fingerprint = (value: string): string => createHash('sha256').update(value).digest('hex');
const published = new Set([
  ...[...Object.values(sandboxSecrets), ...alsoPublished].flatMap((v) => [canonical(v), ...keyMaterial(v)]).map(fingerprint),
  ...publishedKeyFingerprints,
]);

/** The parts of a value that are secrets on their own: each key of a `PAYLOAD_KEYS` list, by its bytes. */
function keyMaterial(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => /^[\w.-]{1,64}:/.test(part))
    .map((part) => canonical(part.slice(part.indexOf(':') + 1)));
}

/** Whether a value is, or contains as a key, a value anyone can read in this repository. */
export function isPublishedValue(value: string): boolean {
  return published.has(fingerprint(canonical(value))) || keyMaterial(value).some((k) => published.has(fingerprint(k)));
}

/**
 * Why a production start must be refused, one line per problem (CONTRACT §1); empty when it may start.
 * `env` is what the operator set: nothing here is defaulted.
 */
export function productionProblems(env: Env, wallets: readonly WalletDescriptor[], role: ProcessRole): string[] {
  const problems: string[] = [];
  const set = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  for (const name of secretVariables(wallets, role)) {
    const value = set(name);
    if (value === undefined) problems.push(`${name} is not set: production needs a value of your own (README, "Going to production")`);
    else if (isPublishedValue(value)) problems.push(`${name} is the repository's public sandbox value: anyone could use it; set a value of your own`);
  }
  if (set('PAYLOAD_KEYS')?.trim() === 'off') problems.push('PAYLOAD_KEYS is off: production keeps payment and customer data in Temporal only encrypted');

  const sandboxOrigins = sandboxOriginsOf(env);
  for (const name of wallets.map((w) => `${w.configPrefix}_BASE_URL`)) {
    const value = set(name);
    if (value === undefined) {
      problems.push(`${name} is not set: it defaults to the sandbox wallet`);
      continue;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      continue; // the schema names the malformed URL
    }
    if (sandboxOrigins.has(url.origin)) problems.push(`${name} points at the sandbox (${url.origin}): set the wallet's own API`);
    else if (url.protocol !== 'https:') problems.push(`${name} is not https: wallet calls carry credentials and money`);
  }
  const publicBase = set('PUBLIC_BASE_URL');
  if (publicBase === undefined) problems.push('PUBLIC_BASE_URL is not set: wallets would be told to call back a loopback address');
  else if (!/^https:\/\//i.test(publicBase)) problems.push('PUBLIC_BASE_URL is not https: wallets call back there with payment results, browsers return there');
  if (set('SANDBOX_LINKS') === 'true') problems.push('SANDBOX_LINKS is true: production pages never link to the sandbox wallets');
  problems.push(...merchantProblems(set('MERCHANTS_JSON')));
  return problems;
}

/**
 * What production must set to values of its own: the gateway's secrets, and every wallet's required variables this
 * process reads (the API reads none that sign; a wallet added to the registry is checked like the others).
 */
function secretVariables(wallets: readonly WalletDescriptor[], role: ProcessRole): string[] {
  const walletVars = wallets.flatMap((w) => walletVariables(w));
  const ofWallets = new Set(walletVars.map((v) => v.name));
  const required = walletVars.filter((v) => !v.schema.safeParse(undefined).success && (role === 'worker' || !v.signing)).map((v) => v.name);
  return [...Object.keys(sandboxSecrets).filter((name) => !ofWallets.has(name)), ...required];
}

function sandboxOriginsOf(env: Env): Set<string> {
  const port = env.SANDBOX_PORT?.trim() || '4000';
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]);
  for (const name of ['SANDBOX_BASE_URL', 'SANDBOX_PUBLIC_URL']) {
    const v = env[name];
    if (!v) continue;
    try {
      origins.add(new URL(v).origin);
    } catch {
      // the schema names it
    }
  }
  return origins;
}

/** The sandbox merchant exists in sandbox mode only; production merchants come from MERCHANTS_JSON, with keys of their own. */
function merchantProblems(json: string | undefined): string[] {
  if (json === undefined) return ['MERCHANTS_JSON is not set: production has no merchant (the sandbox merchant exists in sandbox mode only)'];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return []; // the schema names it
  }
  if (!Array.isArray(raw)) return [];
  const problems: string[] = [];
  if (raw.length === 0) problems.push('MERCHANTS_JSON lists no merchant');
  for (const m of raw as { iMid?: unknown; merchantKey?: unknown }[]) {
    if (m?.iMid === sandboxMerchant.iMid) problems.push(`MERCHANTS_JSON configures the sandbox merchant ${sandboxMerchant.iMid}: it exists in sandbox mode only`);
    else if (typeof m?.merchantKey === 'string' && isPublishedValue(m.merchantKey)) problems.push(`MERCHANTS_JSON: merchant ${String(m.iMid)} uses a key published in this repository`);
  }
  return problems;
}
