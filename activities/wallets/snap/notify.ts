import { signedBodyForms } from './body-digest.js';
import { verifySha256WithRsa, type PublicKeyInput } from './signature.js';
import { asymmetricStringToSign } from './string-to-sign.js';

export interface InboundSnapRequest {
  readonly method: string;
  /** The path the sender signed: for a notify, the receiver's own path as the sender addressed it. */
  readonly path: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly rawBody: string;
}

/**
 * Whether an inbound request (a wallet's notify; a merchant's call at a simulated wallet) carries the sender's
 * SHA256withRSA over `METHOD:path:lowerhex(sha256(minified body)):X-TIMESTAMP`. The minified form is what is
 * signed; the forms a sender may have sent are tried (body-digest.ts).
 */
export function verifyAsymmetricSignature(publicKey: PublicKeyInput, r: InboundSnapRequest): boolean {
  if (r.timestamp === undefined || r.signature === undefined) return false;
  const { timestamp, signature } = r;
  return signedBodyForms(r.rawBody).some((body) => verifySha256WithRsa(publicKey, asymmetricStringToSign({ method: r.method, path: r.path, body, timestamp }), signature));
}
