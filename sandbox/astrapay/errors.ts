import { CheckoutError } from '../checkout/errors.js';

/**
 * An AstraPay answer the checkout core has no kind for (links, account tokens, idempotency keys): its HTTP status
 * and `code` as they go on the wire.
 */
export class AstraPayError extends CheckoutError {
  constructor(
    readonly code: string,
    http: number,
    message: string,
  ) {
    super('invalid', message, undefined, http);
  }
}
