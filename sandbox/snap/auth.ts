import type { KeyObject } from 'node:crypto';
import type { Request } from 'express';
import { rawBodyOf, sameSecret } from '../wallet-api.js';
import type { SnapRefusal } from './reply.js';
import { asymmetricSignatureValid, symmetricSignatureValid } from './signature.js';
import { parseSnapTime, SNAP_MAX_CLOCK_SKEW_MS } from './time.js';
import type { B2bTokens } from './tokens.js';

/** The published path of a request at the sandbox (`/shopeepay/v1.0/debit/…` → `/v1.0/debit/…`): what is signed. */
export function publishedPath(req: Request, prefix: string): string {
  return req.originalUrl.startsWith(`${prefix}/`) ? req.originalUrl.slice(prefix.length) : req.originalUrl;
}

/** The headers every SNAP transaction call carries, and their form. */
function headerProblem(req: Request, extra: readonly string[]): SnapRefusal | undefined {
  for (const name of ['X-TIMESTAMP', ...extra, 'X-PARTNER-ID', 'X-EXTERNAL-ID', 'CHANNEL-ID']) {
    if ((req.get(name) ?? '') === '') return { http: 400, case: '02', message: `Invalid Mandatory Field ${name}` };
  }
  if (parseSnapTime(req.get('X-TIMESTAMP') ?? '') === undefined) return { http: 400, case: '01', message: 'Invalid Field Format X-TIMESTAMP' };
  if ((req.get('X-EXTERNAL-ID') ?? '').length > 36) return { http: 400, case: '01', message: 'Invalid Field Format X-EXTERNAL-ID' };
  return undefined;
}

function clockProblem(req: Request, now: number): SnapRefusal | undefined {
  const at = parseSnapTime(req.get('X-TIMESTAMP') ?? '') ?? Number.NaN;
  return Math.abs(now - at) > SNAP_MAX_CLOCK_SKEW_MS ? { http: 401, case: '00', message: 'Unauthorized. X-TIMESTAMP is more than 300 s away' } : undefined;
}

export interface AsymmetricPartner {
  readonly partnerId: string;
  readonly partnerPublicKey: KeyObject;
}

/**
 * A call signed SHA256withRSA without a token (DANA), in the wallet's order: the mandatory headers, the partner, the
 * clock, the signature over the published path.
 */
export function asymmetricAuthProblem(req: Request, partner: AsymmetricPartner, prefix: string, now: number = Date.now()): SnapRefusal | undefined {
  const headers = headerProblem(req, []);
  if (headers !== undefined) return headers;
  if (!sameSecret(req.get('X-PARTNER-ID') ?? '', partner.partnerId)) return { http: 401, case: '00', message: 'Unauthorized. Unknown partner' };
  const clock = clockProblem(req, now);
  if (clock !== undefined) return clock;
  const signature = req.get('X-SIGNATURE') ?? '';
  const timestamp = req.get('X-TIMESTAMP') ?? '';
  if (signature === '' || !asymmetricSignatureValid(partner.partnerPublicKey, req.method, publishedPath(req, prefix), rawBodyOf(req).toString('utf8'), timestamp, signature)) {
    return { http: 401, case: '00', message: 'Unauthorized. Invalid Signature' };
  }
  return undefined;
}

export interface SymmetricClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * A call on the B2B token (SNAP Direct Debit): the mandatory headers, `Authorization: Bearer` a token this wallet
 * issued to this client and that has not expired (else `401xx01`, so the partner fetches a new one), the clock, then
 * the HMAC-SHA512 with the client secret over `METHOD:path:token:lowerhex(sha256(minified body)):X-TIMESTAMP`.
 */
export function symmetricAuthProblem(req: Request, client: SymmetricClient, tokens: B2bTokens, prefix: string, now: number = Date.now()): SnapRefusal | undefined {
  const headers = headerProblem(req, ['X-SIGNATURE', 'Authorization']);
  if (headers !== undefined) return headers;
  const token = /^Bearer\s+(\S+)\s*$/i.exec(req.get('Authorization') ?? '')?.[1];
  if (token === undefined) return { http: 401, case: '01', message: 'Invalid Token (B2B)' };
  const owner = tokens.clientOf(token, now);
  if (owner === undefined) return { http: 401, case: '01', message: 'Invalid Token (B2B)' };
  const partnerId = req.get('X-PARTNER-ID') ?? '';
  if (!sameSecret(partnerId, client.clientId) || !sameSecret(owner, partnerId)) return { http: 401, case: '00', message: 'Unauthorized. Unknown partner' };
  const clock = clockProblem(req, now);
  if (clock !== undefined) return clock;
  const signed = symmetricSignatureValid(client.clientSecret, req.method, publishedPath(req, prefix), token, rawBodyOf(req).toString('utf8'), req.get('X-TIMESTAMP') ?? '', req.get('X-SIGNATURE') ?? '');
  return signed ? undefined : { http: 401, case: '00', message: 'Unauthorized. Invalid Signature' };
}
