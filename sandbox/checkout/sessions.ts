import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

/** How long a login on a checkout page lasts. */
const SESSION_MS = 30 * 60 * 1000;
const MAX_SESSIONS = 10_000;

/** The PIN of every sandbox account (any phone number). */
export const SANDBOX_PIN = '123456';

interface Session {
  readonly walletRef: string;
  readonly phone: string;
  readonly until: number;
}

/**
 * Logins on one wallet's checkout pages: an HttpOnly cookie scoped to one checkout page's path
 * (`/<wallet>/checkout/<walletRef>`), so a login is good for that payment only. Kept in memory: after a
 * restart the customer logs in again.
 */
export class CheckoutSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #cookie: string;

  constructor(walletKey: string) {
    this.#cookie = `${walletKey}_session`;
  }

  /** Starts a session for this payment and sets its cookie. */
  open(res: Response, path: string, walletRef: string, phone: string): void {
    this.#prune();
    const token = randomBytes(16).toString('hex');
    this.#sessions.set(token, { walletRef, phone, until: Date.now() + SESSION_MS });
    res.cookie(this.#cookie, token, { httpOnly: true, sameSite: 'lax', path, maxAge: SESSION_MS });
  }

  /** The phone logged in on this payment's page, or `undefined`. */
  phoneFor(req: Request, walletRef: string): string | undefined {
    const token = cookieValue(req, this.#cookie);
    const session = token === undefined ? undefined : this.#sessions.get(token);
    if (session === undefined || session.walletRef !== walletRef || session.until < Date.now()) return undefined;
    return session.phone;
  }

  #prune(): void {
    const now = Date.now();
    for (const [token, s] of this.#sessions) if (s.until < now) this.#sessions.delete(token);
    // Oldest first (Map keeps insertion order): a flood of logins cannot grow memory without bound.
    for (const token of this.#sessions.keys()) {
      if (this.#sessions.size < MAX_SESSIONS) break;
      this.#sessions.delete(token);
    }
  }
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
