import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { FailureType } from '../domain/failures.js';
import { cancelUpdate, paymentQuery, resendNotificationUpdate, walletCallbackSignal, type CancelRequest, type PaymentView, type RefundWorkflowInput, type WalletCallbackEvent } from './messages.js';
import { PaymentRecord } from './payment-record.js';
import { CancelDesk, cancelFinal, settle } from './refund-desk.js';

/**
 * A transaction after its payment workflow closed (CONTRACT §3): the merchant's refunds until `refundUntil`
 * (`REFUND_WINDOW_SECONDS` after the final status), one at a time against the closed payment's result, late wallet
 * callbacks (a charge the gateway did not report as paid is refunded and the merchant told), and operators' resends. Started by the API with
 * update-with-start or signal-with-start, one per tXid; it completes when its window is over and nothing is left to
 * do, its result the transaction's view from then on.
 */
export async function refundWorkflow(input: RefundWorkflowInput): Promise<PaymentView> {
  const { payment } = input;
  const record = new PaymentRecord(
    {
      tXid: payment.tXid,
      runId: payment.runId,
      registration: payment.registration,
      fingerprint: payment.fingerprint,
      flow: payment.flow,
      registeredAt: new Date(payment.history[0]?.at ?? Date.now()),
      // Already final: the window was fixed by the payment (`refundUntil`) and a refund does not move it.
      refundWindowSeconds: 0,
      notifyRetryHours: payment.notifyRetryHours,
      indexed: input.searchable,
    },
    payment,
  );
  const refundUntil = Date.parse(payment.refundUntil ?? new Date().toISOString());
  const desk = new CancelDesk(record, (c) => cancelFinal(record, c));
  const late: WalletCallbackEvent[] = [];

  setHandler(paymentQuery, () => record.view());
  setHandler(resendNotificationUpdate, () => record.resend());
  setHandler(cancelUpdate, (request) => desk.take(request), {
    validator: (request: CancelRequest) => {
      // The same cancel again gets its first answer, whenever it comes.
      if (Date.now() >= refundUntil && !record.cancellations.some((c) => c.key === request.key)) {
        throw ApplicationFailure.nonRetryable('the refund window of this transaction is over', FailureType.InvalidState);
      }
    },
  });
  setHandler(walletCallbackSignal, (event) => {
    if (event.amount === record.registration.amt) late.push(event);
    else record.note('callback-amount-mismatch', `ignored a ${event.state} callback for amount ${event.amount}, expected ${record.registration.amt}`);
  });
  record.lane.start();
  desk.start();

  return settle(record, desk, late, refundUntil);
}
