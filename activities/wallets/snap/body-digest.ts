import { createHash } from 'node:crypto';

/** lowerhex(sha256(body)): the body's part of every SNAP string to sign. */
export function bodyDigest(minifiedBody: string): string {
  return createHash('sha256').update(minifiedBody, 'utf8').digest('hex');
}

/** The minified JSON SNAP signs: no whitespace between tokens, keys in the order sent. */
export function minifyJson(rawBody: string): string {
  return JSON.stringify(JSON.parse(rawBody));
}

/**
 * The forms of a received body its sender may have signed, for verifying: the bytes as received, the body minified,
 * and the body minified with non-ASCII escaped as `\uXXXX`. DANA's Python SDK sends `json.dumps(body)` (spaces
 * after `:` and `,`) but signs `json.dumps(body, separators=(',', ':'))`, whose default escapes non-ASCII.
 * A body that is not JSON (an empty GET body) is signed as it is.
 */
export function signedBodyForms(rawBody: string): string[] {
  const forms = new Set<string>([rawBody]);
  try {
    const minified = minifyJson(rawBody);
    forms.add(minified);
    forms.add(minified.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  } catch {
    // Not JSON: only the bytes as received can have been signed.
  }
  return [...forms];
}
