import { createHmac, randomBytes } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { WalletSecrets } from '../config.js';
import { rawBodyOf, sameSecret, sendReply } from '../wallet-api.js';

/** Seconds an access token lives (`expires_in`). */
export const LINKAJA_TOKEN_SECONDS = 300;
const MAX_TOKENS = 10_000;

/** An issued access token (persisted, so the gateway's token outlives a sandbox restart). */
export const LinkAjaToken = z.object({ token: z.string(), expiresAt: z.int() });
export type LinkAjaToken = z.infer<typeof LinkAjaToken>;

/** LinkAja's OAuth2 client-credentials tokens. */
export class LinkAjaTokens {
  readonly #tokens = new Map<string, number>();
  readonly #onChange: () => void;

  constructor(initial: readonly LinkAjaToken[], onChange: () => void) {
    for (const t of initial) this.#tokens.set(t.token, t.expiresAt);
    this.#onChange = onChange;
  }

  issue(now: number = Date.now()): string {
    for (const [token, expiresAt] of this.#tokens) if (expiresAt <= now || this.#tokens.size >= MAX_TOKENS) this.#tokens.delete(token);
    const token = randomBytes(24).toString('base64url');
    this.#tokens.set(token, now + LINKAJA_TOKEN_SECONDS * 1000);
    this.#onChange();
    return token;
  }

  /** A known token that has not expired. */
  valid(token: string, now: number = Date.now()): boolean {
    const expiresAt = this.#tokens.get(token);
    return expiresAt !== undefined && expiresAt > now;
  }

  toJSON(): LinkAjaToken[] {
    const now = Date.now();
    return [...this.#tokens].filter(([, expiresAt]) => expiresAt > now).map(([token, expiresAt]) => ({ token, expiresAt }));
  }
}

/** `POST /linkaja/oauth/token`, form `grant_type=client_credentials&client_id=…&client_secret=…`. */
export function createLinkAjaTokenRouter(client: WalletSecrets, tokens: LinkAjaTokens): Router {
  const router = express.Router();
  router.post('/token', express.raw({ type: () => true, limit: '16kb' }), (req, res) => {
    const form = new URLSearchParams(rawBodyOf(req).toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials') {
      sendReply(res, { http: 400, body: { status: '400', message: 'unsupported grant_type' } });
      return;
    }
    if (!sameSecret(form.get('client_id') ?? '', client.clientId) || !sameSecret(form.get('client_secret') ?? '', client.clientSecret)) {
      sendReply(res, { http: 401, body: { status: '401', message: 'invalid client' } });
      return;
    }
    res.set('Cache-Control', 'no-store').json({ access_token: tokens.issue(), token_type: 'Bearer', expires_in: LINKAJA_TOKEN_SECONDS });
  });
  return router;
}

/** True when the request carries `Authorization: Bearer <a valid token>`. */
export function hasValidToken(req: Request, tokens: LinkAjaTokens): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('Authorization') ?? '');
  return match?.[1] !== undefined && tokens.valid(match[1]);
}

/** LinkAja's callback `signature`: lowercase hex HMAC-SHA256, keyed with LINKAJA_CALLBACK_SECRET, of `trxId|refNum|total|status|eventTime`. */
export function signLinkAjaCallback(fields: { trxId: string; refNum: string; total: string; status: string; eventTime: string }, secret: string): string {
  return createHmac('sha256', secret).update(`${fields.trxId}|${fields.refNum}|${fields.total}|${fields.status}|${fields.eventTime}`).digest('hex');
}
