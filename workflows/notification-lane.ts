import { ActivityFailure, condition, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { DeliveryReport, MerchantNotification } from '../activities/notify-merchant.js';
import type { PaymentStatus } from '../domain/payment-status.js';
import { describeFailure, failureDetail } from './failures.js';
import type { NotificationRecord } from './messages.js';
import { notificationBackoffMs, notifyAttemptOptions } from './options.js';

const { notifyMerchant } = proxyActivities<Activities>(notifyAttemptOptions);

/**
 * Merchant notifications for one transaction, delivered one at a time and in order (CONTRACT §5).
 * Each attempt is an activity whose result is recorded here, so operators see every attempt in the
 * workflow's state and history. A newer notification supersedes one still being retried: it carries the
 * latest state, so the merchant never receives a status that goes backwards.
 */
export class NotificationLane {
  readonly records: NotificationRecord[] = [];
  #delivering = false;

  constructor(
    private readonly compose: (status: PaymentStatus, cancelAmt: number) => MerchantNotification,
    private readonly retryHours: number,
  ) {}

  enqueue(status: PaymentStatus, cancelAmt: number): void {
    for (const r of this.records) if (r.state === 'pending') r.state = 'superseded';
    this.records.push({ seq: this.records.length + 1, status, cancelAmt, attempts: [], state: 'pending' });
  }

  idle(): boolean {
    return !this.#delivering && !this.records.some((r) => r.state === 'pending');
  }

  /** Runs for the workflow's lifetime; never throws. */
  async run(): Promise<never> {
    for (;;) {
      await condition(() => this.records.some((r) => r.state === 'pending'));
      const record = this.records.find((r) => r.state === 'pending');
      if (!record) continue;
      this.#delivering = true;
      await this.deliver(record);
      this.#delivering = false;
    }
  }

  private async deliver(record: NotificationRecord): Promise<void> {
    const notification = this.compose(record.status, record.cancelAmt);
    const giveUpAt = Date.now() + this.retryHours * 3_600_000;
    for (let retry = 0; ; retry++) {
      if (retry > 0) {
        const superseded = await condition(() => record.state !== 'pending', notificationBackoffMs(retry));
        if (superseded) return;
      }
      const at = new Date().toISOString();
      try {
        const report = await notifyMerchant(notification);
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
