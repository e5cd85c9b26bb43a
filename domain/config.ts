import { z } from 'zod';
import { sandboxMerchant, type Merchant } from './merchants.js';
import { productionProblems } from './production-check.js';
import { sandboxSecrets } from './sandbox-secrets.js';
import { walletSettingsOf, walletVariableShape, walletVariables, type ProcessRole, type WalletSettings } from './wallet-settings.js';
import { defaultWallets } from '../wallets/registry.js';
import type { WalletModule } from '../wallets/module.js';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().positive();
const count = z.coerce.number().int().positive();

const merchantSchema = z.object({
  iMid: z.string().regex(/^[A-Za-z0-9]{1,10}$/, "an iMid is 1 to 10 letters or digits"),
  merchantKey: z.string().min(16),
  name: z.string().min(1),
  /** Default: every wallet the gateway serves. */
  mitraCds: z.array(z.string().min(1).max(4)).optional(),
  /** The only host names its notifications may go to (optional; domain/public-address.ts). */
  notifyHosts: z.array(z.string().min(1).max(253)).min(1).optional(),
});

/**
 * Every setting the gateway reads, from the environment, once, at start-up (CONTRACT §1).
 * Defaults are the sandbox's; a bad value stops start-up with a message naming the variable.
 */
const envSchema = z.object({
  /**
   * `sandbox` (npm start, tests): the repository's public sandbox values are the defaults. `production` (Dockerfile,
   * compose): every secret must be set to a value of your own, and start-up refuses anything else (CONTRACT §1).
   */
  GATEWAY_MODE: z.enum(['sandbox', 'production']).default('sandbox'),
  /** The operations listener (`/ops/*`, `/metrics`): never the API's public one (CONTRACT §1). */
  OPS_HOST: z.string().default('127.0.0.1'),
  OPS_PORT: port.default(3001),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port.default(3000),
  /** Requests in flight at once per router (NICEPAY calls, wallet callbacks); more are answered "busy, retry". */
  API_MAX_IN_FLIGHT: count.default(128),
  /** How long a client has to send its whole body once its headers are in; then it is answered and disconnected. */
  API_BODY_TIMEOUT_MS: count.default(5_000),
  SANDBOX_HOST: z.string().default('127.0.0.1'),
  SANDBOX_PORT: port.default(4000),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_UI_PORT: port.default(8233),
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How browsers and wallets reach the API; defaults to the local listener. */
  PUBLIC_BASE_URL: z.url().optional(),
  /** Where the wallet providers are; defaults to the sandbox. */
  SANDBOX_BASE_URL: z.url().optional(),
  /** How browsers reach the sandbox's customer pages (defaults to SANDBOX_BASE_URL). */
  SANDBOX_PUBLIC_URL: z.url().optional(),
  /** Show "open the sandbox wallet" links on the gateway's pages; on by default only while the wallets are the sandbox. */
  SANDBOX_LINKS: z.enum(['true', 'false']).optional(),
  /**
   * Seals AstraPay account tokens (AES-256-GCM) wherever the gateway keeps them: 32 bytes, base64. The default is
   * the sandbox's and is public: set your own in production.
   */
  ACCOUNT_TOKEN_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64'),
  /** Keys account-link workflow IDs (HMAC of iMid + phone), so no phone number is readable in an ID. Never change it. */
  LINK_ID_SECRET: z.string().min(16),
  OVO_PUSH_TIMEOUT_SECONDS: seconds.default(60),
  CHECKOUT_TIMEOUT_SECONDS: seconds.default(900),
  LINK_TIMEOUT_SECONDS: seconds.default(900),
  REGISTRATION_TIMEOUT_SECONDS: seconds.default(3600),
  /** How long after a final status the workflow still listens for late wallet callbacks to reconcile. */
  SETTLEMENT_WINDOW_SECONDS: seconds.default(86_400),
  /** How long after its final status a payment can still be refunded (cancel); the workflow stays open that long. */
  REFUND_WINDOW_SECONDS: seconds.default(30 * 86_400),
  /** How long a merchant notification is retried before an operator must resend it (contract: ≥ 24 h). */
  NOTIFY_RETRY_HOURS: seconds.default(48),
  /** Signs the links of the gateway's own customer pages (the OVO waiting page). */
  PAGE_SIGNING_SECRET: z.string().min(16),
  /**
   * Payload encryption keys, `keyId:base64(32 bytes)` separated by commas; the first seals new payloads, the others
   * still open old ones (rotation). `off` stores payloads in the clear (not for production).
   */
  PAYLOAD_KEYS: z.string(),
  /** The codec server (decodes payloads for the Temporal Web UI; holds the keys): loopback only. */
  CODEC_PORT: port.default(8234),
  /** The worker's only listener: its metrics (`GET /metrics`, Prometheus), Temporal's SDK metrics included; loopback by default. */
  METRICS_HOST: z.string().default('127.0.0.1'),
  WORKER_METRICS_PORT: port.default(9464),
  /** Worker tuning (workers/tuning.ts); unset: the defaults the benchmark chose (bench/README.md). */
  WORKER_MAX_CACHED_WORKFLOWS: count.optional(),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: count.optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: count.optional(),
  WORKER_WORKFLOW_POLLERS: count.optional(),
  WORKER_ACTIVITY_POLLERS: count.optional(),
  /** Bearer token of the operator endpoints (`/ops`). The default is the sandbox's and is public: set your own. */
  OPERATOR_TOKEN: z.string().min(16),
  /** Merchants as JSON: [{"iMid","merchantKey","name","mitraCds","notifyHosts"?}]. The sandbox merchant is added in sandbox mode only. */
  MERCHANTS_JSON: z.string().optional(),
});

