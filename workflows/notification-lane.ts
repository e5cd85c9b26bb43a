import { ActivityFailure, condition, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { DeliveryReport, MerchantNotification } from '../activities/notify-merchant.js';
import { describeFailure, failureDetail } from './failures.js';
import type { DeliveryState } from './messages.js';
import { notificationBackoffMs, notifyAttemptOptions } from './options.js';

const { notifyMerchant } = proxyActivities<Activities>(notifyAttemptOptions);

/**
 * Merchant notifications for one transaction (or one account link), delivered one at a time and in order
 * (CONTRACT §5). Each attempt is an activity whose result is recorded here, so operators see every attempt in the
 * workflow's state and history. A newer notification supersedes one still being retried about the same subject: it
 * carries the latest state, so the merchant never receives a status that goes backwards.
 */
export class NotificationLane<R extends DeliveryState> {
  readonly records: R[];
  #delivering = false;
  #started = false;

  readonly #supersedes: (newer: Omit<R, keyof DeliveryState>, older: R) => boolean;
  readonly #attempt: (n: MerchantNotification) => Promise<DeliveryReport>;

  constructor(
    private readonly compose: (record: R) => MerchantNotification,
    private readonly retryHours: number,
    options: {
      /** Whether a newer notification makes an older pending one pointless (default: always, one subject per lane). */
      readonly supersedes?: (newer: Omit<R, keyof DeliveryState>, older: R) => boolean;
      /** Records carried over a continue-as-new. */
      readonly carried?: readonly R[] | undefined;
      /** How one attempt is made (default: an activity; payments use a local activity). */
      readonly attempt?: (n: MerchantNotification) => Promise<DeliveryReport>;
    } = {},
  ) {
    this.records = [...(options.carried ?? [])];
    this.#supersedes = options.supersedes ?? (() => true);
    this.#attempt = options.attempt ?? notifyMerchant;
  }

  enqueue(content: Omit<R, keyof DeliveryState>): void {
    for (const r of this.records) if (r.state === 'pending' && this.#supersedes(content, r)) r.state = 'superseded';
    const seq = (this.records.at(-1)?.seq ?? 0) + 1;
    // R is DeliveryState plus exactly the content's fields.
    this.records.push({ ...content, seq, attempts: [], state: 'pending' } as unknown as R);
    void this.#drain();
  }

  idle(): boolean {
    return !this.#delivering && this.#next() === undefined;
  }

  /**
   * Delivers what is pending, and from then on every notification as it is enqueued (the workflow calls it once its
   * handlers are set). Driven by `enqueue`, not by a loop waiting on a condition: a workflow promise costs the SDK a
   * stack capture, a third of the worker's CPU per payment (bench/README.md, step 8).
   */
  start(): void {
    this.#started = true;
    if (this.#next()) void this.#drain();
  }

  /** Never throws: every attempt's failure is recorded. */
  async #drain(): Promise<void> {
    if (!this.#started || this.#delivering) return;
    this.#delivering = true;
    try {
      for (let record = this.#next(); record; record = this.#next()) await this.deliver(record);
    } finally {
      this.#delivering = false;
    }
  }

  #next(): R | undefined {
    return this.records.find((r) => r.state === 'pending');
  }

  private async deliver(record: R): Promise<void> {
    const notification = this.compose(record);
    const giveUpAt = Date.now() + this.retryHours * 3_600_000;
    for (let retry = 0; ; retry++) {
      if (retry > 0) {
        const superseded = await condition(() => record.state !== 'pending', notificationBackoffMs(retry));
        if (superseded) return;
      }
      const at = new Date().toISOString();
      try {
        const report = await this.#attempt(notification);
        record.attempts.push({ at, ...report });
        record.state = 'delivered';
        return;
      } catch (err) {
        const report = failureDetail<DeliveryReport>(err);
        record.attempts.push({
          at,
          ...(report?.httpStatus !== undefined ? { httpStatus: report.httpStatus } : {}),
          error: report?.error ?? describeFailure(err),
          durationMs: report?.durationMs ?? (err instanceof ActivityFailure ? notifyTimeoutMs : 0),
        });
      }
      if (record.state !== 'pending') return;
      if (Date.now() >= giveUpAt) {
        record.state = 'gave-up';
        return;
      }
    }
  }
}

const notifyTimeoutMs = 20_000;
