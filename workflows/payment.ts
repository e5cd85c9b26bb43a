import { ApplicationFailure, setHandler, workflowInfo } from '@temporalio/workflow';
import { FailureType } from '../domain/failures.js';
import { routeCallback } from '../domain/payment-rules.js';
import { PaymentStatus, isFinal, statusName } from '../domain/payment-status.js';
import {
  cancelUpdate,
  paymentQuery,
  resendNotificationUpdate,
  submitPaymentUpdate,
  walletCallbackSignal,
  type PaymentView,
  type PaymentWorkflowInput,
  type WalletCallbackEvent,
} from './messages.js';
import { PaymentCollection } from './payment-collection.js';
import { PaymentRecord } from './payment-record.js';
import { Deadline } from './deadline.js';
import { CancelDesk, settle } from './refund-desk.js';

/**
 * One payment, from registration until it is settled (CONTRACT §3, §5): unpaid (3) → submitted: initiated (9) →
 * the wallet has it: processing (4) → callback or status check → paid (0) | failed (8) | expired (5); a merchant's
 * cancel voids (1) or refunds (2, or a partial refund that keeps 0), one at a time.
 *
 * The workflow completes once its status is final and the merchant's notifications are delivered or given up
 * (`NOTIFY_RETRY_HOURS`); a payment that could still be charged (the wallet had it, unpaid) first waits out the
 * settlement window for late wallet callbacks (`SETTLEMENT_WINDOW_SECONDS`).
 * Its result is the final view, which inquiry reads from the server without a worker. Refunds and late callbacks
 * after that go to the transaction's refund workflow (workflows/refund.ts), which carries this result on.
 */
export async function paymentWorkflow(input: PaymentWorkflowInput): Promise<PaymentView> {
  const { timeouts } = input;
  const record = new PaymentRecord({
    tXid: input.tXid,
    runId: workflowInfo().runId,
    registration: input.registration,
    fingerprint: input.fingerprint,
    flow: input.flow,
    // The API answers the registration itself (no worker round trip) with its clock; the workflow says the same.
    registeredAt: new Date(input.registeredAt),
    refundWindowSeconds: timeouts.refundWindowSeconds,
    notifyRetryHours: timeouts.notifyRetryHours,
    indexed: input.searchable === true,
  });
  const collection = new PaymentCollection(record, input);
  const desk = new CancelDesk(record, (c) => collection.cancel(c), () => !collection.creating);
  const late: WalletCallbackEvent[] = [];

  setHandler(paymentQuery, () => record.view());
  setHandler(submitPaymentUpdate, (sub) => collection.submit(sub), {
    validator: (_sub) => {
      if (isFinal(record.status)) throw ApplicationFailure.nonRetryable(`transaction is already ${statusName[record.status].toLowerCase()}`, FailureType.InvalidState);
    },
  });
  setHandler(walletCallbackSignal, (event) => {
    const route = routeCallback(record.book(), event);
    if (route.kind === 'mismatch') record.note('callback-amount-mismatch', route.note);
    else if (route.kind === 'record') record.note('callback-while-unpaid', route.note);
    else if (route.kind === 'late') late.push(event);
    else if (route.kind === 'decisive') collection.decisive ??= event;
    else if (route.kind === 'accept-while-unpaid') {
      // A create call that timed out and that the status check did not find, created at the wallet late: the
      // customer's money, never dropped; the payment can still succeed, so it is accepted and the merchant told.
      record.note('paid-while-unpaid', route.note);
      collection.applyVerdict(event, 'wallet callback while unpaid');
    }
  });
  setHandler(cancelUpdate, (request) => desk.take(request));
  setHandler(resendNotificationUpdate, () => record.resend(), {
    validator: () => {
      if (!isFinal(record.status)) throw ApplicationFailure.nonRetryable('nothing to notify: the transaction is not final yet', FailureType.InvalidState);
    },
  });
  record.lane.start();
  desk.start();

  // 1. Wait for the payment request while the registration is valid; a wallet outage sends us back here.
  const registration = new Deadline(Date.parse(input.registeredAt) + timeouts.registrationSeconds * 1000, { whenWaited: true });
  while (!isFinal(record.status)) {
    await registration.until(() => collection.submission !== undefined || isFinal(record.status));
    if (isFinal(record.status)) break; // cancelled by the merchant
    if (collection.submission === undefined) {
      record.setStatus(PaymentStatus.Expired, 'registration was never paid');
      break;
    }
    await collection.collect(collection.submission);
  }

  // 2. Settlement. Only a payment the wallet had and neither paid nor refunded can still turn into a charge nobody
  // heard of: it waits out the settlement window, taking late callbacks and cancels, and then asks the wallet once
  // more. Any other closes as soon as its merchant has been told; what comes later goes to its refund workflow.
  if (!collection.mayStillBeCharged()) return settle(record, desk, late, Date.now());
  return settle(record, desk, late, Date.now() + timeouts.settlementWindowSeconds * 1000, () => collection.lastLook());
}
