import type { Client } from '@temporalio/client';
import { PaymentStatus } from '../domain/payment-status.js';
import { hasTxIdShape } from '../domain/tx-id.js';
import { PaymentSearch } from '../workflows/search-attributes.js';

/** Payments asked about in one visibility query: the query string stays short. */
const PER_QUERY = 100;
/** Waiting customers one API process watches at once; beyond it a long-poll answers at once and the page asks again. */
const MAX_WATCHED = 10_000;
const FINAL = [PaymentStatus.Paid, PaymentStatus.Void, PaymentStatus.Refund, PaymentStatus.Expired, PaymentStatus.Failed];

/**
 * Customers waiting for their payment to become final (the waiting page's long-poll), watched from visibility: the
 * payment workflow upserts `paymentStatus` when it changes, so the Temporal server knows a final status without any
 * worker being asked. One list query per tick covers every waiter of this API process (per 100 of them), instead
 * of a workflow query per second per open browser. Visibility trails the workflow by a moment; a waiter that times
 * out simply asks again.
 */
export class FinalStatusWatcher {
  readonly #waiters = new Map<string, Set<(final: boolean) => void>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: Pick<Client, 'workflow'>,
    private readonly tickMs = 1_000,
  ) {}

  /** Resolves `true` once the payment's final status is visible, `false` after `timeoutMs` without one. */
  wait(tXid: string, timeoutMs: number): Promise<boolean> {
    if (!hasTxIdShape(tXid) || (this.#waiters.size >= MAX_WATCHED && !this.#waiters.has(tXid))) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(tXid) ?? new Set();
      this.#waiters.set(tXid, waiters);
      const done = (final: boolean): void => {
        clearTimeout(timeout);
        waiters.delete(done);
        if (waiters.size === 0 && this.#waiters.get(tXid) === waiters) this.#waiters.delete(tXid);
        resolve(final);
      };
      const timeout = setTimeout(() => done(false), timeoutMs);
      waiters.add(done);
      this.#schedule(0);
    });
  }

  get watching(): number {
    return this.#waiters.size;
  }

  #schedule(delayMs: number): void {
    if (this.#timer !== undefined || this.#waiters.size === 0) return;
    this.#timer = setTimeout(() => {
      void this.#tick().finally(() => {
        this.#timer = undefined;
        this.#schedule(this.tickMs);
      });
    }, delayMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    const tXids = [...this.#waiters.keys()];
    for (let i = 0; i < tXids.length; i += PER_QUERY) {
      const chunk = tXids.slice(i, i + PER_QUERY);
      // tXids have their shape checked (letters and digits only): nothing can close the quotes.
      const query = `WorkflowType = 'paymentWorkflow' AND tXid IN (${chunk.map((t) => `'${t}'`).join(', ')}) AND paymentStatus IN (${FINAL.join(', ')})`;
      try {
        for await (const info of this.client.workflow.list({ query, pageSize: PER_QUERY })) {
          const tXid = info.typedSearchAttributes.get(PaymentSearch.tXid);
          if (tXid !== undefined) for (const done of [...(this.#waiters.get(tXid) ?? [])]) done(true);
        }
      } catch {
        // Visibility unreachable for a moment: the waiters wait on, and time out if it stays so.
      }
    }
  }
}
