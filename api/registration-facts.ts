/** What a registration fixed for good: its tXid names one workflow run, and its content never changes. */
export interface RegistrationFacts {
  readonly iMid: string;
  readonly referenceNo: string;
  readonly amt: number;
  readonly mitraCd: string;
  /**
   * The payment's workflow run. Calls go to this run, never just to the workflow ID: a referenceNo registered again
   * after its earlier workflow was deleted has the same workflow ID, and must never receive the earlier tXid's calls.
   */
  readonly runId?: string;
}

/**
 * The registration facts of recent payments, per API process. The payment call and the wallet callbacks need only
 * these (to check a token, a wallet, an amount), so a hit saves a workflow query: a round trip through the Temporal
 * server to the worker. Facts never change, so nothing is ever stale; a miss (another API instance registered it,
 * a restart, an old payment) asks the workflow as before. Bounded: the oldest entries go first.
 */
export class RegistrationFactsCache {
  readonly #entries = new Map<string, RegistrationFacts>();

  constructor(private readonly capacity = 100_000) {}

  get(tXid: string): RegistrationFacts | undefined {
    return this.#entries.get(tXid);
  }

  remember(tXid: string, facts: RegistrationFacts): void {
    if (this.#entries.has(tXid)) return;
    this.#entries.set(tXid, { iMid: facts.iMid, referenceNo: facts.referenceNo, amt: facts.amt, mitraCd: facts.mitraCd, ...(facts.runId ? { runId: facts.runId } : {}) });
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
