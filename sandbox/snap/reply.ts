import type { z } from 'zod';
import { CheckoutError, type CheckoutErrorKind } from '../checkout/errors.js';
import type { WireReply } from '../wallet-api.js';

/** SNAP's service codes: the middle of every `responseCode`. */
export const snapService = { pay: '54', status: '55', notify: '56', cancel: '57', refund: '58', b2bToken: '73' } as const;

/** `responseCode` = HTTP status (3 digits) + service code (2) + case code (2), e.g. `2005400`, `4017300`. */
export function snapResponseCode(http: number, service: string, caseCode: string): string {
  return `${http}${service}${caseCode}`;
}

/** One SNAP answer: the HTTP status is the code's first three digits. */
export function snapReply(http: number, service: string, caseCode: string, message: string, fields: Readonly<Record<string, unknown>> = {}): WireReply {
  return { http, body: { responseCode: snapResponseCode(http, service, caseCode), responseMessage: message, ...fields } };
}

export const snapSuccess = (service: string, fields: Readonly<Record<string, unknown>> = {}): WireReply => snapReply(200, service, '00', 'Successful', fields);

/** A refusal before the request is read: HTTP status, SNAP case code, message. */
export interface SnapRefusal {
  readonly http: 400 | 401 | 409;
  readonly case: string;
  readonly message: string;
}

/** A refusal that names its SNAP case itself (a missing field, another merchant). */
export class SnapError extends CheckoutError {
  constructor(
    kind: CheckoutErrorKind,
    message: string,
    readonly http: number,
    readonly caseCode: string,
    field?: string,
  ) {
    super(kind, message, field);
  }
}

/** Validates with `schema`: a field left out → `400xx02`, a field of the wrong form → `400xx01`, naming it. */
export function parseSnapFields<T>(schema: z.ZodType<T>, value: Record<string, unknown>): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const path = parsed.error.issues[0]?.path ?? [];
  const field = path.map(String).join('.') || 'body';
  let at: unknown = value;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  if (at === undefined) throw new SnapError('invalid', `Invalid Mandatory Field ${field}`, 400, '02', field);
  throw new SnapError('invalid', `Invalid Field Format ${field}`, 400, '01', field);
}
