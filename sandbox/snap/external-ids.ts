import { createHash } from 'node:crypto';
import { minifiedBody } from './body.js';
import { jakartaDay } from './time.js';

/** The most `X-EXTERNAL-ID`s remembered for the day. */
const MAX_EXTERNAL_IDS = 50_000;

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
    const digest = createHash('sha256').update(`${path}\n${minifiedBody(rawBody)}`).digest('hex');
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
