import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { Request } from 'express';
import type { DanaSandboxConfig } from '../config.js';
import { rawBodyOf, sameSecret } from '../wallet-api.js';
import { danaSignatureValid, jakartaDay } from './snap.js';

/** How far `X-TIMESTAMP` may be from the wallet's clock, either way. */
export const DANA_MAX_CLOCK_SKEW_MS = 300_000;

/** ISO 8601 with an offset, with or without fractions (DANA's SDKs send `+07:00`, or the host's zone). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The most `X-EXTERNAL-ID`s remembered for the day. */
const MAX_EXTERNAL_IDS = 50_000;

/** Where the sandbox serves DANA; the signature covers the published path, without it. */
export const DANA_PREFIX = '/dana';

/** A refusal before the request is read: HTTP status, SNAP case code, message. */
export interface DanaRefusal {
  readonly http: 400 | 401 | 409;
  readonly case: string;
  readonly message: string;
}

/** The published path of a request at the sandbox (`/dana/payment-gateway/…` → `/payment-gateway/…`). */
export function publishedPath(req: Request): string {
  return req.originalUrl.startsWith(`${DANA_PREFIX}/`) ? req.originalUrl.slice(DANA_PREFIX.length) : req.originalUrl;
}

/**
 * DANA's checks of a partner's call, in DANA's order: the mandatory headers, the partner, the timestamp, the
 * SHA256withRSA signature over the published path with the partner's public key.
 */
export function danaAuthProblem(req: Request, dana: DanaSandboxConfig, partnerKey: KeyObject, now: number = Date.now()): DanaRefusal | undefined {
  for (const name of ['X-TIMESTAMP', 'X-PARTNER-ID', 'X-EXTERNAL-ID', 'CHANNEL-ID']) {
    if ((req.get(name) ?? '') === '') return { http: 400, case: '02', message: `Invalid Mandatory Field ${name}` };
  }
  const timestamp = req.get('X-TIMESTAMP') ?? '';
  if (!ISO_WITH_OFFSET.test(timestamp) || Number.isNaN(Date.parse(timestamp))) return { http: 400, case: '01', message: 'Invalid Field Format X-TIMESTAMP' };
  if ((req.get('X-EXTERNAL-ID') ?? '').length > 36) return { http: 400, case: '01', message: 'Invalid Field Format X-EXTERNAL-ID' };
  if (!sameSecret(req.get('X-PARTNER-ID') ?? '', dana.partnerId)) return { http: 401, case: '00', message: 'Unauthorized. Unknown partner' };
  if (Math.abs(now - Date.parse(timestamp)) > DANA_MAX_CLOCK_SKEW_MS) return { http: 401, case: '00', message: 'Unauthorized. X-TIMESTAMP is more than 300 s away' };
  const signature = req.get('X-SIGNATURE') ?? '';
  const rawBody = rawBodyOf(req).toString('utf8');
  if (signature === '' || !danaSignatureValid(partnerKey, req.method, publishedPath(req), rawBody, timestamp, signature)) {
    return { http: 401, case: '00', message: 'Unauthorized. Invalid Signature' };
  }
  return undefined;
}

export function partnerKeyOf(dana: DanaSandboxConfig): KeyObject {
  return createPublicKey(dana.partnerPublicKey);
}

/**
 * `X-EXTERNAL-ID`s seen today (Jakarta), each with a digest of what it carried. The same id with the same call is a
 * retry (let through: the operations are idempotent); with another call it is a conflict (`409xx00`).
 * Kept in the state file; ids of other days are dropped.
 */
export class ExternalIds {
  #seen: Record<string, string>;

  constructor(initial: Readonly<Record<string, string>> = {}) {
    this.#seen = { ...initial };
  }

  /** Records the id for today; `false` when it was used today for another call. */
  admit(externalId: string, path: string, rawBody: string, now: number = Date.now()): boolean {
    const day = jakartaDay(now);
    const key = `${day}|${externalId}`;
    const digest = createHash('sha256').update(`${path}\n${canonicalBody(rawBody)}`).digest('hex');
    const previous = this.#seen[key];
    if (previous !== undefined) return previous === digest;
    const keys = Object.keys(this.#seen);
    for (const k of keys) if (!k.startsWith(`${day}|`)) delete this.#seen[k];
    // A day of a load test must not grow the state file without end: the oldest ids go first (insertion order).
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_EXTERNAL_IDS + 1))) delete this.#seen[k];
    this.#seen[key] = digest;
    return true;
  }

  toJSON(): Record<string, string> {
    return { ...this.#seen };
  }
}

function canonicalBody(rawBody: string): string {
  try {
    return JSON.stringify(JSON.parse(rawBody));
  } catch {
    return rawBody;
  }
}
