import type { z } from 'zod';
import { WalletUnavailableError } from './adapter.js';

export interface WalletHttpResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Wallet calls must not hang an activity: the wallet either answers in time or the outcome is "unknown". */
const WALLET_CALL_TIMEOUT_MS = 8_000;

/**
 * One HTTP exchange with a wallet. Transport errors, timeouts and 5xx become `WalletUnavailableError`
 * (outcome unknown); every other answer is returned for the adapter to map.
 */
export async function walletRequest(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  fetchImpl: typeof fetch = fetch,
): Promise<WalletHttpResponse> {
  let res: Response;
  try {
    res = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(WALLET_CALL_TIMEOUT_MS) });
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new WalletUnavailableError(`${init.method} ${new URL(url).pathname}: ${reason}`);
  }
  const text = await res.text();
  if (res.status >= 500) throw new WalletUnavailableError(`${init.method} ${new URL(url).pathname}: HTTP ${res.status}`, res.status);
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new WalletUnavailableError(`${init.method} ${new URL(url).pathname}: HTTP ${res.status} with a body that is not JSON`, res.status);
    }
  }
  return { status: res.status, body };
}

export function headerValue(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** A wallet's answer read with its schema; an answer we cannot read is an unknown outcome, not a refusal. */
export function readBody<T>(wallet: string, schema: z.ZodType<T>, res: WalletHttpResponse): T {
  const parsed = schema.safeParse(res.body);
  if (!parsed.success) throw new WalletUnavailableError(`${wallet} answered HTTP ${res.status} with an unexpected body`, res.status);
  return parsed.data;
}
