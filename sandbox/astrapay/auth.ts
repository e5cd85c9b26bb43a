import { createHash, createHmac } from 'node:crypto';
import type { Request } from 'express';
import type { WalletSecrets } from '../config.js';
import { rawBodyOf, sameSecret } from '../wallet-api.js';

/** How far `X-AstraPay-Timestamp` may be from the wallet's clock, either way (seconds). */
export const ASTRAPAY_MAX_CLOCK_SKEW_SECONDS = 300;

/**
 * AstraPay's request signature (`X-AstraPay-Signature`): lowercase hex HMAC-SHA256, keyed with
 * ASTRAPAY_CLIENT_SECRET, of `${METHOD}|${pathAndQuery}|${timestamp}|${sha256hex(rawBody)}` (timestamp: unix
 * seconds). The gateway's adapter has its own copy; this one is for the sandbox and its tests.
 */
export function signAstraPayRequest(input: { method: string; pathAndQuery: string; timestamp: string; rawBody: string | Buffer; secret: string }): string {
  const bodyHash = createHash('sha256').update(input.rawBody).digest('hex');
  return createHmac('sha256', input.secret).update(`${input.method.toUpperCase()}|${input.pathAndQuery}|${input.timestamp}|${bodyHash}`).digest('hex');
}

/** AstraPay's callback signature: lowercase hex HMAC-SHA256, keyed with ASTRAPAY_CALLBACK_SECRET, of `${timestamp}.${rawBody}`. */
export function signAstraPayCallback(input: { timestamp: string; rawBody: string | Buffer; secret: string }): string {
  return createHmac('sha256', input.secret).update(`${input.timestamp}.`).update(input.rawBody).digest('hex');
}

/** What is wrong with a request's AstraPay authentication, or `undefined` when it is right. */
export function astraPayAuthProblem(req: Request, client: WalletSecrets, nowMs: number = Date.now()): string | undefined {
  const clientId = req.get('X-AstraPay-Client');
  const timestamp = req.get('X-AstraPay-Timestamp');
  const signature = req.get('X-AstraPay-Signature');
  if (clientId === undefined || clientId === '') return 'missing X-AstraPay-Client header';
  if (!sameSecret(clientId, client.clientId)) return 'unknown client';
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return 'missing or malformed X-AstraPay-Timestamp header (unix seconds)';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > ASTRAPAY_MAX_CLOCK_SKEW_SECONDS) return 'X-AstraPay-Timestamp is more than 300 s away from the wallet clock';
  if (signature === undefined || signature === '') return 'missing X-AstraPay-Signature header';
  const expected = signAstraPayRequest({ method: req.method, pathAndQuery: req.originalUrl, timestamp, rawBody: rawBodyOf(req), secret: client.clientSecret });
  return sameSecret(signature, expected) ? undefined : 'invalid signature';
}
