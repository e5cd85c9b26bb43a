import { z } from 'zod';
import type { WalletDescriptor } from '../wallets/descriptor.js';
import { pemPrivateKey, pemPublicKey } from './pem.js';

/** Who reads a variable: every process (what verifies callbacks), or only the worker (what signs calls to the wallet). */
export type ProcessRole = 'api' | 'worker';

/** One wallet variable, named from the wallet's `configPrefix`. */
export interface WalletVariable {
  readonly name: string;
  readonly schema: z.ZodType<string | undefined, string | undefined>;
  /** Signs or authenticates the gateway's calls: the worker's alone, never given to the API. */
  readonly signing: boolean;
}

/** Public: where the wallet is, and what verifies its notifies. Every process holds it. */
export interface WalletEndpoint {
  readonly baseUrl: string;
  /** The `merchantId` the orders carry and notifies name: DANA's merchant id; the client id at a Direct Debit wallet. */
  readonly merchantId: string;
  /** PEM: verifies the wallet's notifies. */
  readonly publicKey: string;
  /** Where the wallet notifies the gateway: its public `/callbacks/<callbackPath>`. */
  readonly notifyUrl: string;
}

/** What authenticates the gateway's calls, by the wallet's SNAP profile. The worker's alone. */
export type WalletCredentials =
  | {
      readonly profile: 'symmetric-b2b';
      /** Keys the HMAC-SHA512 of every call. */
      readonly clientSecret: string;
      /** PEM: signs the B2B token requests. */
      readonly privateKey: string;
    }
  | {
      readonly profile: 'asymmetric';
      /** `X-PARTNER-ID`: the client id the wallet gave the gateway. */
      readonly partnerId: string;
      /** `ORIGIN` on every call: the merchant's site. */
      readonly origin: string;
      /** PEM: signs every call. */
      readonly privateKey: string;
    };

/** A wallet as this process knows it: its module's descriptor, endpoint, and (worker only) credentials. */
export interface WalletSettings {
  readonly endpoint: WalletEndpoint;
  readonly credentials: WalletCredentials | undefined;
}

const id = z.string().min(1).max(64);

/**
 * A wallet's variables, from its prefix P and SNAP profile: `P_BASE_URL` (default: the sandbox's `/<callbackPath>`) and
 * `P_PUBLIC_KEY`; symmetric: `P_CLIENT_ID`, `P_CLIENT_SECRET`, `P_PRIVATE_KEY`; asymmetric: `P_PARTNER_ID`,
 * `P_MERCHANT_ID`, `P_ORIGIN` (default: PUBLIC_BASE_URL's origin), `P_PRIVATE_KEY`.
 */
export function walletVariables(w: Pick<WalletDescriptor, 'configPrefix' | 'snapProfile'>): WalletVariable[] {
  const p = w.configPrefix;
  const v = (suffix: string, schema: z.ZodType<string | undefined, string | undefined>, signing = false): WalletVariable => ({ name: `${p}_${suffix}`, schema, signing });
  const common = [v('BASE_URL', z.url().optional()), v('PUBLIC_KEY', pemPublicKey)];
  return w.snapProfile === 'asymmetric'
    ? [...common, v('MERCHANT_ID', id), v('PARTNER_ID', id, true), v('ORIGIN', z.url().optional(), true), v('PRIVATE_KEY', pemPrivateKey, true)]
    : [...common, v('CLIENT_ID', id), v('CLIENT_SECRET', z.string().min(8), true), v('PRIVATE_KEY', pemPrivateKey, true)];
}

/** The zod shape of every wallet's variables a process of this role reads. */
export function walletVariableShape(wallets: readonly WalletDescriptor[], role: ProcessRole): Record<string, z.ZodType<string | undefined, string | undefined>> {
  return Object.fromEntries(
    wallets.flatMap((w) => walletVariables(w)).filter((v) => role === 'worker' || !v.signing).map((v) => [v.name, v.schema]),
  );
}

/** Builds one wallet's settings from the parsed variables (`vars`: name → value). */
export function walletSettingsOf(
  w: WalletDescriptor,
  vars: Readonly<Record<string, unknown>>,
  at: { readonly sandboxBaseUrl: string; readonly publicBaseUrl: string },
  role: ProcessRole,
): WalletSettings {
  const get = (suffix: string): string | undefined => {
    const value = vars[`${w.configPrefix}_${suffix}`];
    return typeof value === 'string' ? value : undefined;
  };
  const must = (suffix: string): string => {
    const value = get(suffix);
    if (value === undefined) throw new Error(`${w.configPrefix}_${suffix} is missing after validation`);
    return value;
  };
  const endpoint: WalletEndpoint = {
    baseUrl: get('BASE_URL') ?? `${at.sandboxBaseUrl}/${w.callbackPath}`,
    merchantId: must(w.snapProfile === 'asymmetric' ? 'MERCHANT_ID' : 'CLIENT_ID'),
    publicKey: must('PUBLIC_KEY'),
    notifyUrl: `${at.publicBaseUrl}/callbacks/${w.callbackPath}`,
  };
  if (role === 'api') return { endpoint, credentials: undefined };
  const credentials: WalletCredentials =
    w.snapProfile === 'asymmetric'
      ? { profile: 'asymmetric', partnerId: must('PARTNER_ID'), origin: get('ORIGIN') ?? new URL(at.publicBaseUrl).origin, privateKey: must('PRIVATE_KEY') }
      : { profile: 'symmetric-b2b', clientSecret: must('CLIENT_SECRET'), privateKey: must('PRIVATE_KEY') };
  return { endpoint, credentials };
}
