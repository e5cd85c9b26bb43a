import type { NextFunction, Request, Response } from 'express';
import { defaultResultMessage, ResultCode } from '../domain/result-codes.js';
import type { Logger } from '../platform/logger.js';

/** A request the gateway answers with a NICEPAY result code other than 0000. */
export class GatewayError extends Error {
  constructor(readonly resultCd: ResultCode, message: string = defaultResultMessage[resultCd]) {
    super(message);
  }
}

export interface NicepayErrorBody {
  resultCd: string;
  resultMsg: string;
}

export function errorBody(err: GatewayError): NicepayErrorBody {
  return { resultCd: err.resultCd, resultMsg: err.message };
}

/**
 * The last middleware: every failure becomes a NICEPAY-shaped JSON answer with HTTP 200 (CONTRACT §2),
 * never a stack trace and never HTTP 500 for anything a client sent.
 */
export function nicepayErrorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) return;
    if (err instanceof GatewayError) {
      res.status(200).json(errorBody(err));
      return;
    }
    const bodyError = bodyParserError(err);
    if (bodyError) {
      res.status(200).json({ resultCd: ResultCode.Malformed, resultMsg: bodyError });
      return;
    }
    logger.error({ err, path: req.path }, 'unexpected error');
    res.status(200).json({ resultCd: ResultCode.InternalError, resultMsg: defaultResultMessage[ResultCode.InternalError] });
  };
}

/** body-parser's errors carry a `type` and a 4xx status; turn them into a message naming what was wrong. */
function bodyParserError(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = 'status' in err && typeof err.status === 'number' ? err.status : undefined;
  // Some parser errors (a body that does not match its Content-Encoding) carry only a 4xx status: still bad input.
  if (!('type' in err)) return status !== undefined && status >= 400 && status < 500 ? 'Malformed request: body could not be decoded' : undefined;
  switch (err.type) {
    case 'entity.parse.failed':
      return 'Malformed request: body is not valid JSON';
    case 'entity.too.large':
      return 'Malformed request: body too large';
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return 'Malformed request: unsupported body encoding';
    case 'request.aborted':
      return 'Malformed request: body incomplete';
    default:
      return 'Malformed request';
  }
}

/** The 4xx an error carries (body-parser's errors, a malformed URI): the client's fault, answered as such. */
export function clientErrorStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = 'status' in err && typeof err.status === 'number' ? err.status : 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : undefined;
  return status !== undefined && status >= 400 && status < 500 ? status : undefined;
}

/** For routes outside NICEPAY's format (callbacks, operators): a client's fault as its 4xx; false when it is not one. */
export function answeredClientError(err: unknown, res: Response): boolean {
  const status = clientErrorStatus(err);
  if (status === undefined) return false;
  res.status(status).json({ error: err instanceof Error ? err.message : 'bad request' });
  return true;
}

/**
 * Every tXid a merchant may not see is answered with this one error: unknown, another merchant's, another
 * referenceNo's, or an earlier transaction's for the same referenceNo. Nothing tells them apart (no existence oracle).
 */
export function tXidNotFound(): GatewayError {
  return new GatewayError(ResultCode.NotFound, 'tXid not found');
}