export type GatewayMode = 'sandbox' | 'production';

export interface GatewayConfig {
  readonly mode: GatewayMode;
  readonly ops: { readonly host: string; readonly port: number };
  readonly api: { readonly host: string; readonly port: number; readonly publicBaseUrl: string; readonly maxInFlight: number; readonly bodyTimeoutMs: number };
  readonly sandbox: { readonly host: string; readonly port: number; readonly baseUrl: string; readonly publicUrl: string; readonly linksEnabled: boolean };
  readonly temporal: { readonly address: string; readonly namespace: string; readonly uiPort: number };
  readonly dataDir: string;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** The wallets (wallets/registry.ts), each with its settings: the API's hold no signing keys (`role`). */
  readonly wallets: readonly ConfiguredWallet[];
  readonly accountLinks: { readonly tokenKey: string; readonly idSecret: string };
  readonly timeouts: PaymentTimeouts;
  readonly pageSigningSecret: string;
  readonly operatorToken: string;
  readonly payloadKeys: PayloadKeys | undefined;
  readonly codec: { readonly port: number; readonly uiOrigins: readonly string[] };
  readonly metrics: { readonly host: string; readonly workerPort: number };
  readonly worker: WorkerTuning;
  readonly merchants: readonly Merchant[];
}

/** Worker limits set by the operator; anything unset keeps the worker's default (workers/tuning.ts). */
export interface WorkerTuning {
  readonly maxCachedWorkflows?: number;
  readonly maxConcurrentWorkflowTasks?: number;
  readonly maxConcurrentActivities?: number;
  readonly workflowPollers?: number;
  readonly activityPollers?: number;
}

