import { z } from 'zod';

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
  OVO_CLIENT_ID: optional(z.string().min(1)),
  OVO_CLIENT_SECRET: optional(z.string().min(8)),
  OVO_CALLBACK_SECRET: optional(z.string().min(8)),
  SANDBOX_APPROVE_DELAY_MS: optional(milliseconds),
  OVO_PUSH_TIMEOUT_SECONDS: optional(z.coerce.number().positive()),
  SANDBOX_LATE_APPROVE_MS: optional(milliseconds),
  DATA_DIR: optional(z.string().min(1)),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
});

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface SandboxConfig {
  readonly host: string;
  readonly port: number;
  /** Where the wallets call the gateway back (`${gatewayBaseUrl}/callbacks/<wallet>`); no trailing slash. */
  readonly gatewayBaseUrl: string;
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  /** How long a magic-value customer takes to answer (CONTRACT §6). */
  readonly approveDelayMs: number;
  /** When the 006 customer approves: after the gateway's OVO push timeout. */
  readonly lateApproveMs: number;
  readonly ovo: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly callbackSecret: string;
    readonly pushTimeoutSeconds: number;
  };
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
  const gatewayBaseUrl = (e.GATEWAY_BASE_URL ?? `http://127.0.0.1:${e.API_PORT ?? 3000}`).replace(/\/+$/, '');
  return Object.freeze({
    host: e.SANDBOX_HOST ?? '127.0.0.1',
    port: e.SANDBOX_PORT ?? 4000,
    gatewayBaseUrl,
    dataDir: e.DATA_DIR ?? '.data',
    logLevel: e.LOG_LEVEL ?? 'info',
    approveDelayMs: e.SANDBOX_APPROVE_DELAY_MS ?? 1000,
    lateApproveMs: e.SANDBOX_LATE_APPROVE_MS ?? Math.round(pushTimeoutSeconds * 1000) + 3000,
    ovo: Object.freeze({
      clientId: e.OVO_CLIENT_ID ?? 'sandbox-ovo-client',
      clientSecret: e.OVO_CLIENT_SECRET ?? 'sandbox-ovo-secret-change-me',
      callbackSecret: e.OVO_CALLBACK_SECRET ?? 'sandbox-ovo-callback-secret',
      pushTimeoutSeconds,
    }),
  });
}
