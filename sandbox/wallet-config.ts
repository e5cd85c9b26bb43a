import { z } from 'zod';
import type { SimulatorSpec, WalletDescriptor } from '../wallets/descriptor.js';
import { optional, pem, SandboxConfigError } from './env-schema.js';
import { walletDefaults } from './wallet-defaults.js';

/** SNAP's symmetric profile (a B2B token, then HMAC-SHA512): the one client the wallet serves and both RSA keys, PEM. */
export interface SymmetricWalletKeys {
  readonly profile: 'symmetric-b2b';
  /** `X-CLIENT-KEY` / `X-PARTNER-ID`, and the `merchantId` of its orders. */
  readonly clientId: string;
  /** Verifies the client's HMAC-SHA512 signatures. */
  readonly clientSecret: string;
  /** Verifies the client's B2B token requests. */
  readonly partnerPublicKey: string;
  /** Signs the wallet's notifies. */
  readonly privateKey: string;
}

/** SNAP's asymmetric profile (every call SHA256withRSA, DANA): the partner and merchant it serves and both keys, PEM. */
export interface AsymmetricWalletKeys {
  readonly profile: 'asymmetric';
  readonly partnerId: string;
  readonly merchantId: string;
  /** Verifies the partner's calls. */
  readonly partnerPublicKey: string;
  /** Signs the wallet's notifies. */
  readonly privateKey: string;
}

export type WalletKeys = SymmetricWalletKeys | AsymmetricWalletKeys;
export type WalletKeyField = 'clientId' | 'clientSecret' | 'partnerId' | 'merchantId' | 'privateKey' | 'partnerPublicKey';

interface KeyField {
  /** The variable, from the wallet's configuration prefix P. */
  readonly variable: (prefix: string) => string;
  readonly schema: z.ZodType<string>;
}

const partyId = z.string().min(1).max(64);
const rsaFields = {
  privateKey: { variable: (p) => `SANDBOX_${p}_PRIVATE_KEY`, schema: pem('private') },
  partnerPublicKey: { variable: (p) => `SANDBOX_${p}_PARTNER_PUBLIC_KEY`, schema: pem('public') },
} satisfies Record<string, KeyField>;

/** The variables of each SNAP profile: the ids keep the gateway's names (`P_CLIENT_ID`), the keys are `SANDBOX_P_…`. */
const profileFields: Readonly<Record<WalletDescriptor['snapProfile'], Readonly<Partial<Record<WalletKeyField, KeyField>>>>> = {
  'symmetric-b2b': {
    clientId: { variable: (p) => `${p}_CLIENT_ID`, schema: partyId },
    clientSecret: { variable: (p) => `${p}_CLIENT_SECRET`, schema: z.string().min(8) },
    ...rsaFields,
  },
  asymmetric: {
    partnerId: { variable: (p) => `${p}_PARTNER_ID`, schema: partyId },
    merchantId: { variable: (p) => `${p}_MERCHANT_ID`, schema: partyId },
    ...rsaFields,
  },
};

/** The profile each simulator speaks: its API authenticates calls that way and no other. */
const simulatorProfile: Readonly<Record<SimulatorSpec['kind'], WalletDescriptor['snapProfile']>> = {
  ovo: 'symmetric-b2b',
  dana: 'asymmetric',
  astrapay: 'symmetric-b2b',
  'snap-direct-debit': 'symmetric-b2b',
};

/** Paths of the sandbox's own that no wallet may take. */
const reservedPaths: ReadonlySet<string> = new Set(['sandbox', 'shop', 'health', 'callbacks']);

function fieldsOf(d: WalletDescriptor): [WalletKeyField, KeyField][] {
  return Object.entries(profileFields[d.snapProfile]) as [WalletKeyField, KeyField][];
}

/** Each key field of the wallet and the variable it is read from. */
export function walletVariables(d: WalletDescriptor): Readonly<Partial<Record<WalletKeyField, string>>> {
  return Object.fromEntries(fieldsOf(d).map(([field, f]) => [field, f.variable(d.configPrefix)]));
}

