import type { z } from 'zod';
import { missingFieldCode, ResultCode } from '../domain/result-codes.js';
import { GatewayError } from './errors.js';

export type RawFields = Record<string, unknown>;

/** The request's fields: query string for GET, body for everything else; anything but an object is malformed. */
export function rawFields(source: unknown): RawFields {
  if (source === undefined || source === null) return {};
  if (typeof source !== 'object' || Array.isArray(source)) throw new GatewayError(ResultCode.Malformed, 'Malformed request: body must be an object');
  return source as RawFields;
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Lower ranks answer first: the contract's order of field checks (CONTRACT §2). */
function rank(code: ResultCode): number {
  const order: ResultCode[] = [
    ResultCode.AmountMissing,
    ResultCode.AmountInvalid,
    ResultCode.CurrencyMissing,
    ResultCode.ReferenceMissing,
    ResultCode.GoodsNameMissing,
    ResultCode.BillingNameMissing,
    ResultCode.BillingPhoneMissing,
    ResultCode.BillingEmailMissing,
    ResultCode.Malformed,
  ];
  const i = order.indexOf(code);
  return i === -1 ? order.length : i;
}

/**
 * Validates fields with a zod schema and answers the first failure in the contract's order, with a message
 * naming the field. The handler gets the parsed value and never parses again.
 */
export function validateFields<S extends z.ZodType>(schema: S, raw: RawFields): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue, index) => {
    const field = String(issue.path[0] ?? 'body');
    const missing = isMissing(raw[field]);
    const code = missing ? (missingFieldCode[field] ?? ResultCode.Malformed) : field === 'amt' ? ResultCode.AmountInvalid : ResultCode.Malformed;
    const message = missing ? `${field} is required` : `Invalid ${field}: ${issue.message}`;
    return { code, message, index };
  });
  problems.sort((a, b) => rank(a.code) - rank(b.code) || a.index - b.index);
  const first = problems[0];
  throw first ? new GatewayError(first.code, first.message) : new GatewayError(ResultCode.Malformed);
}
