import { bodyDigest } from './body-digest.js';

/** The B2B access-token request (`/v1.0/access-token/b2b`), signed SHA256withRSA: `clientId|X-TIMESTAMP`. */
export function b2bTokenStringToSign(clientId: string, timestamp: string): string {
  return `${clientId}|${timestamp}`;
}

export interface TransactionToSign {
  readonly method: string;
  /** The path as the wallet publishes it, with its query if any; never a base-URL prefix such as `/dana`. */
  readonly path: string;
  /** The minified JSON body (`''` for a call without one). */
  readonly body: string;
  readonly timestamp: string;
}

/** A transaction signed SHA256withRSA without a token (DANA): `METHOD:path:lowerhex(sha256(body)):X-TIMESTAMP`. */
export function asymmetricStringToSign(t: TransactionToSign): string {
  return `${t.method.toUpperCase()}:${t.path}:${bodyDigest(t.body)}:${t.timestamp}`;
}

/** A transaction signed HMAC-SHA512 with the B2B token: `METHOD:path:accessToken:lowerhex(sha256(body)):X-TIMESTAMP`. */
export function symmetricStringToSign(t: TransactionToSign & { readonly accessToken: string }): string {
  return `${t.method.toUpperCase()}:${t.path}:${t.accessToken}:${bodyDigest(t.body)}:${t.timestamp}`;
}
