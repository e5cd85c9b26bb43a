import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Seconds a B2B access token lives (`expiresIn`, "900" as SNAP wallets answer). */
export const B2B_TOKEN_SECONDS = 900;
const MAX_TOKENS = 10_000;

/** An issued token (persisted, so the gateway's token outlives a sandbox restart, as at a real wallet). */
export const B2bToken = z.object({ token: z.string(), clientId: z.string(), expiresAt: z.int() });
export type B2bToken = z.infer<typeof B2bToken>;

/** One wallet's B2B access tokens. */
export class B2bTokens {
  readonly #tokens = new Map<string, { readonly clientId: string; readonly expiresAt: number }>();
  readonly #onChange: () => void;

  constructor(initial: readonly B2bToken[], onChange: () => void) {
    for (const t of initial) this.#tokens.set(t.token, { clientId: t.clientId, expiresAt: t.expiresAt });
    this.#onChange = onChange;
  }

  issue(clientId: string, now: number = Date.now()): string {
    for (const [token, t] of this.#tokens) if (t.expiresAt <= now || this.#tokens.size >= MAX_TOKENS) this.#tokens.delete(token);
    const token = randomBytes(32).toString('base64url');
    this.#tokens.set(token, { clientId, expiresAt: now + B2B_TOKEN_SECONDS * 1000 });
    this.#onChange();
    return token;
  }

  /** The client a known, unexpired token was issued to; `undefined` otherwise. */
  clientOf(token: string, now: number = Date.now()): string | undefined {
    const t = this.#tokens.get(token);
    return t !== undefined && t.expiresAt > now ? t.clientId : undefined;
  }

  toJSON(): B2bToken[] {
    const now = Date.now();
    return [...this.#tokens].filter(([, t]) => t.expiresAt > now).map(([token, t]) => ({ token, ...t }));
  }
}
