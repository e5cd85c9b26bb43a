/**
 * How a wallet authenticates a merchant's SNAP calls. Each wallet declares one; the SNAP client does the rest.
 * - `asymmetric`: every call signed SHA256withRSA with the merchant's key, no access token (DANA's Payment Gateway).
 * - `symmetric-b2b`: a B2B access token first (RSA-signed), then every call signed HMAC-SHA512 with the client secret
 *   and carrying `Authorization: Bearer <token>` (SNAP Direct Debit: OVO, ShopeePay and the others).
 */
export type SnapProfile =
  | { readonly kind: 'asymmetric' }
  | { readonly kind: 'symmetric-b2b'; readonly clientSecret: string; readonly tokenPath: string };
