import { createHmac, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { sha256hex, signedBodyForms } from './body.js';

/**
 * SNAP's signatures as a wallet checks and makes them, the sandbox's own copy (the gateway is the other party, so
 * nothing here is shared with it). Paths are as published: never the sandbox's `/<wallet>` prefix.
 */

/** Asymmetric (no token): `METHOD:path:lowerhex(sha256(minified body)):X-TIMESTAMP`. */
export function asymmetricStringToSign(method: string, path: string, minifiedBody: string, timestamp: string): string {
  return `${method.toUpperCase()}:${path}:${sha256hex(minifiedBody)}:${timestamp}`;
}

/** Symmetric (with the B2B token): `METHOD:path:accessToken:lowerhex(sha256(minified body)):X-TIMESTAMP`. */
export function symmetricStringToSign(method: string, path: string, accessToken: string, minifiedBody: string, timestamp: string): string {
  return `${method.toUpperCase()}:${path}:${accessToken}:${sha256hex(minifiedBody)}:${timestamp}`;
}

/** The B2B token request: `clientId|X-TIMESTAMP`. */
export function b2bTokenStringToSign(clientId: string, timestamp: string): string {
  return `${clientId}|${timestamp}`;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** base64 SHA256withRSA (PKCS#1 v1.5). */
export function signRsa(privateKey: KeyObject, data: string): string {
  return sign('sha256', Buffer.from(data, 'utf8'), privateKey).toString('base64');
}

/** Whether `signature` is the key's SHA256withRSA of `data`; anything malformed is simply "no". */
export function rsaSignatureValid(publicKey: KeyObject, data: string, signature: string): boolean {
  if (!BASE64.test(signature)) return false;
  try {
    return verify('sha256', Buffer.from(data, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** An asymmetric request signature, trying every form of the body its sender may have signed. */
export function asymmetricSignatureValid(publicKey: KeyObject, method: string, path: string, rawBody: string, timestamp: string, signature: string): boolean {
  return signedBodyForms(rawBody).some((body) => rsaSignatureValid(publicKey, asymmetricStringToSign(method, path, body, timestamp), signature));
}

export function signAsymmetric(privateKey: KeyObject, method: string, path: string, minifiedBody: string, timestamp: string): string {
  return signRsa(privateKey, asymmetricStringToSign(method, path, minifiedBody, timestamp));
}

/** base64 HMAC-SHA512 with the client secret. */
export function hmacSha512(secret: string, data: string): string {
  return createHmac('sha512', secret).update(data, 'utf8').digest('base64');
}

/** A symmetric request signature (compared in constant time), trying every form of the body. */
export function symmetricSignatureValid(secret: string, method: string, path: string, accessToken: string, rawBody: string, timestamp: string, signature: string): boolean {
  const given = Buffer.from(signature);
  return signedBodyForms(rawBody).some((body) => {
    const expected = Buffer.from(hmacSha512(secret, symmetricStringToSign(method, path, accessToken, body, timestamp)));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
