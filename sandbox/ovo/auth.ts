import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { rawBodyOf, sameSecret } from '../wallet-api.js';
import { OvoApiError } from './errors.js';

/** How far `X-Timestamp` may be from the wallet's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 300_000;

export interface OvoRequestToSign {
  /** HTTP method; signed in upper case. */
  readonly method: string;
  /** The request target exactly as sent: path and query string, e.g. `/ovo/api/v1/payments/INV-1`. */
  readonly pathAndQuery: string;
  /** Unix epoch milliseconds, the value of `X-Timestamp`. */
  readonly timestamp: number | string;
  /** The exact request body bytes; '' for a request without a body. */
  readonly rawBody: string | Buffer;
  readonly secret: string;
}

/**
 * OVO's request signature (`X-Signature`): lowercase hex HMAC-SHA256, keyed with the client secret, of
 * `${METHOD}\n${pathAndQuery}\n${timestamp}\n${sha256hex(rawBody)}`.
 * The gateway's adapter has its own copy (it is the other party); this one is for the sandbox and its tests.
 */
export function signOvoRequest(input: OvoRequestToSign): string {
  const bodyHash = createHash('sha256').update(input.rawBody).digest('hex');
  const canonical = `${input.method.toUpperCase()}\n${input.pathAndQuery}\n${input.timestamp}\n${bodyHash}`;
  return createHmac('sha256', input.secret).update(canonical).digest('hex');
}

export { rawBodyOf };

export interface OvoClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Checks `X-Client-Id`, `X-Timestamp` and `X-Signature`; anything wrong answers 401 UNAUTHORIZED. */
export function ovoAuth(client: OvoClientCredentials, now: () => number = Date.now): RequestHandler {
  return (req, _res, next) => {
    const problem = authProblem(req, client, now());
    if (problem === undefined) next();
    else next(new OvoApiError(401, 'UNAUTHORIZED', problem));
  };
}

function authProblem(req: Request, client: OvoClientCredentials, now: number): string | undefined {
  const clientId = req.get('X-Client-Id');
  const timestamp = req.get('X-Timestamp');
  const signature = req.get('X-Signature');
  if (clientId === undefined || clientId === '') return 'missing X-Client-Id header';
  if (!sameSecret(clientId, client.clientId)) return 'unknown client id';
  if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp)) return 'missing or malformed X-Timestamp header (unix epoch milliseconds)';
  if (Math.abs(now - Number(timestamp)) > MAX_CLOCK_SKEW_MS) return 'X-Timestamp is more than 300 s away from the wallet clock';
  if (signature === undefined || !/^[0-9a-f]{64}$/.test(signature)) return 'missing or malformed X-Signature header (64 lowercase hex characters)';
  const expected = signOvoRequest({
    method: req.method,
    pathAndQuery: req.originalUrl,
    timestamp,
    rawBody: rawBodyOf(req),
    secret: client.clientSecret,
  });
  if (!timingSafeEqual(Buffer.from(signature, 'utf8'), Buffer.from(expected, 'utf8'))) return 'bad signature';
  return undefined;
}
