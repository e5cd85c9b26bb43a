import { ApplicationFailure } from '@temporalio/activity';
import type { Activities } from '../../activities/index.js';
import type { DeliveryReport, MerchantNotification } from '../../activities/notify-merchant.js';
import type { WalletStatusResult } from '../../activities/wallets/adapter.js';
import { FailureType } from '../../domain/failures.js';

/** What a scripted wallet does; each field a step of one magic value's story. */
export interface WalletScript {
  /** Failures before the create call succeeds (005). */
  createFailures?: number;
  /** The wallet refuses the request for good. */
  createRejects?: string;
  /** Create never succeeds and the wallet has no record of it (outage). */
  createUnreachable?: boolean;
  status?: WalletStatusResult | (() => WalletStatusResult);
  voidOutcome?: 'VOIDED' | 'ALREADY_PAID';
  /** The wallet refuses refunds for good. */
  refundRejects?: string;
  /** The wallet's checkout page (redirect wallets). */
  redirectUrl?: string;
  /** Merchant answers: HTTP status per attempt; the last repeats. */
  merchantAnswers?: number[];
}

export interface Calls {
  create: number;
  status: number;
  void: number;
  refunds: { amount: number; idempotencyKey: string }[];
  notifications: { at: number; status: number; cancelAmt: number; httpStatus: number }[];
}

/**
 * Activities with the shape of the real ones (typed from createActivities, so drift fails to compile),
 * scripted per test to play one wallet and one merchant.
 */
export function scriptedActivities(script: WalletScript): { activities: Activities; calls: Calls } {
  const calls: Calls = { create: 0, status: 0, void: 0, refunds: [], notifications: [] };
  const activities: Activities = {
    async createWalletPayment(input) {
      calls.create++;
      if (script.createRejects) throw ApplicationFailure.create({ type: FailureType.WalletRejected, message: 'refused', nonRetryable: true, details: [script.createRejects] });
      if (script.createUnreachable || calls.create <= (script.createFailures ?? 0)) {
        throw ApplicationFailure.create({ type: FailureType.WalletUnavailable, message: 'HTTP 500' });
      }
      return { providerRef: `W-${input.tXid.slice(-6)}`, ...(script.redirectUrl ? { redirectUrl: script.redirectUrl } : {}) };
    },
    async checkWalletStatus() {
      calls.status++;
      if (script.createUnreachable) return { state: 'NOT_FOUND' };
      const s = script.status;
      return typeof s === 'function' ? s() : (s ?? { state: 'PENDING' });
    },
    async voidWalletPayment() {
      calls.void++;
      return { outcome: script.voidOutcome ?? 'VOIDED' };
    },
    async refundWalletPayment(input) {
      if (script.refundRejects) throw ApplicationFailure.create({ type: FailureType.WalletRejected, message: script.refundRejects, nonRetryable: true, details: [script.refundRejects] });
      calls.refunds.push({ amount: input.amount, idempotencyKey: input.idempotencyKey });
      return { outcome: 'REFUNDED', refundRef: `R-${calls.refunds.length}` };
    },
    async notifyMerchant(n: MerchantNotification): Promise<DeliveryReport> {
      const answers = script.merchantAnswers ?? [200];
      const httpStatus = answers[Math.min(calls.notifications.length, answers.length - 1)] ?? 200;
      calls.notifications.push({ at: Date.now(), status: n.status, cancelAmt: n.cancelAmt, httpStatus });
      const report = { httpStatus, durationMs: 3 };
      if (httpStatus >= 200 && httpStatus < 300) return report;
      throw ApplicationFailure.create({ type: FailureType.NotificationFailed, message: `HTTP ${httpStatus}`, nonRetryable: true, details: [{ ...report, error: `merchant answered HTTP ${httpStatus}` }] });
    },
  };
  return { activities, calls };
}
