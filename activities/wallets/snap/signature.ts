import { createHmac, createPrivateKey, createPublicKey, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

export type PrivateKeyInput = KeyObject | string;
export type PublicKeyInput = KeyObject | string;

/** A PEM private key as a KeyObject, parsed once (a bad key fails at start-up, not on the first payment). */
export function privateKeyOf(pem: PrivateKeyInput): KeyObject {
  return typeof pem === 'string' ? createPrivateKey(pem) : pem;
}

export function publicKeyOf(pem: PublicKeyInput): KeyObject {
  return typeof pem === 'string' ? createPublicKey(pem) : pem;
}

/** base64 SHA256withRSA (PKCS#1 v1.5), as SNAP's asymmetric signatures and the B2B token request. */
export function signSha256WithRsa(privateKey: PrivateKeyInput, data: string): string {
  return sign('sha256', Buffer.from(data, 'utf8'), privateKeyOf(privateKey)).toString('base64');
}

/** Whether `signature` (base64) is the key's SHA256withRSA of `data`; anything malformed is simply "no". */
export function verifySha256WithRsa(publicKey: PublicKeyInput, data: string, signature: string | undefined): boolean {
  if (signature === undefined || signature === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify('sha256', Buffer.from(data, 'utf8'), publicKeyOf(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** base64 HMAC-SHA512 under the client secret: SNAP's symmetric transaction signature. */
export function hmacSha512(secret: string, data: string): string {
  return createHmac('sha512', secret).update(data, 'utf8').digest('base64');
}

/** Constant-time check of an HMAC-SHA512 signature. */
export function verifyHmacSha512(secret: string, data: string, signature: string | undefined): boolean {
  const expected = Buffer.from(hmacSha512(secret, data));
  const given = Buffer.from(signature ?? '');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
