import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  ApplicationFailure,
  isGrpcServiceError,
  type Client,
} from '@temporalio/client';
import { FailureType } from '../domain/failures.js';
import { PaymentStatus } from '../domain/payment-status.js';
import { paymentWorkflowId } from '../domain/tx-id.js';
import { PaymentSearch } from '../workflows/search-attributes.js';
import type { paymentWorkflow } from '../workflows/payment.js';
import {
  TASK_QUEUE,
  cancelUpdate,
  paymentQuery,
  resendNotificationUpdate,
  registerUpdate,
  submitPaymentUpdate,
  walletCallbackSignal,
  type CancelOutcome,
  type CancelRequest,
  type NotificationRecord,
  type PaymentSubmission,
  type PaymentView,
  type PaymentWorkflowInput,
  type RegistrationReceipt,
  type SubmissionOutcome,
  type WalletCallbackEvent,
} from '../workflows/messages.js';
import { GatewayError } from './errors.js';
import { ResultCode } from '../domain/result-codes.js';

/**
 * The API's only door to business state: start workflows, send updates and signals, read queries.
 * Temporal errors are translated here into the gateway's own (GatewayError → NICEPAY result codes).
 */
export class PaymentsClient {
  constructor(private readonly client: Client, private readonly taskQueue: string = TASK_QUEUE) {}

  /** Registration is update-with-start: a repeated registration reaches the same workflow and is compared there. */
  async register(input: PaymentWorkflowInput): Promise<RegistrationReceipt> {
    const workflowId = paymentWorkflowId(input.tXid);
    const start = new WithStartWorkflowOperation<typeof paymentWorkflow>('paymentWorkflow', {
      workflowId,
      taskQueue: this.taskQueue,
      args: [{ ...input, searchable: true }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A closed payment keeps its tXid forever: never start a second run under the same ID.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { tXid: input.tXid, referenceNo: input.registration.referenceNo, iMid: input.registration.iMid, mitraCd: input.registration.mitraCd, amt: input.registration.amt },
      // Never customer data: Temporal does not encrypt search attributes.
      typedSearchAttributes: [
        { key: PaymentSearch.tXid, value: input.tXid },
        { key: PaymentSearch.referenceNo, value: input.registration.referenceNo },
        { key: PaymentSearch.iMid, value: input.registration.iMid },
        { key: PaymentSearch.mitraCd, value: input.registration.mitraCd },
        { key: PaymentSearch.amt, value: input.registration.amt },
        { key: PaymentSearch.paymentStatus, value: PaymentStatus.Unpaid },
      ],
    });
    try {
      return await this.client.workflow.executeUpdateWithStart(registerUpdate, { args: [input.fingerprint], startWorkflowOperation: start });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return this.receiptFromClosed(input);
      throw translate(err);
    }
  }

  async view(tXid: string): Promise<PaymentView | undefined> {
    try {
      return await this.client.workflow.getHandle(paymentWorkflowId(tXid)).query(paymentQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw translate(err);
    }
  }

  async submit(tXid: string, submission: PaymentSubmission): Promise<SubmissionOutcome> {
    try {
      return await this.client.workflow.getHandle(paymentWorkflowId(tXid)).executeUpdate(submitPaymentUpdate, { args: [submission] });
    } catch (err) {
      throw translate(err);
    }
  }

  /** A cancel; a workflow already closed (its refund window over) answers 9502. */
  async cancel(tXid: string, request: CancelRequest): Promise<CancelOutcome> {
    return this.updateOpen(tXid, () => this.client.workflow.getHandle(paymentWorkflowId(tXid)).executeUpdate(cancelUpdate, { args: [request] }));
  }

  /** Operators: notify the merchant of the current state again. */
  async resendNotification(tXid: string): Promise<NotificationRecord> {
    return this.updateOpen(tXid, () => this.client.workflow.getHandle(paymentWorkflowId(tXid)).executeUpdate(resendNotificationUpdate));
  }

  private async updateOpen<T>(tXid: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const translated = translate(err);
      if (translated instanceof GatewayError && translated.resultCd === ResultCode.NotFound && (await this.view(tXid))) {
        throw new GatewayError(ResultCode.InvalidStatus, 'Not allowed in the current status: the transaction is closed (its refund window is over)');
      }
      throw translated;
    }
  }

  /** `closed`: the transaction's workflow has completed (its refund window is over) and takes no more callbacks. */
  async deliverCallback(tXid: string, event: WalletCallbackEvent): Promise<'delivered' | 'closed'> {
    try {
      await this.client.workflow.getHandle(paymentWorkflowId(tXid)).signal(walletCallbackSignal, event);
      return 'delivered';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'closed';
      throw translate(err);
    }
  }

  /** The payment workflow is closed (its settlement window is over): answer from its final state. */
  private async receiptFromClosed(input: PaymentWorkflowInput): Promise<RegistrationReceipt> {
    const view = await this.view(input.tXid);
    if (!view) throw new GatewayError(ResultCode.InternalError, 'registration state unavailable');
    if (view.fingerprint !== input.fingerprint) throw new GatewayError(ResultCode.DuplicateReference, 'referenceNo already registered with different content');
    return { tXid: view.tXid, transDt: view.reqDt, transTm: view.reqTm, status: view.status };
  }
}

/** gRPC status codes (grpc/grpc doc/statuscodes.md) the client surfaces when the Temporal server is down or slow. */
const GrpcStatus = { DEADLINE_EXCEEDED: 4, UNAVAILABLE: 14 } as const;

/** Temporal's failures, as the merchant should see them. */
export function translate(err: unknown): unknown {
  if (err instanceof GatewayError) return err;
  if (err instanceof WorkflowNotFoundError) return new GatewayError(ResultCode.NotFound, 'tXid not found');
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    switch (err.cause.type) {
      case FailureType.RegistrationConflict:
        return new GatewayError(ResultCode.DuplicateReference, err.cause.message);
      case FailureType.InvalidState:
        return new GatewayError(ResultCode.InvalidStatus, `Not allowed in the current status: ${err.cause.message}`);
      case FailureType.NotFound:
        return new GatewayError(ResultCode.NotFound, err.cause.message);
    }
  }
  if (isGrpcServiceError(err) || isGrpcServiceError((err as { cause?: unknown }).cause)) {
    const grpc = isGrpcServiceError(err) ? err : (err as { cause: { code: number; details?: string } }).cause;
    if (grpc.code === GrpcStatus.UNAVAILABLE) return new GatewayError(ResultCode.BusyRetry, 'Gateway busy (workflow engine unavailable), nothing was done, retry later');
    if (grpc.code === GrpcStatus.DEADLINE_EXCEEDED) return new GatewayError(ResultCode.WalletTimeout, 'Timed out waiting for the payment engine, outcome not known yet, inquire later');
  }
  return err;
}
