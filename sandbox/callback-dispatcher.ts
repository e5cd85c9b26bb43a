import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { WalletFaults } from './faults.js';
import type { TimerSet } from './timers.js';

/** A callback not delivered yet (persisted, so a restart resumes it). */
export const PendingCallback = z.object({
  id: z.string(),
  merchantInvoice: z.string(),
  status: z.string(),
  rawBody: z.string(),
  nextAttempt: z.int().min(1),
  /** Where this one goes, when the merchant named it per payment (DANA's NOTIFICATION url); else the wallet's URL. */
  url: z.string().optional(),
});
export type PendingCallback = z.infer<typeof PendingCallback>;

/** One delivery attempt, as shown on `GET /sandbox/callbacks`. */
export const CallbackDelivery = z.object({
  wallet: z.string(),
  merchantInvoice: z.string(),
  status: z.string(),
  attempt: z.int().min(1),
  httpStatus: z.int().optional(),
  error: z.string().optional(),
  at: z.iso.datetime(),
});
export type CallbackDelivery = z.infer<typeof CallbackDelivery>;

export const CallbackState = z.object({
  outbox: z.array(PendingCallback).default([]),
  deliveries: z.array(CallbackDelivery).default([]),
});
export type CallbackState = z.infer<typeof CallbackState>;

/** Retries after 1, 2, 4, 8, 16, 30 s, then every minute: eleven attempts over about five minutes. */
export const CALLBACK_RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 16_000, 30_000, 60_000, 60_000, 60_000, 60_000];
const ATTEMPT_TIMEOUT_MS = 10_000;
const MAX_DELIVERY_RECORDS = 5000;

export interface CallbackDispatcherOptions {
  /** The wallet's ledger name. */
  readonly wallet: string;
  readonly url: string;
  /**
   * How browsers reach the gateway (GATEWAY_PUBLIC_URL). A per-payment URL the gateway gave on that origin (a SNAP
   * notify URL built from its PUBLIC_BASE_URL) is delivered to `url`'s origin instead, the address this sandbox
   * reaches the gateway at: in compose the browser's `localhost:3000` is `api:3000` from here. A real wallet on the
   * internet calls the public URL itself.
   */
  readonly gatewayPublicUrl?: string;
  /** `Content-Type` of every callback; default `application/json`. */
  readonly contentType?: string;
  /** The wallet's own signature headers for one attempt to `url`. */
  readonly sign: (rawBody: string, timestampMs: number, url: string) => Record<string, string>;
  /** Waits before each retry; default CALLBACK_RETRY_DELAYS_MS. Empty: one attempt only (ShopeePay's notify). */
  readonly retryDelaysMs?: readonly number[];
  readonly timers: TimerSet;
  readonly faults: () => WalletFaults;
  readonly logger: Logger;
  readonly onChange: () => void;
  readonly initial?: CallbackState;
}

/**
 * Delivers a wallet's signed callbacks to the gateway. Callbacks for one invoice go out one at a time, in the
 * order they were raised (a retry holds back the later ones), so "in order" means in order at the gateway.
 * A non-2xx answer or a transport error is retried; every attempt is recorded.
 */
export class CallbackDispatcher {
  readonly #o: CallbackDispatcherOptions;
  readonly #outbox: PendingCallback[];
  readonly #deliveries: CallbackDelivery[];
  /** Invoices with an attempt in flight or a retry scheduled. */
  readonly #busy = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  #closed = false;

  constructor(options: CallbackDispatcherOptions) {
    this.#o = options;
    this.#outbox = [...(options.initial?.outbox ?? [])];
    this.#deliveries = [...(options.initial?.deliveries ?? [])];
  }

  /** Queues a callback: an object is sent as JSON, a string as it is (e.g. a form-encoded body). */
  enqueue(merchantInvoice: string, status: string, body: object | string, url?: string): void {
    const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
    this.#outbox.push({ id: randomUUID(), merchantInvoice, status, rawBody, nextAttempt: 1, ...(url !== undefined ? { url } : {}) });
    this.#o.onChange();
    this.#pump(merchantInvoice);
  }

