import express, { type ErrorRequestHandler, type Request, type Router } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { httpStatusOf, injectFaults, rawBodyOf, sendReply, type WireReply } from '../wallet-api.js';
import { CheckoutError } from './errors.js';
import type { RedirectWalletDeps } from './wallet.js';

export interface CheckoutApiOptions {
  /** The wallet's ledger name (faults, logs). */
  readonly wallet: string;
  /** Faults, logger, and the signal that ends injected latencies on close. */
  readonly deps: Pick<RedirectWalletDeps, 'faults' | 'logger' | 'signal'>;
  /** The wallet's refusal of a request that fails its authentication, or `undefined` to let it through. */
  readonly authenticate?: (req: Request) => WireReply | undefined;
  /** `POST /sandbox/faults` applies to these calls (default true). */
  readonly injectFaults?: boolean;
  /** The wallet's one table from the core's errors to its wire format. */
  readonly errorReply: (error: CheckoutError, req: Request) => WireReply;
}

export type CheckoutApiHandler = (req: Request) => WireReply;

export interface CheckoutApiRoutes {
  get(path: string, handle: CheckoutApiHandler): void;
  post(path: string, handle: CheckoutApiHandler): void;
}

/**
 * A redirect wallet's merchant API: raw body (64 kB at most, kept for signatures), the wallet's authentication,
 * injected faults, the routes `define` adds, then every error (thrown `CheckoutError`, unparsable body, unknown
 * endpoint) answered through the wallet's `errorReply` table.
 */
export function checkoutApiRouter(o: CheckoutApiOptions, define: (routes: CheckoutApiRoutes) => void): Router {
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: '64kb' }));
  const authenticate = o.authenticate;
  if (authenticate !== undefined) {
    router.use((req, res, next) => {
      const refusal = authenticate(req);
      if (refusal === undefined) next();
      else sendReply(res, refusal);
    });
  }
  if (o.injectFaults ?? true) {
    const failure = (): Error => new CheckoutError('outage', 'simulated fault (failNext)');
    router.use(injectFaults({ wallet: o.wallet, faults: o.deps.faults, signal: o.deps.signal, failure }));
  }
  define({
    get: (path, handle) => router.get(path, (req, res) => sendReply(res, handle(req))),
    post: (path, handle) => router.post(path, (req, res) => sendReply(res, handle(req))),
  });
  router.use((req, _res, next) => next(new CheckoutError('no-endpoint', `no ${o.wallet} endpoint ${req.method} ${req.baseUrl}${req.path}`)));
  const answer: ErrorRequestHandler = (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    sendReply(res, o.errorReply(asCheckoutError(error, o.deps.logger, o.wallet), req));
  };
  router.use(answer);
  return router;
}

function asCheckoutError(error: unknown, logger: Logger, wallet: string): CheckoutError {
  if (error instanceof CheckoutError) return error;
  const status = httpStatusOf(error);
  if (status === 413) return new CheckoutError('invalid', 'body larger than 64 kB', 'body', 413);
  if (status !== undefined && status >= 400 && status < 500) return new CheckoutError('invalid', error instanceof Error ? error.message : 'bad request', 'body');
  logger.error({ err: error, wallet }, 'wallet API: unexpected error');
  return new CheckoutError('outage', 'internal error');
}

/** The JSON object of the body; anything else → `invalid` (field `body`). */
export function jsonBody(req: Request): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(rawBodyOf(req).toString('utf8'));
  } catch {
    throw new CheckoutError('invalid', 'body is not valid JSON', 'body');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CheckoutError('invalid', 'body must be a JSON object', 'body');
  return value as Record<string, unknown>;
}

/** Validates with `schema`; the first problem → `invalid`, naming the field (dotted path). */
export function parseFields<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'body';
  throw new CheckoutError('invalid', `${field}: ${issue?.message ?? 'invalid'}`, field);
}
