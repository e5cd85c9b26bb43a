import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { SANDBOX_ASTRAPAY_PARTNER_PUBLIC_KEY, SANDBOX_ASTRAPAY_PRIVATE_KEY } from './astrapay/sandbox-keys.js';
import { SANDBOX_DANA_MERCHANT_ID, SANDBOX_DANA_PARTNER_ID, SANDBOX_DANA_PARTNER_PUBLIC_KEY, SANDBOX_DANA_PRIVATE_KEY } from './dana/sandbox-keys.js';
import { SANDBOX_LINKAJA_PARTNER_PUBLIC_KEY, SANDBOX_LINKAJA_PRIVATE_KEY } from './linkaja/sandbox-keys.js';
import { SANDBOX_OVO_PARTNER_PUBLIC_KEY, SANDBOX_OVO_PRIVATE_KEY } from './ovo/sandbox-keys.js';
import { SANDBOX_SHOPEEPAY_PARTNER_PUBLIC_KEY, SANDBOX_SHOPEEPAY_PRIVATE_KEY } from './shopeepay/sandbox-keys.js';

/** An unset and an empty variable mean the same: use the default (so `SANDBOX_PORT=` is not port 0). */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());
}

const port = z.coerce.number().int().min(0).max(65535);
const milliseconds = z.coerce.number().int().min(0);

