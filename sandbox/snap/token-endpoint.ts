import express, { type Request, type Router } from 'express';
import type { KeyObject } from 'node:crypto';
import { rawBodyOf, sameSecret, sendReply } from '../wallet-api.js';
import { snapReply, snapService, type SnapRefusal } from './reply.js';
import { b2bTokenStringToSign, rsaSignatureValid } from './signature.js';
import { B2B_TOKEN_SECONDS, type B2bTokens } from './tokens.js';
import { parseSnapTime, SNAP_MAX_CLOCK_SKEW_MS } from './time.js';

export interface B2bTokenClient {
  /** `X-CLIENT-KEY`: the partner's client id. */
  readonly clientId: string;
  /** Verifies `X-SIGNATURE` (the partner's RSA public key). */
  readonly partnerPublicKey: KeyObject;
}

/** The published token path, under the wallet's base. */
export const B2B_TOKEN_PATH = '/v1.0/access-token/b2b';

/**
 * Why a token request is refused, in SNAP's order: the mandatory headers, their form, the client, the clock, the
 * SHA256withRSA signature of `clientId|X-TIMESTAMP`, then the body.
 */
export function b2bTokenProblem(req: Request, client: B2bTokenClient, now: number = Date.now()): SnapRefusal | undefined {
  for (const name of ['X-CLIENT-KEY', 'X-TIMESTAMP', 'X-SIGNATURE']) {
    if ((req.get(name) ?? '') === '') return { http: 400, case: '02', message: `Invalid Mandatory Field ${name}` };
  }
  const timestamp = req.get('X-TIMESTAMP') ?? '';
  const at = parseSnapTime(timestamp);
  if (at === undefined) return { http: 400, case: '01', message: 'Invalid Field Format X-TIMESTAMP' };
  const clientId = req.get('X-CLIENT-KEY') ?? '';
  if (!sameSecret(clientId, client.clientId)) return { http: 401, case: '00', message: 'Unauthorized. Unknown client' };
  if (Math.abs(now - at) > SNAP_MAX_CLOCK_SKEW_MS) return { http: 401, case: '00', message: 'Unauthorized. X-TIMESTAMP is more than 300 s away' };
  if (!rsaSignatureValid(client.partnerPublicKey, b2bTokenStringToSign(clientId, timestamp), req.get('X-SIGNATURE') ?? '')) {
    return { http: 401, case: '00', message: 'Unauthorized. Invalid Signature' };
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBodyOf(req).toString('utf8'));
  } catch {
    return { http: 400, case: '01', message: 'Invalid Field Format body' };
  }
  const grantType = typeof body === 'object' && body !== null ? (body as { grantType?: unknown }).grantType : undefined;
  if (grantType === undefined) return { http: 400, case: '02', message: 'Invalid Mandatory Field grantType' };
  if (grantType !== 'client_credentials') return { http: 400, case: '01', message: 'Invalid Field Format grantType' };
  return undefined;
}

/** `POST /v1.0/access-token/b2b` → `{responseCode "2007300", accessToken, tokenType "Bearer", expiresIn "900"}`. */
export function createB2bTokenRouter(client: B2bTokenClient, tokens: B2bTokens): Router {
  const router = express.Router();
  router.post(B2B_TOKEN_PATH, express.raw({ type: () => true, limit: '16kb' }), (req, res) => {
    const problem = b2bTokenProblem(req, client);
    if (problem !== undefined) {
      sendReply(res, snapReply(problem.http, snapService.b2bToken, problem.case, problem.message));
      return;
    }
    res.set('Cache-Control', 'no-store');
    sendReply(
      res,
      snapReply(200, snapService.b2bToken, '00', 'Successful', {
        accessToken: tokens.issue(client.clientId),
        tokenType: 'Bearer',
        expiresIn: String(B2B_TOKEN_SECONDS),
      }),
    );
  });
  return router;
}
