import { createHash } from 'node:crypto';

/** lowerhex(sha256(body)): the body's part of every SNAP string to sign. */
export function sha256hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The body as SNAP signs it: minified JSON (keys in the order sent); a body that is not JSON as it is. */
export function minifiedBody(rawBody: string): string {
  try {
    return JSON.stringify(JSON.parse(rawBody));
  } catch {
    return rawBody;
  }
}

/**
 * The forms of a received body its sender may have signed: the bytes as received, the body minified, and the body
 * minified with non-ASCII escaped as `\uXXXX`. DANA's Python SDK sends `json.dumps(body)` (spaces after `:` and `,`)
 * but signs `json.dumps(body, separators=(',', ':'))`, whose default escapes non-ASCII.
 */
export function signedBodyForms(rawBody: string): string[] {
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