/** The keys of the payload codec (platform/payload-codec.ts). */
export interface PayloadKeys {
  /** New payloads are sealed with this key. */
  readonly currentKeyId: string;
  /** Every key that may have sealed a payload still in history: the current one and those being rotated out. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** A wallet of the registry and its settings, from its variables (domain/wallet-settings.ts). */
export interface ConfiguredWallet {
  readonly module: WalletModule;
  readonly settings: WalletSettings;
}

/** Which wallets, and for which process: the API reads no variable that signs calls to a wallet. */
export interface ConfigOptions {
  readonly wallets?: readonly WalletModule[];
  readonly role?: ProcessRole;
}

/** The windows a payment workflow waits; passed in its input so a running workflow never changes behaviour. */
export interface PaymentTimeouts {
  readonly ovoPushSeconds: number;
  readonly checkoutSeconds: number;
  readonly linkSeconds: number;
  readonly registrationSeconds: number;
  readonly settlementWindowSeconds: number;
  readonly refundWindowSeconds: number;
  readonly notifyRetryHours: number;
}

export class ConfigError extends Error {}

/**
 * Where Temporal is, and nothing else: for one-shot tools (the namespace setup) that hold no secret and so must
 * start in production mode without them.
 */
export function loadTemporalTarget(env: NodeJS.ProcessEnv = process.env): { readonly address: string; readonly namespace: string } {
  const parsed = envSchema.pick({ TEMPORAL_ADDRESS: true, TEMPORAL_NAMESPACE: true }).safeParse(env);
  if (!parsed.success) throw new ConfigError(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { address: parsed.data.TEMPORAL_ADDRESS, namespace: parsed.data.TEMPORAL_NAMESPACE };
}

/** Every variable the gateway reads (docker-compose.yml passes each one: test/unit/deploy-files.test.ts). */
export const gatewayVariables: readonly string[] = [...Object.keys(envSchema.shape), ...Object.keys(walletVariableShape(defaultWallets, 'worker'))];
/** The variables only the worker reads: what signs the gateway's calls to the wallets. */
export const signingVariables: readonly string[] = defaultWallets.flatMap((w) => walletVariables(w)).filter((v) => v.signing).map((v) => v.name);

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: ConfigOptions = {}): GatewayConfig {
  const wallets = options.wallets ?? defaultWallets;
  const role = options.role ?? 'worker';
  const duplicate = firstDuplicate(wallets.flatMap((w) => [`mitraCd ${w.mitraCd}`, `callbackPath ${w.callbackPath}`, `configPrefix ${w.configPrefix}`, `ledgerName ${w.ledgerName}`]));
  if (duplicate !== undefined) throw new ConfigError(`invalid wallet registry: two wallets with ${duplicate}`);
  const mode = z.object({ GATEWAY_MODE: envSchema.shape.GATEWAY_MODE }).safeParse(env);
  if (!mode.success) throw new ConfigError('invalid configuration: GATEWAY_MODE: must be sandbox or production');
  const production = mode.data.GATEWAY_MODE === 'production';
  if (production) {
    const problems = productionProblems(env, wallets, role);
    if (problems.length > 0) throw new ConfigError(`refusing to start in production mode:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  // The sandbox's public secrets are defaults in sandbox mode only; production has none (checked above).
  // The API never reads a signing variable, even one set in its environment.
  const signing = new Set(wallets.flatMap((w) => walletVariables(w)).filter((v) => v.signing && role === 'api').map((v) => v.name));
  const given = Object.fromEntries(Object.entries(env).filter(([name, v]) => v !== undefined && !signing.has(name)));
  const defaults = production ? {} : Object.fromEntries(Object.entries(sandboxDefaults(given, wallets)).filter(([name]) => !signing.has(name)));
  const input = { ...defaults, ...given };
  const parsed = envSchema.safeParse(input);
  const walletVars = z.object(walletVariableShape(wallets, role)).safeParse(input);
  if (!parsed.success || !walletVars.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(walletVars.error?.issues ?? [])];
    const problems = issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const vars: Readonly<Record<string, unknown>> = walletVars.data;
  const sandboxBaseUrl = (e.SANDBOX_BASE_URL ?? `http://127.0.0.1:${e.SANDBOX_PORT}`).replace(/\/+$/, '');
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://127.0.0.1:${e.API_PORT}`).replace(/\/+$/, '');
  return deepFreeze({
    mode: e.GATEWAY_MODE,
    ops: { host: e.OPS_HOST, port: e.OPS_PORT },
    api: { host: e.API_HOST, port: e.API_PORT, publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://127.0.0.1:${e.API_PORT}`, maxInFlight: e.API_MAX_IN_FLIGHT, bodyTimeoutMs: e.API_BODY_TIMEOUT_MS },
    sandbox: { host: e.SANDBOX_HOST, port: e.SANDBOX_PORT, baseUrl: sandboxBaseUrl, publicUrl: e.SANDBOX_PUBLIC_URL ?? sandboxBaseUrl, linksEnabled: e.SANDBOX_LINKS ? e.SANDBOX_LINKS === 'true' : wallets.every((w) => vars[`${w.configPrefix}_BASE_URL`] === undefined) },
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, uiPort: e.TEMPORAL_UI_PORT },
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    wallets: wallets.map((module) => ({ module, settings: walletSettingsOf(module, vars, { sandboxBaseUrl, publicBaseUrl }, role) })),
    accountLinks: { tokenKey: e.ACCOUNT_TOKEN_KEY, idSecret: e.LINK_ID_SECRET },
    timeouts: {
      ovoPushSeconds: e.OVO_PUSH_TIMEOUT_SECONDS,
      checkoutSeconds: e.CHECKOUT_TIMEOUT_SECONDS,
      linkSeconds: e.LINK_TIMEOUT_SECONDS,
      registrationSeconds: e.REGISTRATION_TIMEOUT_SECONDS,
      settlementWindowSeconds: e.SETTLEMENT_WINDOW_SECONDS,
      refundWindowSeconds: e.REFUND_WINDOW_SECONDS,
      notifyRetryHours: e.NOTIFY_RETRY_HOURS,
    },
    pageSigningSecret: e.PAGE_SIGNING_SECRET,
    operatorToken: e.OPERATOR_TOKEN,
    payloadKeys: parsePayloadKeys(e.PAYLOAD_KEYS),
    codec: { port: e.CODEC_PORT, uiOrigins: [`http://127.0.0.1:${e.TEMPORAL_UI_PORT}`, `http://localhost:${e.TEMPORAL_UI_PORT}`] },
    merchants: [...(production ? [] : [{ ...sandboxMerchant, mitraCds: wallets.map((w) => w.mitraCd) }]), ...parseMerchants(e.MERCHANTS_JSON, wallets)],
    metrics: { host: e.METRICS_HOST, workerPort: e.WORKER_METRICS_PORT },
    worker: definedOnly({
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTasks: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxConcurrentActivities: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
      workflowPollers: e.WORKER_WORKFLOW_POLLERS,
      activityPollers: e.WORKER_ACTIVITY_POLLERS,
    }),
  });
}

/**
 * The sandbox's secrets, except a wallet's while its base URL points away from the sandbox: a real wallet never
 * gets, nor is verified with, a public secret, in any mode.
 */
function sandboxDefaults(given: Readonly<Record<string, string | undefined>>, wallets: readonly WalletModule[]): Record<string, string> {
  const sandboxPort = given.SANDBOX_PORT ?? '4000';
  const sandboxBase = given.SANDBOX_BASE_URL ?? `http://127.0.0.1:${sandboxPort}`;
  const elsewhere = wallets
    .map((w) => `${w.configPrefix}_BASE_URL`)
    .filter((name) => {
      const url = given[name];
      if (url === undefined) return false;
      try {
        return new URL(url).origin !== new URL(sandboxBase).origin;
      } catch {
        return false; // the schema names the malformed URL
      }
    })
    .map((name) => name.replace(/BASE_URL$/, ''));
  return Object.fromEntries(Object.entries(sandboxSecrets).filter(([name]) => !elsewhere.some((prefix) => name.startsWith(prefix))));
}

function parsePayloadKeys(spec: string): PayloadKeys | undefined {
  if (spec.trim() === 'off') return undefined;
  const keys = new Map<string, Buffer>();
  let currentKeyId: string | undefined;
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf(':');
    const id = part.slice(0, at);
    const key = Buffer.from(part.slice(at + 1), 'base64');
    if (at < 1 || !/^[\w.-]{1,64}$/.test(id) || key.length !== 32) throw new ConfigError('invalid configuration: PAYLOAD_KEYS: each key is keyId:base64 of 32 bytes');
    keys.set(id, key);
    currentKeyId ??= id;
  }
  if (!currentKeyId) throw new ConfigError('invalid configuration: PAYLOAD_KEYS: no key');
  return { currentKeyId, keys };
}

function parseMerchants(json: string | undefined, wallets: readonly WalletModule[]): Merchant[] {
  if (json === undefined || json.trim() === '') return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigError('invalid configuration: MERCHANTS_JSON is not valid JSON');
  }
  const parsed = z.array(merchantSchema).safeParse(raw);
  if (!parsed.success) throw new ConfigError(`invalid configuration: MERCHANTS_JSON: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const known = wallets.map((w) => w.mitraCd);
  const unknown = parsed.data.flatMap((m) => m.mitraCds ?? []).find((m) => !known.includes(m));
  if (unknown !== undefined) throw new ConfigError(`invalid configuration: MERCHANTS_JSON: unknown mitraCd ${unknown} (known: ${known.join(', ')})`);
  return parsed.data.map((m) => ({ ...m, mitraCds: m.mitraCds ?? known }));
}

function firstDuplicate(values: readonly string[]): string | undefined {
  return values.find((v, i) => values.indexOf(v) !== i);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** `exactOptionalPropertyTypes`: an unset variable leaves its key out rather than holding `undefined`. */
function definedOnly<T extends object>(o: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
