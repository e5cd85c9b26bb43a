import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../platform/logger.js';
import { requestIds } from './metrics-middleware.js';

/**
 * One JSON line per request: method, path (never the query string: the payment call carries tokens there), status,
 * and the transaction it was about (tXid or mandateID), never a body. `fields` tell the listeners apart.
 */
export function requestLog(logger: Logger, { quietPath, fields = {} }: { quietPath: string; fields?: Record<string, string> }): RequestHandler {
  return pinoHttp({
    logger,
    serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }), res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
    autoLogging: { ignore: (req) => req.url === quietPath },
    customSuccessObject: (req, res, val: object) => ({ ...val, ...fields, ...requestIds(req, res) }),
    customErrorObject: (req, res, _err, val: object) => ({ ...val, ...fields, ...requestIds(req, res) }),
  });
}
