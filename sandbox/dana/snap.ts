import { createHash, sign, verify, type KeyObject } from 'node:crypto';

/**
 * SNAP's asymmetric signature as DANA checks and makes it, the sandbox's own copy (the gateway is the other party):
 * base64 SHA256withRSA over `METHOD:path:lowerhex(sha256(minified body)):X-TIMESTAMP`, the path as published.
 */
export function danaStringToSign(method: string, path: string, minifiedBody: string, timestamp: string): string {
  return `${method.toUpperCase()}:${path}:${createHash('sha256').update(minifiedBody, 'utf8').digest('hex')}:${timestamp}`;
}

export function signDana(privateKey: KeyObject, method: string, path: string, minifiedBody: string, timestamp: string): string {
  return sign('sha256', Buffer.from(danaStringToSign(method, path, minifiedBody, timestamp), 'utf8'), privateKey).toString('base64');
}

/**
 * Whether `signature` signs the request. The signed body is the minified JSON; a sender may send it otherwise
 * (DANA's Python SDK sends `json.dumps` with spaces, signs it minified with non-ASCII escaped), so those forms of
 * the received body are tried.
 */
export function danaSignatureValid(publicKey: KeyObject, method: string, path: string, rawBody: string, timestamp: string, signature: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  const bytes = Buffer.from(signature, 'base64');
  return bodyForms(rawBody).some((body) => {
    try {
      return verify('sha256', Buffer.from(danaStringToSign(method, path, body, timestamp), 'utf8'), publicKey, bytes);
    } catch {
      return false;
    }
  });
}

function bodyForms(rawBody: string): string[] {
  const forms = new Set([rawBody]);
  try {
    const minified = JSON.stringify(JSON.parse(rawBody));
    forms.add(minified);
    forms.add(minified.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  } catch {
    // not JSON: only the bytes as sent
  }
  return [...forms];
}

/** DANA's times: Jakarta, `2026-12-06T12:00:00+07:00`. */
export function jakartaTime(at: Date | number | string = Date.now()): string {
  const ms = typeof at === 'string' ? Date.parse(at) : typeof at === 'number' ? at : at.getTime();
  return `${new Date(ms + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

/** The Jakarta calendar day of an instant: the span within which an `X-EXTERNAL-ID` must be unique. */
export function jakartaDay(at: number = Date.now()): string {
  return new Date(at + 7 * 3600_000).toISOString().slice(0, 10);
}
