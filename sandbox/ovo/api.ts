import express, { type ErrorRequestHandler, type Request, type Router } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { SandboxConfig } from '../config.js';
import type { FaultRegistry } from '../faults.js';
import { httpStatusOf, injectFaults } from '../wallet-api.js';
import { ovoAuth, rawBodyOf } from './auth.js';
import { OvoApiError, errorBody } from './errors.js';
import { CreatePaymentBody, IdempotencyKey, RefundBody } from './schemas.js';
import type { OvoSimulator } from './simulator.js';

export interface OvoApiDeps {
  readonly config: SandboxConfig;
  readonly simulator: OvoSimulator;
  readonly faults: FaultRegistry;
  readonly logger: Logger;
  /** Aborted on close, so an injected latency does not hold shutdown. */
  readonly signal: AbortSignal;
}

/**
 * The OVO merchant API, mounted at `/ovo/api` (see sandbox/README.md for the wire format). Every call is
 * authenticated over the exact body bytes, so the body is kept raw and parsed here.
 */
export function createOvoApiRouter(deps: OvoApiDeps): Router {
  const { simulator } = deps;
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: '64kb' }));
  router.use(ovoAuth(deps.config.ovo));
  // `POST /sandbox/faults` for OVO: latency first, then the `failNext` failures (only authenticated calls count).
  router.use(injectFaults({ wallet: 'OVO', faults: deps.faults, signal: deps.signal, failure: () => new OvoApiError(500, 'INTERNAL', 'simulated fault (failNext)') }));

  router.post('/v1/payments', (req, res) => {
    const key = idempotencyKey(req);
    const body = parse(CreatePaymentBody, jsonBody(req));
    const { replayed, reply } = simulator.createPayment(key, body);
    res.status(replayed ? 200 : 201).json(reply);
  });

  router.get('/v1/payments/:merchantInvoice', (req, res) => {
    res.json(simulator.status(req.params.merchantInvoice));
  });

  router.post('/v1/payments/:merchantInvoice/void', (req, res) => {
    const body = jsonBody(req);
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      throw new OvoApiError(400, 'INVALID_REQUEST', 'body: expected an empty body or a JSON object');
    }
    res.json(simulator.voidPayment(req.params.merchantInvoice));
  });

  router.post('/v1/payments/:merchantInvoice/refunds', (req, res) => {
    const key = idempotencyKey(req);
    const body = parse(RefundBody, jsonBody(req));
    const { replayed, reply } = simulator.refund(req.params.merchantInvoice, key, body);
    res.status(replayed ? 200 : 201).json(reply);
  });

  router.use((req, _res, next) => next(new OvoApiError(404, 'NOT_FOUND', `no OVO endpoint ${req.method} ${req.path}`)));
  router.use(ovoErrorHandler(deps.logger));
  return router;
}


function idempotencyKey(req: Request): string {
  const parsed = IdempotencyKey.safeParse(req.get('Idempotency-Key'));
  if (!parsed.success) throw new OvoApiError(400, 'INVALID_REQUEST', 'Idempotency-Key header is required (1 to 255 characters)');
  return parsed.data;
}

/** The JSON body, or `undefined` when there is none. */
function jsonBody(req: Request): unknown {
  const raw = rawBodyOf(req);
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new OvoApiError(400, 'INVALID_REQUEST', 'body is not valid JSON');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  if (value === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OvoApiError(400, 'INVALID_REQUEST', 'body: expected a JSON object');
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'body';
  throw new OvoApiError(400, 'INVALID_REQUEST', `${field}: ${issue?.message ?? 'invalid'}`);
}

function ovoErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof OvoApiError) {
      res.status(error.httpStatus).json(errorBody(error.code, error.message, error.extra));
      return;
    }
    const status = httpStatusOf(error);
    if (status === 413) {
      res.status(413).json(errorBody('PAYLOAD_TOO_LARGE', 'body larger than 64 kB'));
      return;
    }
    if (status !== undefined && status >= 400 && status < 500) {
      res.status(400).json(errorBody('INVALID_REQUEST', error instanceof Error ? error.message : 'bad request'));
      return;
    }
    logger.error({ err: error }, 'OVO API: unexpected error');
    res.status(500).json(errorBody('INTERNAL', 'internal error'));
  };
}
