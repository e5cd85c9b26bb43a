/**
 * A SNAP `responseCode`: HTTP status (3 digits) + service code (2) + case code (2), e.g. `2005400`, `4015400`.
 * The service code names the API (54 pay, 55 status, 56 notify, 57 cancel, 58 refund, 73 B2B token).
 */
export interface SnapResponseCode {
  readonly code: string;
  readonly http: number;
  readonly service: string;
  readonly case: string;
}

export function parseSnapCode(code: unknown): SnapResponseCode | undefined {
  if (typeof code !== 'string' || !/^[1-5]\d{6}$/.test(code)) return undefined;
  return { code, http: Number(code.slice(0, 3)), service: code.slice(3, 5), case: code.slice(5, 7) };
}

export function snapCode(http: number, service: string, caseCode: string): string {
  return `${http}${service}${caseCode}`;
}

/**
 * What a wallet's answer means for the caller, in six words. `unknown` is never a refusal: 5xx, timeouts, an answer
 * that cannot be read, and a reused `X-EXTERNAL-ID` (our earlier attempt may have landed) all mean "ask for the
 * status", never "it failed" (STYLE: three outcomes, not two).
 */
export type SnapOutcome =
  | { readonly kind: 'success'; readonly code: SnapResponseCode; readonly message: string }
  | { readonly kind: 'in-progress'; readonly code: SnapResponseCode; readonly message: string }
  | { readonly kind: 'rejected'; readonly code: SnapResponseCode; readonly reason: string }
  /** `tokenInvalid`: 401xx01, the B2B access token is no longer valid; fetch a new one and try once more. */
  | { readonly kind: 'unauthorized'; readonly code: SnapResponseCode; readonly reason: string; readonly tokenInvalid: boolean }
  | { readonly kind: 'not-found'; readonly code: SnapResponseCode; readonly reason: string }
  | { readonly kind: 'unknown'; readonly code?: SnapResponseCode; readonly reason: string };

/** The standard case descriptions (SNAP), used when a wallet sends a code without a message. */
const CASES: Readonly<Record<string, string>> = {
  '400:00': 'Bad Request',
  '400:01': 'Invalid Field Format',
  '400:02': 'Invalid Mandatory Field',
  '401:00': 'Unauthorized. Invalid Signature',
  '401:01': 'Invalid Token (B2B)',
  '401:02': 'Invalid Customer Token',
  '401:03': 'Token Not Found (B2B)',
  '403:00': 'Transaction Expired',
  '403:02': 'Exceeds Transaction Amount Limit',
  '403:03': 'Suspected Fraud',
  '403:05': 'Do Not Honor',
  '403:14': 'Insufficient Funds',
  '403:15': 'Transaction Not Permitted',
  '403:18': 'Inactive Card/Account/Customer',
  '404:00': 'Invalid Transaction Status',
  '404:01': 'Transaction Not Found',
  '404:08': 'Invalid Merchant',
  '404:11': 'Invalid Card/Account/Customer/Virtual Account',
  '404:18': 'Inconsistent Request',
  '409:00': 'Conflict',
  '409:01': 'Duplicate partnerReferenceNo',
};

export function describeSnapCode(code: SnapResponseCode): string {
  return CASES[`${code.http}:${code.case}`] ?? `response code ${code.code}`;
}

/** Reads an answer: the HTTP status, then `responseCode` and `responseMessage` from the JSON body. */
export function snapOutcome(httpStatus: number, body: unknown): SnapOutcome {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = parseSnapCode(fields.responseCode);
  const message = typeof fields.responseMessage === 'string' && fields.responseMessage !== '' ? fields.responseMessage : undefined;
  if (httpStatus >= 500) return { kind: 'unknown', ...(code ? { code } : {}), reason: `HTTP ${httpStatus}` };
  if (code === undefined) return { kind: 'unknown', reason: `HTTP ${httpStatus} without a SNAP responseCode` };
  const reason = message ?? describeSnapCode(code);
  // The code's own HTTP part decides: some gateways answer 200 with a 4xx code in the body.
  if (code.http >= 500 || code.http === 429 || (code.http === 409 && code.case === '00')) return { kind: 'unknown', code, reason };
  if (code.http === 200 && code.case === '00') return { kind: 'success', code, message: reason };
  if (code.http === 202 && code.case === '00') return { kind: 'in-progress', code, message: reason };
  if (code.http === 401) return { kind: 'unauthorized', code, reason, tokenInvalid: code.case === '01' };
  if (code.http === 404 && code.case === '01') return { kind: 'not-found', code, reason };
  if (code.http >= 400) return { kind: 'rejected', code, reason };
  return { kind: 'unknown', code, reason: `unexpected response code ${code.code}` };
}
