import { ApplicationFailure, log, proxyLocalActivities, proxySinks, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { FailureType } from '../domain/failures.js';
import { nicepayDate, nicepayTime } from '../domain/nicepay-time.js';
import { statusMove, type PaymentBook } from '../domain/payment-rules.js';
import { PaymentStatus, isFinal, statusName } from '../domain/payment-status.js';
import type { PaymentMetricsSinks } from '../platform/metrics.js';
import type { AuditEntry, AuditKind, CancelRecord, NotificationRecord, PaymentView, Registration, StatusChange } from './messages.js';
import { NotificationLane } from './notification-lane.js';
import { notifyAttemptLocalOptions } from './options.js';
import { PaymentSearch } from './search-attributes.js';

// Merchant notifications are local activities: fewer events and round trips (bench/README.md).
const { notifyMerchant } = proxyLocalActivities<Activities>(notifyAttemptLocalOptions);
/** Metrics leave the workflow through a sink: no command, not called on replay (platform/metrics.ts). */
const { paymentMetrics } = proxySinks<PaymentMetricsSinks>();

/** What a record is opened with: a new payment's registration, or a closed payment's result carried on. */
export interface RecordOpening {
  readonly tXid: string;
  readonly runId: string;
  readonly registration: Registration;
  readonly fingerprint: string;
  readonly flow: PaymentView['flow'];
  readonly registeredAt: Date;
  readonly refundWindowSeconds: number;
  readonly notifyRetryHours: number;
  /** The workflow keeps `paymentStatus` and `cancelAmt` current in visibility (search-attributes.ts). */
  readonly indexed: boolean;
}

/**
 * One transaction's state as a workflow holds it (the payment's own, or its refund workflow's after the close):
 * status and its history, refunds, the audit trail, the merchant's notifications. Every change of status goes
 * through `setStatus`, which asks the rules (domain/payment-rules.ts), keeps visibility current and tells the merchant.
 */
export class PaymentRecord {
  status: PaymentStatus = PaymentStatus.Unpaid;
  changedAt: Date;
  cancelAmt = 0;
  callBackUrl: string | undefined;
  redirectUrl: string | undefined;
  providerRef: string | undefined;
  failureReason: string | undefined;
  refundUntil: string | undefined;
  readonly history: StatusChange[];
  readonly audit: AuditEntry[] = [];
  readonly cancellations: CancelRecord[] = [];
  readonly lane: NotificationLane<NotificationRecord>;

  constructor(private readonly opening: RecordOpening, carried?: PaymentView) {
    const reg = opening.registration;
    this.changedAt = opening.registeredAt;
    this.callBackUrl = reg.callBackUrl;
    this.history = [{ status: this.status, at: opening.registeredAt.toISOString(), reason: 'registered' }];
    if (carried) {
      this.status = carried.status;
      this.changedAt = new Date(carried.history.at(-1)?.at ?? opening.registeredAt.toISOString());
      this.cancelAmt = carried.cancelAmt;
      this.callBackUrl = carried.callBackUrl;
      this.redirectUrl = carried.redirectUrl;
      this.providerRef = carried.providerRef;
      this.failureReason = carried.failureReason;
      this.refundUntil = carried.refundUntil;
      this.history.splice(0, this.history.length, ...carried.history);
      this.audit.push(...carried.audit);
      this.cancellations.push(...carried.cancellations);
    }
    this.lane = new NotificationLane<NotificationRecord>(
      ({ status, cancelAmt }) => ({
        kind: 'payment',
        dbProcessUrl: reg.dbProcessUrl,
        iMid: reg.iMid,
        tXid: opening.tXid,
        referenceNo: reg.referenceNo,
        payMethod: reg.payMethod,
        mitraCd: reg.mitraCd,
        amt: reg.amt,
        currency: reg.currency,
        goodsNm: reg.goodsNm,
        billingNm: reg.billingNm,
        status,
        transDt: nicepayDate(this.changedAt),
        transTm: nicepayTime(this.changedAt),
        cancelAmt,
      }),
      opening.notifyRetryHours,
      { attempt: notifyMerchant, carried: carried?.notifications },
    );
  }

  get tXid(): string {
    return this.opening.tXid;
  }

  get registration(): Registration {
    return this.opening.registration;
  }

  book(): PaymentBook {
    return { status: this.status, amt: this.opening.registration.amt, cancelAmt: this.cancelAmt };
  }

  /** What operators and the daily reconciliation must know beyond the status: typed, timed, in history. */
  note(kind: AuditKind, detail: string): void {
    this.audit.push({ at: new Date().toISOString(), kind, detail });
  }

  setStatus(next: PaymentStatus, reason: string): void {
    const move = statusMove(this.status, next);
    if (move === 'same') return;
    if (move === 'final') {
      // A final status is final (only a refund follows paid): a late word is reconciled, never obeyed.
      this.note('ignored-after-final', `ignored ${statusName[next]} after ${statusName[this.status]}: ${reason}`);
      return;
    }
    const wasFinal = isFinal(this.status);
    this.status = next;
    this.changedAt = new Date();
    this.history.push({ status: next, at: this.changedAt.toISOString(), reason });
    log.info('payment status changed', { tXid: this.tXid, status: next, statusName: statusName[next], reason });
    // Inquiry reads the status from the server (describe), never from a worker: every status a task can end on is
    // indexed. Initiated (9) lasts only while the create call runs, in the same task (PaymentCollection indexes it
    // when that call ends with no answer).
    if (next !== PaymentStatus.Initiated) this.index();
    if (!isFinal(next)) return;
    // REFUND_WINDOW_SECONDS counts from the first final status; a refund (paid → refunded) does not move it.
    if (!wasFinal) this.refundUntil = new Date(this.changedAt.getTime() + this.opening.refundWindowSeconds * 1000).toISOString();
    this.notifyMerchant();
    paymentMetrics.finalStatus(this.opening.registration.mitraCd, next);
  }

  /** A refund that leaves the status as it is (partial, or of a late charge): visibility and the merchant hear of it. */
  refunded(total: number): void {
    this.cancelAmt = total;
    this.index();
    this.notifyMerchant();
  }

  notifyMerchant(): void {
    this.lane.enqueue({ status: this.status, cancelAmt: this.cancelAmt });
  }

  /** An operator's resend: the current state, as a new notification after the others. */
  resend(): NotificationRecord {
    this.notifyMerchant();
    const sent = this.lane.records.at(-1);
    if (!sent) throw ApplicationFailure.nonRetryable('no notification queued', FailureType.InvalidState);
    return sent;
  }

  /**
   * The status, refunded amount and their time, for the server to answer with: inquiry reads them through
   * describe (consistent with every change acknowledged), operators filter on them in the Web UI, the daily
   * reconciliation and the waiting page read them from visibility. One upsert, one history event.
   */
  index(): void {
    if (!this.opening.indexed) return;
    upsertSearchAttributes([
      { key: PaymentSearch.paymentStatus, value: this.status },
      { key: PaymentSearch.cancelAmt, value: this.cancelAmt },
      { key: PaymentSearch.statusAt, value: this.changedAt },
    ]);
  }

  view(): PaymentView {
    const { opening: o } = this;
    return {
      tXid: o.tXid,
      runId: o.runId,
      registration: o.registration,
      fingerprint: o.fingerprint,
      flow: o.flow,
      status: this.status,
      reqDt: nicepayDate(o.registeredAt),
      reqTm: nicepayTime(o.registeredAt),
      transDt: nicepayDate(this.changedAt),
      transTm: nicepayTime(this.changedAt),
      cancelAmt: this.cancelAmt,
      ...(this.callBackUrl !== undefined ? { callBackUrl: this.callBackUrl } : {}),
      ...(this.redirectUrl !== undefined ? { redirectUrl: this.redirectUrl } : {}),
      ...(this.providerRef !== undefined ? { providerRef: this.providerRef } : {}),
      ...(this.failureReason !== undefined ? { failureReason: this.failureReason } : {}),
      ...(this.refundUntil !== undefined ? { refundUntil: this.refundUntil } : {}),
      notifyRetryHours: o.notifyRetryHours,
      history: this.history,
      notifications: this.lane.records,
      audit: this.audit,
      cancellations: this.cancellations,
    };
  }
}