  /** Starts delivering what a previous run left in the outbox. */
  resume(): void {
    for (const merchantInvoice of new Set(this.#outbox.map((p) => p.merchantInvoice))) this.#pump(merchantInvoice);
  }

  deliveries(filter: { merchantInvoice?: string } = {}): CallbackDelivery[] {
    return this.#deliveries.filter((d) => filter.merchantInvoice === undefined || d.merchantInvoice === filter.merchantInvoice);
  }

  /** Aborts attempts in flight; what is undelivered stays in the outbox for the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#abort.abort();
    await Promise.allSettled([...this.#inFlight]);
  }

  toJSON(): CallbackState {
    return { outbox: [...this.#outbox], deliveries: [...this.#deliveries] };
  }

  #pump(merchantInvoice: string): void {
    if (this.#closed || this.#busy.has(merchantInvoice)) return;
    const next = this.#outbox.find((p) => p.merchantInvoice === merchantInvoice);
    if (next === undefined) return;
    this.#busy.add(merchantInvoice);
    this.#run(next);
  }

  #run(item: PendingCallback): void {
    const promise = this.#attempt(item).catch((error: unknown) => {
      this.#o.logger.error({ err: error, merchantInvoice: item.merchantInvoice }, 'callback delivery crashed');
    });
    this.#inFlight.add(promise);
    void promise.finally(() => this.#inFlight.delete(promise));
  }

  async #attempt(item: PendingCallback): Promise<void> {
    const attempt = item.nextAttempt;
    const { wallet, logger } = this.#o;
    const log = { wallet, merchantInvoice: item.merchantInvoice, status: item.status, attempt };

    if (this.#o.faults().dropCallbacks) {
      this.#record(item, attempt, { error: 'dropped by fault injection (dropCallbacks)' });
      logger.warn(log, 'callback dropped by fault injection');
      this.#finish(item);
      return;
    }

    let httpStatus: number | undefined;
    let error: string | undefined;
    try {
      const timestamp = Date.now();
      const url = item.url !== undefined ? reachableUrl(item.url, this.#o.gatewayPublicUrl, this.#o.url) : this.#o.url;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': this.#o.contentType ?? 'application/json', ...this.#o.sign(item.rawBody, timestamp, url) },
        body: item.rawBody,
        signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
        redirect: 'manual',
      });
      await response.arrayBuffer();
      httpStatus = response.status;
    } catch (e) {
      if (this.#closed) return; // shutting down: the callback stays in the outbox
      error = describe(e);
    }
    if (this.#closed) return;

    const delivered = httpStatus !== undefined && httpStatus >= 200 && httpStatus < 300;
    this.#record(item, attempt, httpStatus !== undefined ? { httpStatus } : { error: error ?? 'unknown error' });
    if (delivered) {
      logger.info({ ...log, httpStatus }, 'callback delivered');
      this.#finish(item);
      return;
    }
    const retryIn = (this.#o.retryDelaysMs ?? CALLBACK_RETRY_DELAYS_MS)[attempt - 1];
    if (retryIn === undefined) {
      logger.warn({ ...log, httpStatus, error }, 'callback not delivered; giving up after the last attempt');
      this.#finish(item);
      return;
    }
    logger.warn({ ...log, httpStatus, error, retryInMs: retryIn }, 'callback not delivered; will retry');
    item.nextAttempt = attempt + 1;
    this.#o.onChange();
    this.#o.timers.after(`callback:${wallet}:${item.merchantInvoice}`, retryIn, () => this.#run(item));
  }

  #finish(item: PendingCallback): void {
    const index = this.#outbox.indexOf(item);
    if (index >= 0) this.#outbox.splice(index, 1);
    this.#busy.delete(item.merchantInvoice);
    this.#o.onChange();
    this.#pump(item.merchantInvoice);
  }

  #record(item: PendingCallback, attempt: number, outcome: { httpStatus?: number; error?: string }): void {
    this.#deliveries.push({
      wallet: this.#o.wallet,
      merchantInvoice: item.merchantInvoice,
      status: item.status,
      attempt,
      ...outcome,
      at: new Date().toISOString(),
    });
    if (this.#deliveries.length > MAX_DELIVERY_RECORDS) this.#deliveries.splice(0, this.#deliveries.length - MAX_DELIVERY_RECORDS);
    this.#o.onChange();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.name === 'TimeoutError' ? 'timed out' : error.message}${cause}`;
  }
  return String(error);
}

/** A URL on the gateway's public origin, moved to the origin this sandbox reaches the gateway at (see `gatewayPublicUrl`). */
export function reachableUrl(url: string, gatewayPublicUrl: string | undefined, gatewayUrl: string): string {
  if (gatewayPublicUrl === undefined) return url;
  try {
    const target = new URL(url);
    if (target.origin !== new URL(gatewayPublicUrl).origin) return url;
    return `${new URL(gatewayUrl).origin}${target.pathname}${target.search}`;
  } catch {
    return url;
  }
}
