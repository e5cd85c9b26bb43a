import { z } from 'zod';
import type { WalletDescriptor } from '../wallets/descriptor.js';
import { defaultWallets } from '../wallets/registry.js';
import { optional, SandboxConfigError } from './env-schema.js';
import { checkWallets, resolveWalletKeys, walletEnvShape, type WalletKeys } from './wallet-config.js';

export { SandboxConfigError } from './env-schema.js';

const port = z.coerce.number().int().min(0).max(65535);
const milliseconds = z.coerce.number().int().min(0);

/** The sandbox's own settings; each wallet's come from its descriptor (wallet-config.ts). */
const commonShape = {
  SANDBOX_HOST: optional(z.string()),
  SANDBOX_PORT: optional(port),
  API_PORT: optional(port),
  GATEWAY_BASE_URL: optional(z.url({ protocol: /^https?$/ })),
  GATEWAY_PUBLIC_URL: optional(z.url({ protocol: /^https?$/ })),
  SANDBOX_BASE_URL: optional(z.url({ protocol: /^https?$/ })),
  SANDBOX_PUBLIC_URL: optional(z.url({ protocol: /^https?$/ })),
  SHOP_IMID: optional(z.string().min(1).max(12)),
  SHOP_MERCHANT_KEY: optional(z.string().min(1)),
  SANDBOX_APPROVE_DELAY_MS: optional(milliseconds),
  /** `false`: state in memory only (the benchmark: a wallet's own bookkeeping is not the gateway's cost). */
  SANDBOX_PERSIST: optional(z.enum(['true', 'false'])),
  OVO_PUSH_TIMEOUT_SECONDS: optional(z.coerce.number().positive()),
  SANDBOX_LATE_APPROVE_MS: optional(milliseconds),
  CHECKOUT_TIMEOUT_SECONDS: optional(z.coerce.number().positive()),
  LINK_TIMEOUT_SECONDS: optional(z.coerce.number().positive()),
  DATA_DIR: optional(z.string().min(1)),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
};

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface SandboxConfig {
  readonly host: string;
  readonly port: number;
  /** Where the wallets call the gateway back (`${gatewayBaseUrl}/callbacks/<callbackPath>`); no trailing slash. */
  readonly gatewayBaseUrl: string;
  /** Where browsers reach the gateway (the shop's redirect to the payment call); no trailing slash. */
  readonly gatewayPublicUrl: string;
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  /** How long a magic-value customer takes to answer (CONTRACT §6). */
  readonly approveDelayMs: number;
  /** Whether the state is saved under DATA_DIR (default) or kept in memory only. */
  readonly persist: boolean;
  /** The gateway's push window (`OVO_PUSH_TIMEOUT_SECONDS`), only used for the next default. */
  readonly pushTimeoutSeconds: number;
  /** When the 006 customer of a push wallet (OVO) approves: after the gateway's push window. */
  readonly lateApproveMs: number;
  /**
   * `SANDBOX_PUBLIC_URL`: how browsers reach the sandbox, the base of the checkout URLs the redirect wallets hand
   * out; no trailing slash. `undefined`: the sandbox's own base URL, known per request (public-url.ts).
   */
  readonly publicUrl: string | undefined;
  /** The gateway's checkout window (`CHECKOUT_TIMEOUT_SECONDS`), only used for the next default. */
  readonly checkoutTimeoutSeconds: number;
  /** When the 006 customer of a redirect wallet pays: after the checkout timeout. */
  readonly checkoutLateApproveMs: number;
  /** An account link's window when the binding request gives none (`LINK_TIMEOUT_SECONDS`, AstraPay's `validUpTo`). */
  readonly linkTimeoutSeconds: number;
  /** The name every wallet registered for the merchant: what checkout pages show (SNAP orders carry no name). */
  readonly merchantName: string;
  /** The wallets the sandbox plays, in the registry's order: their simulators, paths, ledger names. */
  readonly wallets: readonly WalletDescriptor[];
  /** Each wallet's credentials, by its callbackPath (wallet-config.ts reads them by profile). */
  readonly walletKeys: Readonly<Record<string, WalletKeys>>;
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

function envSchema(wallets: readonly WalletDescriptor[]) {
  return z.object({ ...commonShape, ...walletEnvShape(wallets) });
}

/**
 * The sandbox's settings, from the environment, once, at start-up, for `wallets` (the registry's by default; a test
 * adds its own). Defaults match the gateway's own (domain/config.ts) so both sides agree out of the box. A bad value
 * throws, naming the variable; so does a wallet variable with no sandbox default left unset.
 */
export function loadSandboxConfig(env: NodeJS.ProcessEnv = process.env, wallets: readonly WalletDescriptor[] = defaultWallets): SandboxConfig {
  checkWallets(wallets);
  const parsed = envSchema(wallets).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SandboxConfigError(`invalid sandbox configuration: ${problems}`);
  }
  const e = parsed.data as z.infer<z.ZodObject<typeof commonShape>> & Readonly<Record<string, unknown>>;
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
    pushTimeoutSeconds,
    lateApproveMs: e.SANDBOX_LATE_APPROVE_MS ?? Math.round(pushTimeoutSeconds * 1000) + 3000,
    publicUrl: e.SANDBOX_PUBLIC_URL?.replace(/\/+$/, ''),
    checkoutTimeoutSeconds,
    checkoutLateApproveMs: e.SANDBOX_LATE_APPROVE_MS ?? Math.round(checkoutTimeoutSeconds * 1000) + 3000,
    linkTimeoutSeconds: e.LINK_TIMEOUT_SECONDS ?? 900,
    merchantName: 'ewallet-gateway sandbox merchant',
    wallets: Object.freeze([...wallets]),
    walletKeys: resolveWalletKeys(wallets, e),
    shop: Object.freeze({
      iMid: e.SHOP_IMID ?? NICEPAY_TEST_IMID,
      merchantKey: e.SHOP_MERCHANT_KEY ?? NICEPAY_TEST_MERCHANT_KEY,
      baseUrl: e.SANDBOX_BASE_URL?.replace(/\/+$/, ''),
    }),
  });
}

/** Every variable the sandbox reads with the registry's wallets (docker-compose.yml passes each one: test/unit/deploy-files.test.ts). */
export const sandboxVariables: readonly string[] = Object.keys(envSchema(defaultWallets).shape);