const envSchema = z.object({
  SANDBOX_HOST: optional(z.string()),
  SANDBOX_PORT: optional(port),
  API_PORT: optional(port),
  GATEWAY_BASE_URL: optional(z.url({ protocol: /^https?$/ })),
  GATEWAY_PUBLIC_URL: optional(z.url({ protocol: /^https?$/ })),
  SANDBOX_BASE_URL: optional(z.url({ protocol: /^https?$/ })),
  SANDBOX_PUBLIC_URL: optional(z.url({ protocol: /^https?$/ })),
  SHOP_IMID: optional(z.string().min(1).max(12)),
  SHOP_MERCHANT_KEY: optional(z.string().min(1)),
  /** OVO (SNAP Direct Debit under `/OVOSNAP`): as ShopeePay and LinkAja below. */
  OVO_CLIENT_ID: optional(z.string().min(1).max(64)),
  OVO_CLIENT_SECRET: optional(z.string().min(8)),
  SANDBOX_OVO_PRIVATE_KEY: optional(pem('private')),
  SANDBOX_OVO_PARTNER_PUBLIC_KEY: optional(pem('public')),
  SANDBOX_APPROVE_DELAY_MS: optional(milliseconds),
  /** `false`: state in memory only (the benchmark: a wallet's own bookkeeping is not the gateway's cost). */
  SANDBOX_PERSIST: optional(z.enum(['true', 'false'])),
  OVO_PUSH_TIMEOUT_SECONDS: optional(z.coerce.number().positive()),
  SANDBOX_LATE_APPROVE_MS: optional(milliseconds),
  CHECKOUT_TIMEOUT_SECONDS: optional(z.coerce.number().positive()),
  /** The one partner and merchant the sandbox DANA serves, and the keys: its own (notifies) and the partner's (calls). */
  DANA_PARTNER_ID: optional(z.string().min(1).max(64)),
  DANA_MERCHANT_ID: optional(z.string().min(1).max(64)),
  SANDBOX_DANA_PRIVATE_KEY: optional(pem('private')),
  SANDBOX_DANA_PARTNER_PUBLIC_KEY: optional(pem('public')),
  /** ShopeePay and LinkAja (SNAP Direct Debit): the client (X-PARTNER-ID, merchantId), its HMAC secret, the wallet's key (notifies), the partner's (B2B token). */
  SHOPEEPAY_CLIENT_ID: optional(z.string().min(1).max(64)),
  SHOPEEPAY_CLIENT_SECRET: optional(z.string().min(8)),
  SANDBOX_SHOPEEPAY_PRIVATE_KEY: optional(pem('private')),
  SANDBOX_SHOPEEPAY_PARTNER_PUBLIC_KEY: optional(pem('public')),
  LINKAJA_CLIENT_ID: optional(z.string().min(1).max(64)),
  LINKAJA_CLIENT_SECRET: optional(z.string().min(8)),
  SANDBOX_LINKAJA_PRIVATE_KEY: optional(pem('private')),
  SANDBOX_LINKAJA_PARTNER_PUBLIC_KEY: optional(pem('public')),
  ASTRAPAY_CLIENT_ID: optional(z.string().min(1).max(64)),
  ASTRAPAY_CLIENT_SECRET: optional(z.string().min(8)),
  SANDBOX_ASTRAPAY_PRIVATE_KEY: optional(pem('private')),
  SANDBOX_ASTRAPAY_PARTNER_PUBLIC_KEY: optional(pem('public')),
  LINK_TIMEOUT_SECONDS: optional(z.coerce.number().positive()),
  DATA_DIR: optional(z.string().min(1)),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
});

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface SandboxConfig {
  readonly host: string;
  readonly port: number;
  /** Where the wallets call the gateway back (`${gatewayBaseUrl}/callbacks/<wallet>`); no trailing slash. */
  readonly gatewayBaseUrl: string;
  /** Where browsers reach the gateway (the shop's redirect to the payment call); no trailing slash. */
  readonly gatewayPublicUrl: string;
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  /** How long a magic-value customer takes to answer (CONTRACT §6). */
  readonly approveDelayMs: number;
  /** Whether the state is saved under DATA_DIR (default) or kept in memory only. */
  readonly persist: boolean;
  /** When the 006 customer approves on OVO: after the gateway's OVO push timeout. */
  readonly lateApproveMs: number;
  /** OVO (SNAP Direct Debit); `pushTimeoutSeconds`: the gateway's OVO push window. */
  readonly ovo: SnapWalletSandboxConfig & { readonly pushTimeoutSeconds: number };
  /**
   * `SANDBOX_PUBLIC_URL`: how browsers reach the sandbox, the base of the checkout URLs the redirect wallets hand
   * out; no trailing slash. `undefined`: the sandbox's own base URL, known per request (public-url.ts).
   */
  readonly publicUrl: string | undefined;
  /** The gateway's checkout window (`CHECKOUT_TIMEOUT_SECONDS`), only used for the next default. */
  readonly checkoutTimeoutSeconds: number;
  /** When the 006 customer of a redirect wallet (DANA, ShopeePay, LinkAja) pays: after the checkout timeout. */
  readonly checkoutLateApproveMs: number;
  readonly dana: DanaSandboxConfig;
  readonly shopeepay: SnapWalletSandboxConfig;
  readonly linkaja: SnapWalletSandboxConfig;
  /** AstraPay (SNAP account binding + Direct Debit on a bound account); `linkTimeoutSeconds`: a binding's window when the request gives no `additionalInfo.validUpTo`. */
  readonly astrapay: SnapWalletSandboxConfig & { readonly linkTimeoutSeconds: number };
  /** The demo merchant shop (`/shop`): its NICEPAY credentials and how the gateway and browsers reach it. */
  readonly shop: {
    readonly iMid: string;
    readonly merchantKey: string;
    /**
     * `SANDBOX_BASE_URL`: how the gateway reaches the sandbox, the base of the shop's `dbProcessUrl`; `undefined`:
     * the sandbox's own address (its `callBackUrl` for browsers starts with `publicUrl`, see public-url.ts).
     */
    readonly baseUrl: string | undefined;
  };
}

/** NICEPAY's public sandbox merchant (CONTRACT §2): published credentials, never a production secret. */
const NICEPAY_TEST_IMID = 'IONPAYTEST';
const NICEPAY_TEST_MERCHANT_KEY = '33F49GnCMS1mFYlGXisbUDzVf2ATWCl9k3R++d5hDd3Frmuos/XLx8XhXpe+LDYAbpGKZYSwtlyyLOtS/8aD7A==';

