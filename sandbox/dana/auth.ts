import { createHash, createHmac } from 'node:crypto';
import type { Request } from 'express';
import type { WalletSecrets } from '../config.js';
import { rawBodyOf, sameSecret } from '../wallet-api.js';

/** How far `X-DANA-TIMESTAMP` may be from the wallet's clock, either way. */
export const DANA_MAX_CLOCK_SKEW_MS = 300_000;

/** ISO 8601 with an offset: `2026-11-25T22:10:00+07:00`, `2026-11-25T15:10:00.123Z`. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * DANA's request signature (`X-DANA-SIGNATURE`): base64 HMAC-SHA256, keyed with DANA_CLIENT_SECRET, of
 * `${METHOD}:${pathAndQuery}:${X-DANA-TIMESTAMP}:${sha256hex(rawBody)}`. The gateway's adapter has its own copy
 * (it is the other party); this one is for the sandbox and its tests.
 */
export function signDanaRequest(input: { method: string; pathAndQuery: string; timestamp: string; rawBody: string | Buffer; secret: string }): string {
  const bodyHash = createHash('sha256').update(input.rawBody).digest('hex');
  return createHmac('sha256', input.secret).update(`${input.method.toUpperCase()}:${input.pathAndQuery}:${input.timestamp}:${bodyHash}`).digest('base64');
}

/** DANA's callback signature (`X-DANA-SIGNATURE`): base64 HMAC-SHA256, keyed with DANA_CALLBACK_SECRET, of `${timestamp}|${rawBody}`. */
export function signDanaCallback(input: { timestamp: string; rawBody: string | Buffer; secret: string }): string {
  return createHmac('sha256', input.secret).update(`${input.timestamp}|`).update(input.rawBody).digest('base64');
}

/** What is wrong with a request's DANA authentication, or `undefined` when it is right. */
export function danaAuthProblem(req: Request, client: WalletSecrets, now: number = Date.now()): string | undefined {
  const clientId = req.get('X-DANA-CLIENT-ID');
  const timestamp = req.get('X-DANA-TIMESTAMP');
  const signature = req.get('X-DANA-SIGNATURE');
  if (clientId === undefined || clientId === '') return 'missing X-DANA-CLIENT-ID header';
  if (!sameSecret(clientId, client.clientId)) return 'unknown client id';
  if (timestamp === undefined || !ISO_WITH_OFFSET.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    return 'missing or malformed X-DANA-TIMESTAMP header (ISO 8601 with an offset)';
  }
  if (Math.abs(now - Date.parse(timestamp)) > DANA_MAX_CLOCK_SKEW_MS) return 'X-DANA-TIMESTAMP is more than 300 s away from the wallet clock';
  if (signature === undefined || signature === '') return 'missing X-DANA-SIGNATURE header';
  const expected = signDanaRequest({ method: req.method, pathAndQuery: req.originalUrl, timestamp, rawBody: rawBodyOf(req), secret: client.clientSecret });
  return sameSecret(signature, expected) ? undefined : 'invalid signature';
}
