import { BoundedMap } from '../platform/bounded-map.js';

/**
 * A registered payment as the API knows it without asking its workflow: what a call is checked against (the token's
 * iMid, the wallet, the amount) and the workflow run it addresses. Fixed for good at registration.
 */
export interface RegisteredPayment {
  readonly iMid: string;
  readonly referenceNo: string;
  readonly amt: number;
  readonly mitraCd: string;
  /**
   * The payment's workflow run. Calls go to this run, never just to the workflow ID: a referenceNo registered again
   * after its earlier workflow was deleted has the same workflow ID, and must never receive the earlier tXid's calls.
   */
  readonly runId: string;
}

/**
 * The registered payments seen recently, per API process. The payment call and the wallet callbacks need only
 * these (to check a token, a wallet, an amount), so a hit saves a workflow query: a round trip through the Temporal
 * server to the worker. Facts never change, so nothing is ever stale; a miss (another API instance registered it,
 * a restart, an old payment) asks the workflow as before. Bounded: the oldest entries go first.
 */
export class RegisteredPaymentCache {
  readonly #entries: BoundedMap<string, RegisteredPayment>;

  constructor(capacity = 100_000) {
    this.#entries = new BoundedMap(capacity);
  }

  get(tXid: string): RegisteredPayment | undefined {
    return this.#entries.get(tXid);
  }

  remember(tXid: string, payment: RegisteredPayment): void {
    if (this.#entries.has(tXid)) return;
    this.#entries.set(tXid, { iMid: payment.iMid, referenceNo: payment.referenceNo, amt: payment.amt, mitraCd: payment.mitraCd, runId: payment.runId });
  }

  get size(): number {
    return this.#entries.size;
  }
}
