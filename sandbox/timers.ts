/** Node's setTimeout fires at once for delays above 2^31-1 ms (~24.8 days); longer waits are chained. */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * Every timer the sandbox runs, named by key so a payment's timer can be replaced or cancelled, and all of
 * them cancelled by `close()` (tests and shutdown exit cleanly). After close nothing new is scheduled.
 */
export class TimerSet {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #onError: (error: unknown, key: string) => void;
  #closed = false;

  constructor(onError: (error: unknown, key: string) => void) {
    this.#onError = onError;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `fn` at epoch milliseconds `when` (at once if it is past); replaces a timer with the same key. */
  at(key: string, when: number, fn: () => void | Promise<void>): void {
    this.cancel(key);
    if (this.#closed) return;
    const delay = Math.max(0, when - Date.now());
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      if (delay > MAX_DELAY_MS) {
        this.at(key, when, fn);
        return;
      }
      try {
        const result = fn();
        if (result instanceof Promise) result.catch((error: unknown) => this.#onError(error, key));
      } catch (error) {
        this.#onError(error, key);
      }
    }, Math.min(delay, MAX_DELAY_MS));
    this.#timers.set(key, timer);
  }

  after(key: string, delayMs: number, fn: () => void | Promise<void>): void {
    this.at(key, Date.now() + delayMs, fn);
  }

  has(key: string): boolean {
    return this.#timers.has(key);
  }

  cancel(key: string): void {
    const timer = this.#timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(key);
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
