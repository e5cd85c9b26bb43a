/** Activity option sets named by purpose (STYLE): every timeout and retry explicit, none left to defaults. */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import { FailureType } from '../domain/failures.js';

/** Creating the payment at the wallet: the caller (a browser, a merchant's server) is waiting, so fail fast. */
export const walletCreateOptions: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '4 seconds',
    maximumAttempts: 4,
    nonRetryableErrorTypes: [FailureType.WalletRejected],
  },
};

/**
 * The same create call as a local activity: run by the worker inside the workflow task, so a payment saves an
 * activity task's round trip through the server and a workflow task (bench/README.md). Short and idempotent
 * (the wallet dedupes on the tXid), which is what a local activity must be.
 */
export const walletCreateLocalOptions: LocalActivityOptions = {
  startToCloseTimeout: walletCreateOptions.startToCloseTimeout,
  retry: walletCreateOptions.retry,
};

/** Asking the wallet where a payment stands: cheap and read-only, so retried briefly; the workflow loops beyond that. */
export const walletStatusOptions: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 5 },
};

/** Void and refund move money back: retried until the wallet answers, for up to a day. */
export const walletMoneyBackOptions: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  scheduleToCloseTimeout: '24 hours',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [FailureType.WalletRejected],
  },
};

/**
 * One delivery attempt to the merchant (15 s to answer, CONTRACT §5). Retries are driven by the workflow itself,
 * so every attempt is recorded in its state and notifications for one transaction stay in order.
 */
export const notifyAttemptOptions: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  retry: { maximumAttempts: 1 },
};

/** One notification attempt as a local activity (payments): the workflow already drives and records retries. */
export const notifyAttemptLocalOptions: LocalActivityOptions = {
  startToCloseTimeout: notifyAttemptOptions.startToCloseTimeout,
  retry: notifyAttemptOptions.retry,
};

/**
 * Delay before retry n (1-based) of a merchant notification: the first within 10 s, then doubling, capped at
 * 59 minutes so that with the attempt itself (up to 20 s) tries are never more than an hour apart (CONTRACT §5).
 */
export function notificationBackoffMs(retry: number): number {
  return Math.min(5_000 * 2 ** (retry - 1), 59 * 60_000);
}
