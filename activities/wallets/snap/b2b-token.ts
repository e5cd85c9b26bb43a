import { z } from 'zod';
import { WalletUnavailableError } from '../adapter.js';
import { walletRequest } from '../http.js';
import { snapOutcome } from './response-code.js';
import { signSha256WithRsa, type PrivateKeyInput } from './signature.js';
import { b2bTokenStringToSign } from './string-to-sign.js';
import { snapTimestamp } from './timestamp.js';

export interface B2bToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
}

/** Refresh this long before the wallet's expiry, so a token never expires between our check and the wallet's. */
export const TOKEN_REFRESH_MARGIN_SECONDS = 60;

/**
 * The B2B access token of one wallet: fetched on first use, reused until shortly before it expires, fetched again
 * when the wallet says it is no longer valid (`401xx01`). Concurrent callers share one fetch.
 */
export class B2bTokenCache {
  #current: { readonly token: string; readonly refreshAt: number } | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<B2bToken>,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    const current = this.#current;
    if (current !== undefined && this.now() < current.refreshAt) return current.token;
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** The wallet refused `token`: forget it (unless a newer one has replaced it meanwhile). */
  invalidate(token: string): void {
    if (this.#current?.token === token) this.#current = undefined;
  }

  async #fetch(): Promise<string> {
    const t = await this.fetchToken();
    const lifetime = Math.max(0, t.expiresInSeconds - Math.min(TOKEN_REFRESH_MARGIN_SECONDS, t.expiresInSeconds / 2));
    this.#current = { token: t.accessToken, refreshAt: this.now() + lifetime * 1000 };
    return t.accessToken;
  }
}

/**
 * Runs `call` with the cached token; when the wallet answers that the token is invalid (`401xx01`), fetches a new
 * one and runs it once more. `tokenRefused` reads the wallet's answer.
 */
export async function withB2bToken<R>(cache: B2bTokenCache, call: (token: string) => Promise<R>, tokenRefused: (result: R) => boolean): Promise<R> {
  const token = await cache.token();
  const first = await call(token);
  if (!tokenRefused(first)) return first;
  cache.invalidate(token);
  return call(await cache.token());
}

const tokenReply = z.object({
  accessToken: z.string().min(1),
  expiresIn: z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number),
});

export interface B2bTokenRequest {
  readonly wallet: string;
  /** The wallet's base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** The published token path, e.g. `/v1.0/access-token/b2b`. */
  readonly path: string;
  readonly clientId: string;
  readonly privateKey: PrivateKeyInput;
  /** `X-TIMESTAMP` with milliseconds (OVO). */
  readonly millisecondTimestamps?: boolean;
  readonly fetchImpl?: typeof fetch;
}

/** `POST /v1.0/access-token/b2b`: `X-CLIENT-KEY`, `X-TIMESTAMP`, `X-SIGNATURE` = SHA256withRSA of `clientId|timestamp`. */
export async function requestB2bToken(r: B2bTokenRequest): Promise<B2bToken> {
  const timestamp = snapTimestamp(Date.now(), r.millisecondTimestamps === true);
  const res = await walletRequest(
    `${r.baseUrl}${r.path}`,
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-CLIENT-KEY': r.clientId,
        'X-TIMESTAMP': timestamp,
        'X-SIGNATURE': signSha256WithRsa(r.privateKey, b2bTokenStringToSign(r.clientId, timestamp)),
      },
      body: JSON.stringify({ grantType: 'client_credentials' }),
    },
    r.fetchImpl,
  );
  const outcome = snapOutcome(res.status, res.body);
  const parsed = tokenReply.safeParse(res.body);
  if (outcome.kind !== 'success' || !parsed.success) {
    const why = outcome.kind === 'success' || outcome.kind === 'in-progress' ? 'an answer without a token' : outcome.reason;
    throw new WalletUnavailableError(`${r.wallet} refused the B2B token request: ${why}`, res.status);
  }
  return { accessToken: parsed.data.accessToken, expiresInSeconds: parsed.data.expiresIn };
}
