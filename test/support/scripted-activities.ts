import { ApplicationFailure } from '@temporalio/activity';
import type { Activities } from '../../activities/index.js';
import type { DeliveryReport, MerchantNotification } from '../../activities/notify-merchant.js';
import type { AccountLinkStatus } from '../../activities/link-activities.js';
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
  /** AstraPay's account links. */
  link?: LinkScript;
}

export interface LinkScript {
  createRejects?: string;
  /** Create never succeeds; the status check then says NOT_FOUND unless `status` says otherwise. */
  createUnreachable?: boolean;
  status?: AccountLinkStatus | (() => AccountLinkStatus);
  /** Revocations fail for good. */
  revokeRejects?: string;
}

export interface Calls {
  create: number;
  status: number;
  void: number;
  refunds: { amount: number; idempotencyKey: string }[];
  notifications: { at: number; status: number; cancelAmt: number; httpStatus: number }[];
  linkCreates: { mandateID: string; expiresAt: string }[];
  linkChecks: number;
  revocations: string[];
  linkNotifications: { at: number; mandateID: string; linkStatus: string; referenceNo: string; httpStatus: number }[];
  /** The sealed account token each payment create carried. */
  paymentTokens: (string | undefined)[];
}

/**
 * Activities with the shape of the real ones (typed from createActivities, so drift fails to compile),
 * scripted per test to play one wallet and one merchant.
 */
export function scriptedActivities(script: WalletScript): { activities: Activities; calls: Calls } {
  const calls: Calls = { create: 0, status: 0, void: 0, refunds: [], notifications: [], linkCreates: [], linkChecks: 0, revocations: [], linkNotifications: [], paymentTokens: [] };
  const link = script.link ?? {};
  const activities: Activities = {
    async createWalletPayment(input) {
      calls.create++;
      calls.paymentTokens.push(input.sealedAccountToken);
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
    async createAccountLink(input) {
      calls.linkCreates.push({ mandateID: input.mandateID, expiresAt: input.expiresAt });
      if (link.createRejects) throw ApplicationFailure.create({ type: FailureType.WalletRejected, message: link.createRejects, nonRetryable: true, details: [link.createRejects] });
      if (link.createUnreachable) throw ApplicationFailure.create({ type: FailureType.WalletUnavailable, message: 'HTTP 500' });
      return { providerRef: `AL-${input.mandateID.slice(-4)}`, registrationUrl: `https://astrapay.example/register/${input.mandateID}` };
    },
    async checkAccountLink() {
      calls.linkChecks++;
      const s = link.status;
      if (s === undefined) return { state: link.createUnreachable ? 'NOT_FOUND' : 'PENDING' };
      return typeof s === 'function' ? s() : s;
    },
    async revokeAccountLink(mandateID) {
      if (link.revokeRejects) throw ApplicationFailure.create({ type: FailureType.WalletRejected, message: link.revokeRejects, nonRetryable: true, details: [link.revokeRejects] });
      calls.revocations.push(mandateID);
    },
    async notifyMerchant(n: MerchantNotification): Promise<DeliveryReport> {
      const answers = script.merchantAnswers ?? [200];
      const sent = calls.notifications.length + calls.linkNotifications.length;
      const httpStatus = answers[Math.min(sent, answers.length - 1)] ?? 200;
      if (n.kind === 'link') calls.linkNotifications.push({ at: Date.now(), mandateID: n.mandateID, linkStatus: n.linkStatus, referenceNo: n.referenceNo, httpStatus });
      else calls.notifications.push({ at: Date.now(), status: n.status, cancelAmt: n.cancelAmt, httpStatus });
      const report = { httpStatus, durationMs: 3 };
      if (httpStatus >= 200 && httpStatus < 300) return report;
      throw ApplicationFailure.create({ type: FailureType.NotificationFailed, message: `HTTP ${httpStatus}`, nonRetryable: true, details: [{ ...report, error: `merchant answered HTTP ${httpStatus}` }] });
    },
    // Reconciliation: nothing to reconcile unless a test overrides it (test/workflows/reconciliation.test.ts).
    async reconcileWindow(window) {
      return { from: window.from, to: window.to, checked: 0, pending: 0, matched: 0, differences: [] };
    },
  };
  return { activities, calls };
}
