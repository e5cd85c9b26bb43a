import { maskPhone } from '../../domain/account-link.js';
import { statusName, type PaymentStatus } from '../../domain/payment-status.js';
import { cancelAnswer } from '../outcome-codes.js';
import type { AuditEntry, CancelRecord, NotificationRecord, PaymentView, StatusChange } from '../../workflows/messages.js';

/**
 * What an operator reads about a payment. Built field by field from an allow-list, never by removing fields from
 * the workflow's view: a field added to the registration later (a new NICEPAY field kept in `extra`, say) stays
 * hidden until someone decides an operator needs it. Kept: identifiers, amounts, codes, statuses, times and the
 * gateway's own reasons. Dropped: everything about the customer (name, e-mail, delivery and billing addresses,
 * userIP, cart) and free text the merchant writes (description, goods name, cancel message), which may carry
 * it too; the phone only masked, which is enough to match a magic value or a customer's complaint.
 */
export interface OperatorPaymentView {
  readonly tXid: string;
  readonly status: PaymentStatus;
  readonly statusName: string;
  readonly cancelAmt: number;
  readonly flow: PaymentView['flow'];
  readonly reqDt: string;
  readonly reqTm: string;
  readonly transDt: string;
  readonly transTm: string;
  readonly providerRef?: string;
  readonly failureReason?: string;
  readonly registration: {
    readonly iMid: string;
    readonly merchantName: string;
    readonly referenceNo: string;
    readonly payMethod: string;
    readonly mitraCd: string;
    readonly currency: string;
    readonly amt: number;
    /** e.g. `0812****1000`. */
    readonly billingPhone: string;
    /**
     * Where notifications go, scheme, host and port only: the path and query of `dbProcessUrl` may carry the
     * merchant's own tokens or order details.
     */
    readonly dbProcessOrigin: string;
  };
  readonly history: readonly StatusChange[];
  readonly notifications: readonly OperatorNotificationView[];
  readonly cancellations: readonly OperatorCancelView[];
  readonly audit: readonly AuditEntry[];
}

export interface OperatorNotificationView {
  readonly seq: number;
  readonly state: NotificationRecord['state'];
  readonly status: PaymentStatus;
  readonly cancelAmt: number;
  readonly attempts: readonly { readonly at: string; readonly httpStatus?: number; readonly error?: string; readonly durationMs: number }[];
}

export interface OperatorCancelView {
  /** The cancel's identity: the wallet refund's idempotency key is derived from it. */
  readonly key: string;
  readonly at: string;
  readonly cancelType: CancelRecord['cancelType'];
  readonly amount: number;
  /** The gateway's outcome, and what the merchant was answered for it. */
  readonly outcome?: { readonly outcome: string; readonly resultCd: string; readonly resultMsg: string; readonly status: PaymentStatus; readonly cancelAmt: number };
}

/** The origin of a URL; `invalid` rather than the text itself when it does not parse. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid';
  }
}

/** Optional fields present only when set, so the JSON has no `undefined` holes. */
function ifSet<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

export function operatorNotificationView(record: NotificationRecord): OperatorNotificationView {
  return {
    seq: record.seq,
    state: record.state,
    status: record.status,
    cancelAmt: record.cancelAmt,
    attempts: record.attempts.map((a) => ({ at: a.at, ...ifSet('httpStatus', a.httpStatus), ...ifSet('error', a.error), durationMs: a.durationMs })),
  };
}

function operatorCancelView(record: CancelRecord): OperatorCancelView {
  const outcome = record.outcome;
  return {
    key: record.key,
    at: record.at,
    cancelType: record.cancelType,
    amount: record.amount,
    ...ifSet('outcome', outcome && { outcome: outcome.outcome, ...cancelAnswer(outcome), status: outcome.status, cancelAmt: outcome.cancelAmt }),
  };
}

export function operatorPaymentView(view: PaymentView): OperatorPaymentView {
  const reg = view.registration;
  return {
    tXid: view.tXid,
    status: view.status,
    statusName: statusName[view.status],
    cancelAmt: view.cancelAmt,
    flow: view.flow,
    reqDt: view.reqDt,
    reqTm: view.reqTm,
    transDt: view.transDt,
    transTm: view.transTm,
    ...ifSet('providerRef', view.providerRef),
    ...ifSet('failureReason', view.failureReason),
    registration: {
      iMid: reg.iMid,
      merchantName: reg.merchantName,
      referenceNo: reg.referenceNo,
      payMethod: reg.payMethod,
      mitraCd: reg.mitraCd,
      currency: reg.currency,
      amt: reg.amt,
      billingPhone: maskPhone(reg.billingPhone),
      dbProcessOrigin: originOf(reg.dbProcessUrl),
    },
    history: view.history.map((h) => ({ status: h.status, at: h.at, reason: h.reason })),
    notifications: view.notifications.map(operatorNotificationView),
    cancellations: view.cancellations.map(operatorCancelView),
    audit: view.audit.map((a) => ({ at: a.at, kind: a.kind, detail: a.detail })),
  };
}
