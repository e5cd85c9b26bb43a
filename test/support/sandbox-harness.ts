/**
 * Test helpers for the wallet sandbox: the sandbox in-process, and a polling wait. The gateway's side of each wallet
 * (its callback endpoints, API clients that sign as the gateway's adapters must) is in sandbox-redirect-harness.ts.
 */
import { loadSandboxConfig, type SandboxConfig } from '../../sandbox/config.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/listen.js';
import type { SandboxAppOptions } from '../../sandbox/app.js';
import type { WalletDescriptor } from '../../wallets/descriptor.js';
import { defaultWallets } from '../../wallets/registry.js';

export interface ApiReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

export interface TestSandbox {
  readonly sandbox: RunningSandbox;
  readonly config: SandboxConfig;
  readonly baseUrl: string;
  getJson(path: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** The sandbox in-process on port 0 with short delays, calling back `gatewayBaseUrl`, playing `wallets`. */
export async function startTestSandbox(
  gatewayBaseUrl: string,
  env: Record<string, string> = {},
  options: SandboxAppOptions = { persist: false },
  wallets: readonly WalletDescriptor[] = defaultWallets,
): Promise<TestSandbox> {
  const config = loadSandboxConfig(
    {
      SANDBOX_PORT: '0',
      GATEWAY_BASE_URL: gatewayBaseUrl,
      SANDBOX_APPROVE_DELAY_MS: '50',
      SANDBOX_LATE_APPROVE_MS: '300',
      LOG_LEVEL: 'silent',
      ...env,
    },
    wallets,
  );
  const sandbox = await startSandbox(config, options);
  return {
    sandbox,
    config,
    baseUrl: sandbox.baseUrl,
    getJson: async (path) => {
      const response = await fetch(`${sandbox.baseUrl}${path}`);
      return (await response.json()) as Record<string, unknown>;
    },
    close: () => sandbox.close(),
  };
}

/** Polls until `probe` returns something other than `undefined`/`false`, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
