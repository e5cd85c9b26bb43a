import {
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
import { nicepayDate, nicepayTime } from '../domain/nicepay-time.js';
import { RegistrationFactsCache, type RegistrationFacts } from './registration-facts.js';

/** What a registration answers: the tXid and when it was registered (the status is the inquiry's business). */
export type RegistrationAnswer = Omit<RegistrationReceipt, 'status'>;

/**
 * The API's only door to business state: start workflows, send updates and signals, read queries.
 * Temporal errors are translated here into the gateway's own (GatewayError → NICEPAY result codes).
 */
export class PaymentsClient {
  readonly #facts: RegistrationFactsCache;

  constructor(private readonly client: Client, private readonly taskQueue: string = TASK_QUEUE, facts = new RegistrationFactsCache()) {
    this.#facts = facts;
  }

  /**
   * Registration is a plain workflow start, answered by the Temporal server without waiting for the worker: it
   * costs what a bare start costs (bench/README.md). A repeated registration finds the workflow already there
   * (running or closed: IDs are never reused) and is compared with the content it was started with.
   */
  async register(input: PaymentWorkflowInput): Promise<RegistrationAnswer> {
    const workflowId = paymentWorkflowId(input.tXid);
    const registeredAt = new Date();
    const { registration: reg } = input;
    try {
      await this.client.workflow.start<typeof paymentWorkflow>('paymentWorkflow', {
        workflowId,
        taskQueue: this.taskQueue,
        args: [{ ...input, searchable: true, registeredAt: registeredAt.toISOString() }],
        // A closed payment keeps its tXid forever: never start a second run under the same ID.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // Encrypted by the codec like every payload; what a repeated registration is compared with.
        memo: { tXid: input.tXid, referenceNo: reg.referenceNo, iMid: reg.iMid, mitraCd: reg.mitraCd, amt: reg.amt, fingerprint: input.fingerprint, registeredAt: registeredAt.toISOString() },
        // Never customer data: Temporal does not encrypt search attributes.
        typedSearchAttributes: [
          { key: PaymentSearch.tXid, value: input.tXid },
          { key: PaymentSearch.referenceNo, value: reg.referenceNo },
          { key: PaymentSearch.iMid, value: reg.iMid },
          { key: PaymentSearch.mitraCd, value: reg.mitraCd },
          { key: PaymentSearch.amt, value: reg.amt },
          { key: PaymentSearch.paymentStatus, value: PaymentStatus.Unpaid },
        ],
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return this.receiptOfExisting(input);
      throw translate(err);
    }
    this.#facts.remember(input.tXid, reg);
    return { tXid: input.tXid, transDt: nicepayDate(registeredAt), transTm: nicepayTime(registeredAt) };
  }

  /**
   * The registration facts of a payment (to check a token, a wallet or an amount): from this process's cache, else
   * from the workflow. `undefined`: no such payment.
   */
  async facts(tXid: string): Promise<RegistrationFacts | undefined> {
    return this.#facts.get(tXid) ?? (await this.view(tXid))?.registration;
  }

  async view(tXid: string): Promise<PaymentView | undefined> {
    try {
      const view = await this.client.workflow.getHandle(paymentWorkflowId(tXid)).query(paymentQuery);
      this.#facts.remember(tXid, view.registration);
      return view;
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

  /** The payment was registered before: the same content gets the first receipt again; other content is 9009. */
  private async receiptOfExisting(input: PaymentWorkflowInput): Promise<RegistrationAnswer> {
    const { memo } = await this.client.workflow.getHandle(paymentWorkflowId(input.tXid)).describe().catch((err: unknown) => {
      throw translate(err);
    });
    const kept = typeof memo?.fingerprint === 'string' && typeof memo.registeredAt === 'string' ? { fingerprint: memo.fingerprint, at: new Date(memo.registeredAt) } : undefined;
    // Registered through the register update (before registrations were plain starts): the workflow knows.
    const view = kept ? undefined : await this.view(input.tXid);
    const fingerprint = kept?.fingerprint ?? view?.fingerprint;
    if (fingerprint === undefined) throw new GatewayError(ResultCode.InternalError, 'registration state unavailable');
    if (fingerprint !== input.fingerprint) throw new GatewayError(ResultCode.DuplicateReference, 'referenceNo already registered with different content');
    this.#facts.remember(input.tXid, input.registration);
    if (view) return { tXid: view.tXid, transDt: view.reqDt, transTm: view.reqTm };
    const at = kept?.at ?? new Date();
    return { tXid: input.tXid, transDt: nicepayDate(at), transTm: nicepayTime(at) };
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
