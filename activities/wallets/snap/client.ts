import type { WalletHttpResponse } from '../http.js';
import { walletRequest } from '../http.js';
import { B2bTokenCache, requestB2bToken, withB2bToken } from './b2b-token.js';
import type { SnapProfile } from './profile.js';
import { snapOutcome, type SnapOutcome } from './response-code.js';
import { hmacSha512, privateKeyOf, signSha256WithRsa, type PrivateKeyInput } from './signature.js';
import { asymmetricStringToSign, symmetricStringToSign } from './string-to-sign.js';
import { snapTimestamp } from './timestamp.js';

export interface SnapClientOptions {
  /** For messages: `DANA`, `OVO`, … */
  readonly wallet: string;
  /** Where the wallet's published paths start (`https://api.sandbox.dana.id`); a path prefix here is not signed. */
  readonly baseUrl: string;
  /** `X-PARTNER-ID` (and `X-CLIENT-KEY` of the token request). */
  readonly partnerId: string;
  readonly channelId: string;
  /** `ORIGIN`, sent by DANA's SDKs. */
  readonly origin?: string;
  readonly privateKey: PrivateKeyInput;
  readonly profile: SnapProfile;
  /** `X-TIMESTAMP` with milliseconds (OVO writes them so); otherwise whole seconds, as DANA's SDK validates. */
  readonly millisecondTimestamps?: boolean;
  readonly fetchImpl?: typeof fetch;
}

export interface SnapReply extends WalletHttpResponse {
  readonly outcome: SnapOutcome;
}

/**
 * One wallet's SNAP calls: the headers, the signature of its profile, the B2B token when the profile has one.
 * Transport failures, timeouts and 5xx throw `WalletUnavailableError` (http.ts); every other answer is returned
 * with its outcome read (response-code.ts) for the adapter to map.
 */
export class SnapClient {
  readonly #o: SnapClientOptions;
  readonly #baseUrl: string;
  readonly #tokens: B2bTokenCache | undefined;

  constructor(options: SnapClientOptions) {
    this.#o = { ...options, privateKey: privateKeyOf(options.privateKey) };
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    const profile = options.profile;
    this.#tokens =
      profile.kind === 'symmetric-b2b'
        ? new B2bTokenCache(() =>
            requestB2bToken({
              wallet: options.wallet,
              baseUrl: this.#baseUrl,
              path: profile.tokenPath,
              clientId: options.partnerId,
              privateKey: this.#o.privateKey,
              ...(options.millisecondTimestamps === true ? { millisecondTimestamps: true } : {}),
              ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
            }),
          )
        : undefined;
  }

  /**
   * POSTs `body` (sent minified, exactly as signed) to the published `path` with `X-EXTERNAL-ID: externalId`.
   * `extraHeaders`: what a call on a bound account adds (`Authorization-Customer`, `X-DEVICE-ID`); not signed, as in
   * the standard's string to sign. They may carry a customer's token: never logged here.
   */
  async post(path: string, body: object, externalId: string, extraHeaders?: Readonly<Record<string, string>>): Promise<SnapReply> {
    const rawBody = JSON.stringify(body);
    const tokens = this.#tokens;
    if (tokens === undefined) return this.#send(path, rawBody, externalId, undefined, extraHeaders);
    return withB2bToken(
      tokens,
      (token) => this.#send(path, rawBody, externalId, token, extraHeaders),
      (reply) => reply.outcome.kind === 'unauthorized' && reply.outcome.tokenInvalid,
    );
  }

  async #send(path: string, rawBody: string, externalId: string, accessToken: string | undefined, extraHeaders: Readonly<Record<string, string>> = {}): Promise<SnapReply> {
    const timestamp = snapTimestamp(Date.now(), this.#o.millisecondTimestamps === true);
    const toSign = { method: 'POST', path, body: rawBody, timestamp };
    const profile = this.#o.profile;
    const signature =
      profile.kind === 'symmetric-b2b' && accessToken !== undefined
        ? hmacSha512(profile.clientSecret, symmetricStringToSign({ ...toSign, accessToken }))
        : signSha256WithRsa(this.#o.privateKey, asymmetricStringToSign(toSign));
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-TIMESTAMP': timestamp,
      'X-SIGNATURE': signature,
      'X-PARTNER-ID': this.#o.partnerId,
      'X-EXTERNAL-ID': externalId,
      'CHANNEL-ID': this.#o.channelId,
      ...(this.#o.origin ? { ORIGIN: this.#o.origin } : {}),
      ...(accessToken !== undefined ? { Authorization: `Bearer ${accessToken}` } : {}),
      ...extraHeaders,
    };
    const res = await walletRequest(`${this.#baseUrl}${path}`, { method: 'POST', headers, body: rawBody }, this.#o.fetchImpl);
    return { ...res, outcome: snapOutcome(res.status, res.body) };
  }
}
