import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiMetrics } from '../platform/metrics.js';

/** Paths that are not worth a time series of their own (scrapes, liveness probes). */
const UNMEASURED = new Set(['/metrics', '/health']);
/** NICEPAY result codes are four digits; anything else a handler might put there is not a label value. */
const RESULT_CD = /^\d{4}$/;

/**
 * Records every API request under its route pattern (`/nicepay/direct/v2/payment/wait/:tXid`, never the raw path:
 * a tXid must not become a label value), its NICEPAY `resultCd` (the JSON reply's; `none` for pages and redirects)
 * and its HTTP status.
 */
export function metricsMiddleware(metrics: ApiMetrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (UNMEASURED.has(req.path)) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    let resultCd = 'none';
    const json = res.json.bind(res);
    res.json = (body?: unknown) => {
      const cd = body && typeof body === 'object' ? (body as { resultCd?: unknown }).resultCd : undefined;
      if (typeof cd === 'string' && RESULT_CD.test(cd)) resultCd = cd;
      return json(body);
    };
    res.once('finish', () => {
      const route = routePattern(req);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.apiRequests.inc({ route, method: req.method, result_cd: resultCd, http_status: String(res.statusCode) });
      metrics.apiRequestDuration.observe({ route, method: req.method }, seconds);
    });
    next();
  };
}

/** The matched route's pattern under its router's mount path; `unmatched` when no route took the request. */
export function routePattern(req: Request): string {
  const route: unknown = req.route;
  const path = route && typeof route === 'object' ? (route as { path?: unknown }).path : undefined;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/** `GET /metrics`: the Prometheus text exposition of the API's registry. */
export function metricsRoute(metrics: ApiMetrics): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    metrics.metrics().then((text) => {
      res.type('text/plain; version=0.0.4; charset=utf-8').send(text);
    }, next);
  };
}

/** Identifiers shaped like a tXid or mandateID (letters and digits): anything else is not logged. */
const ID = /^[A-Za-z0-9]{1,64}$/;

/**
 * Keeps the `tXid` or `mandateID` a JSON reply names (a registration's new tXid) for the request's log line; the
 * reply itself is not kept.
 */
export function rememberReplyIds(_req: Request, res: Response, next: NextFunction): void {
  const json = res.json.bind(res);
  res.json = (body?: unknown) => {
    if (body && typeof body === 'object') {
      const { tXid, mandateID } = body as Record<string, unknown>;
      res.locals.replyIds = { tXid, mandateID };
    }
    return json(body);
  };
  next();
}

/**
 * The transaction a request is about, for its log line (pino-http `customSuccessObject`): the `tXid` or `mandateID`
 * from the route's params, the query, the parsed body or the JSON reply; only these identifiers, never a body.
 */
export function requestIds(req: IncomingMessage, res?: ServerResponse): { tXid?: string; mandateID?: string } {
  const r = req as Partial<Pick<Request, 'params' | 'query' | 'body'>>;
  const locals = (res as Partial<Pick<Response, 'locals'>> | undefined)?.locals;
  const sources: unknown[] = [r.params, r.query, r.body, locals?.replyIds];
  const ids: { tXid?: string; mandateID?: string } = {};
  for (const key of ['tXid', 'mandateID'] as const) {
    for (const source of sources) {
      const value = source && typeof source === 'object' && !Buffer.isBuffer(source) ? (source as Record<string, unknown>)[key] : undefined;
      if (typeof value === 'string' && ID.test(value)) {
        ids[key] = value;
        break;
      }
    }
  }
  return ids;
}
