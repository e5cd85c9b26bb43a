/** Error codes of the OVO sandbox API; every error body is `{"error":{"code","message"}}` (plus `status` for ALREADY_PAID). */
export type OvoErrorCode =
  | 'UNAUTHORIZED'
  | 'INVALID_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'INVALID_PHONE'
  | 'IDEMPOTENCY_MISMATCH'
  | 'DUPLICATE_INVOICE'
  | 'NOT_FOUND'
  | 'ALREADY_PAID'
  | 'NOT_PAID'
  | 'REFUND_EXCEEDS'
  | 'REFUND_NOT_ALLOWED'
  | 'INTERNAL';

export class OvoApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: OvoErrorCode,
    message: string,
    /** Extra top-level fields of the error body, e.g. `{ status: 'SUCCESS' }` for ALREADY_PAID. */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: OvoErrorCode, message: string, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { error: { code, message }, ...extra };
}