/** A sandbox SNAP Direct Debit wallet (symmetric profile): the one client it serves, its secret and both keys, PEM. */
export interface SnapWalletSandboxConfig {
  /** `X-CLIENT-KEY` / `X-PARTNER-ID`, and the `merchantId` of its orders. */
  readonly clientId: string;
  /** Verifies the client's HMAC-SHA512 signatures. */
  readonly clientSecret: string;
  /** The name the wallet registered for the merchant: what its checkout page shows (SNAP orders carry no name). */
  readonly merchantName: string;
  /** Verifies the client's B2B token requests. */
  readonly partnerPublicKey: string;
  /** Signs the wallet's notifies. */
  readonly privateKey: string;
}

/** The sandbox DANA (SNAP, asymmetric): the partner it serves and both keys, PEM. */
export interface DanaSandboxConfig {
  readonly partnerId: string;
  readonly merchantId: string;
  /** The name DANA registered for the merchant id: what its checkout page shows (DANA's orders carry no name). */
  readonly merchantName: string;
  /** Verifies the partner's calls. */
  readonly partnerPublicKey: string;
  /** Signs DANA's finish notifies. */
  readonly privateKey: string;
}

/** A PEM key from the environment; literal `\n` escapes (one-line PEMs) are the same key. */
function pem(kind: 'private' | 'public') {
  return z
    .string()
    .transform((v) => `${v.replace(/\\n/g, '\n').replace(/\r\n?/g, '\n').trim()}\n`)
    .refine((v) => {
      try {
        if (kind === 'private') createPrivateKey(v);
        else if (v.includes('PRIVATE KEY')) return false;
        else createPublicKey(v);
        return true;
      } catch {
        return false;
      }
    }, `must be a PEM ${kind} key`);
}

export class SandboxConfigError extends Error {}

/**
 * The sandbox's settings, from the environment, once, at start-up. Defaults match the gateway's own
 * (domain/config.ts) so both sides agree out of the box. A bad value throws, naming the variable.
 */