/** The wallets' variables for the sandbox's environment schema: each optional here, required later unless defaulted. */
export function walletEnvShape(wallets: readonly WalletDescriptor[]): Record<string, z.ZodType> {
  return Object.fromEntries(wallets.flatMap((d) => fieldsOf(d).map(([, f]) => [f.variable(d.configPrefix), optional(f.schema)])));
}

/**
 * Refuses a list the sandbox cannot serve: no wallet, two wallets on one path, ledger name or prefix, a path outside
 * `[a-z0-9-]` or one of the sandbox's own, a simulator given a profile it does not speak.
 */
export function checkWallets(wallets: readonly WalletDescriptor[]): void {
  const problems: string[] = [];
  if (wallets.length === 0) problems.push('no wallet configured');
  for (const field of ['callbackPath', 'ledgerName', 'configPrefix', 'mitraCd'] as const) {
    const seen = new Set<string>();
    for (const d of wallets) {
      if (seen.has(d[field])) problems.push(`two wallets have the ${field} ${d[field]}`);
      seen.add(d[field]);
    }
  }
  for (const d of wallets) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(d.callbackPath) || reservedPaths.has(d.callbackPath)) problems.push(`${d.name}: callbackPath ${JSON.stringify(d.callbackPath)} cannot be a sandbox path`);
    if (!/^[A-Z][A-Z0-9_]*$/.test(d.configPrefix)) problems.push(`${d.name}: configPrefix ${JSON.stringify(d.configPrefix)} cannot start variable names`);
    if (d.ledgerName.trim() === '') problems.push(`${d.name}: empty ledgerName`);
    const speaks = simulatorProfile[d.simulator.kind];
    if (speaks !== d.snapProfile) problems.push(`${d.name}: the ${d.simulator.kind} simulator speaks the ${speaks} profile, not ${d.snapProfile}`);
  }
  if (problems.length > 0) throw new SandboxConfigError(`invalid sandbox wallets: ${problems.join('; ')}`);
}

/**
 * Every wallet's keys, by callbackPath, from the parsed environment (`walletEnvShape`) or the sandbox's defaults; a
 * wallet without defaults needs all its variables, and the error names each one missing.
 */
export function resolveWalletKeys(wallets: readonly WalletDescriptor[], env: Readonly<Record<string, unknown>>): Readonly<Record<string, WalletKeys>> {
  const missing: string[] = [];
  const keys = wallets.map((d) => {
    const defaults = walletDefaults[d.configPrefix] ?? {};
    const values = fieldsOf(d).map(([field, f]) => {
      const variable = f.variable(d.configPrefix);
      const value = env[variable] ?? defaults[field];
      if (typeof value !== 'string') missing.push(variable);
      return [field, value];
    });
    return [d.callbackPath, Object.freeze({ profile: d.snapProfile, ...Object.fromEntries(values) }) as WalletKeys] as const;
  });
  if (missing.length > 0) throw new SandboxConfigError(`invalid sandbox configuration: ${missing.join(', ')} must be set (no sandbox default)`);
  return Object.freeze(Object.fromEntries(keys));
}

type Keyed = { readonly walletKeys: Readonly<Record<string, WalletKeys>> };

/** The wallet's keys when it speaks the symmetric profile (its simulator's, checkWallets); otherwise a bug in the wiring. */
export function symmetricKeys(config: Keyed, d: Pick<WalletDescriptor, 'callbackPath'>): SymmetricWalletKeys {
  const keys = config.walletKeys[d.callbackPath];
  if (keys?.profile !== 'symmetric-b2b') throw new Error(`the wallet at /${d.callbackPath} has no symmetric-b2b keys`);
  return keys;
}

export function asymmetricKeys(config: Keyed, d: Pick<WalletDescriptor, 'callbackPath'>): AsymmetricWalletKeys {
  const keys = config.walletKeys[d.callbackPath];
  if (keys?.profile !== 'asymmetric') throw new Error(`the wallet at /${d.callbackPath} has no asymmetric keys`);
  return keys;
}
