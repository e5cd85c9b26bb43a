/**
 * What can go wrong in a redirect wallet, in the core's words. Each wallet answers these in its own format
 * (HTTP status and SNAP `responseCode`, or AstraPay's `code`), from one table in its module.
 */
export type CheckoutErrorKind =
  /** A field is missing or invalid (`field` names it); also a body that does not parse. */
  | 'invalid'
  | 'invalid-phone'
  /** The merchant's id is taken by a payment with other content. */
  | 'duplicate'
  | 'not-found'
  /** Void of a paid (or refunded) payment. */
  | 'already-paid'
  /** Refund of a payment that is not paid. */
  | 'not-paid'
  | 'refund-exceeds'
  /** Refund of a payment whose refunds the wallet refuses for good (magic 008). */
  | 'refund-not-allowed'
  /** A simulated outage (magic 005 creates, magic 009 refunds, `failNext`) or an unexpected error; HTTP 500 in every wallet. */
  | 'outage'
  /** No such API endpoint. */
  | 'no-endpoint';

export class CheckoutError extends Error {
  constructor(
    readonly kind: CheckoutErrorKind,
    message: string,
    /** For `invalid`: the field, as the wallet names it. */
    readonly field?: string,
    /** An HTTP status the wallet's table should use instead of its own (413 for a body that is too large). */
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}