export function loadSandboxConfig(env: NodeJS.ProcessEnv = process.env): SandboxConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SandboxConfigError(`invalid sandbox configuration: ${problems}`);
  }
  const e = parsed.data;
  const pushTimeoutSeconds = e.OVO_PUSH_TIMEOUT_SECONDS ?? 60;
  const checkoutTimeoutSeconds = e.CHECKOUT_TIMEOUT_SECONDS ?? 900;
  const gatewayBaseUrl = (e.GATEWAY_BASE_URL ?? `http://127.0.0.1:${e.API_PORT ?? 3000}`).replace(/\/+$/, '');
  return Object.freeze({
    host: e.SANDBOX_HOST ?? '127.0.0.1',
    port: e.SANDBOX_PORT ?? 4000,
    gatewayBaseUrl,
    gatewayPublicUrl: (e.GATEWAY_PUBLIC_URL ?? gatewayBaseUrl).replace(/\/+$/, ''),
    dataDir: e.DATA_DIR ?? '.data',
    logLevel: e.LOG_LEVEL ?? 'info',
    approveDelayMs: e.SANDBOX_APPROVE_DELAY_MS ?? 1000,
    persist: e.SANDBOX_PERSIST !== 'false',
    lateApproveMs: e.SANDBOX_LATE_APPROVE_MS ?? Math.round(pushTimeoutSeconds * 1000) + 3000,
    ovo: Object.freeze({
      clientId: e.OVO_CLIENT_ID ?? 'sandbox-ovo-client',
      clientSecret: e.OVO_CLIENT_SECRET ?? 'sandbox-ovo-secret-change-me',
      merchantName: 'ewallet-gateway sandbox merchant',
      partnerPublicKey: e.SANDBOX_OVO_PARTNER_PUBLIC_KEY ?? SANDBOX_OVO_PARTNER_PUBLIC_KEY,
      privateKey: e.SANDBOX_OVO_PRIVATE_KEY ?? SANDBOX_OVO_PRIVATE_KEY,
      pushTimeoutSeconds,
    }),
    publicUrl: e.SANDBOX_PUBLIC_URL?.replace(/\/+$/, ''),
    checkoutTimeoutSeconds,
    checkoutLateApproveMs: e.SANDBOX_LATE_APPROVE_MS ?? Math.round(checkoutTimeoutSeconds * 1000) + 3000,
    dana: Object.freeze({
      partnerId: e.DANA_PARTNER_ID ?? SANDBOX_DANA_PARTNER_ID,
      merchantId: e.DANA_MERCHANT_ID ?? SANDBOX_DANA_MERCHANT_ID,
      merchantName: 'ewallet-gateway sandbox merchant',
      partnerPublicKey: e.SANDBOX_DANA_PARTNER_PUBLIC_KEY ?? SANDBOX_DANA_PARTNER_PUBLIC_KEY,
      privateKey: e.SANDBOX_DANA_PRIVATE_KEY ?? SANDBOX_DANA_PRIVATE_KEY,
    }),
    shopeepay: Object.freeze({
      clientId: e.SHOPEEPAY_CLIENT_ID ?? 'sandbox-shopeepay-client',
      clientSecret: e.SHOPEEPAY_CLIENT_SECRET ?? 'sandbox-shopeepay-secret-change-me',
      merchantName: 'ewallet-gateway sandbox merchant',
      partnerPublicKey: e.SANDBOX_SHOPEEPAY_PARTNER_PUBLIC_KEY ?? SANDBOX_SHOPEEPAY_PARTNER_PUBLIC_KEY,
      privateKey: e.SANDBOX_SHOPEEPAY_PRIVATE_KEY ?? SANDBOX_SHOPEEPAY_PRIVATE_KEY,
    }),
    linkaja: Object.freeze({
      clientId: e.LINKAJA_CLIENT_ID ?? 'sandbox-linkaja-client',
      clientSecret: e.LINKAJA_CLIENT_SECRET ?? 'sandbox-linkaja-secret-change-me',
      merchantName: 'ewallet-gateway sandbox merchant',
      partnerPublicKey: e.SANDBOX_LINKAJA_PARTNER_PUBLIC_KEY ?? SANDBOX_LINKAJA_PARTNER_PUBLIC_KEY,
      privateKey: e.SANDBOX_LINKAJA_PRIVATE_KEY ?? SANDBOX_LINKAJA_PRIVATE_KEY,
    }),
    astrapay: Object.freeze({
      clientId: e.ASTRAPAY_CLIENT_ID ?? 'sandbox-astrapay-client',
      clientSecret: e.ASTRAPAY_CLIENT_SECRET ?? 'sandbox-astrapay-secret-change-me',
      merchantName: 'ewallet-gateway sandbox merchant',
      partnerPublicKey: e.SANDBOX_ASTRAPAY_PARTNER_PUBLIC_KEY ?? SANDBOX_ASTRAPAY_PARTNER_PUBLIC_KEY,
      privateKey: e.SANDBOX_ASTRAPAY_PRIVATE_KEY ?? SANDBOX_ASTRAPAY_PRIVATE_KEY,
      linkTimeoutSeconds: e.LINK_TIMEOUT_SECONDS ?? 900,
    }),
    shop: Object.freeze({
      iMid: e.SHOP_IMID ?? NICEPAY_TEST_IMID,
      merchantKey: e.SHOP_MERCHANT_KEY ?? NICEPAY_TEST_MERCHANT_KEY,
      baseUrl: e.SANDBOX_BASE_URL?.replace(/\/+$/, ''),
    }),
  });
}

/** Every variable the sandbox reads (docker-compose.yml passes each one: test/unit/deploy-files.test.ts). */
export const sandboxVariables: readonly string[] = Object.keys(envSchema.shape);
