import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, RequestHandler, Response } from 'express';
import type { FaultRegistry } from './faults.js';

/** Pieces every simulated wallet API uses, whatever its wire format. */

/** The body bytes kept by `express.raw` (empty when the request had none). */
export function rawBodyOf(req: Request): Buffer {
  const body: unknown = req.body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** Constant-time comparison of strings of any length (client ids, secrets, signatures). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * `POST /sandbox/faults` for one wallet's API, after authentication: the injected latency first, then one of the
 * `failNext` failures, passed on as the wallet's own outage error (`failure()`).
 */
export function injectFaults(deps: { wallet: string; faults: FaultRegistry; signal: AbortSignal; failure: () => Error }): RequestHandler {
  return async (_req, _res, next) => {
    const { latencyMs } = deps.faults.for(deps.wallet);
    if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: deps.signal }).catch(() => undefined);
    if (deps.faults.takeFailure(deps.wallet)) {
      next(deps.failure());
      return;
    }
    next();
  };
}

/** body-parser errors carry the HTTP status they want. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** One answer of a wallet API: an HTTP status and a JSON body. */
export interface WireReply {
  readonly http: number;
  readonly body: Readonly<Record<string, unknown>>;
}

export function sendReply(res: Response, reply: WireReply): void {
  res.status(reply.http).json(reply.body);
}
