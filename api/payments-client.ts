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
import { hasTxIdShape, paymentWorkflowId, paymentWorkflowIdOf } from '../domain/tx-id.js';
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
import { GatewayError, tXidNotFound } from './errors.js';
import { ResultCode } from '../domain/result-codes.js';
import { nicepayDate, nicepayTime } from '../domain/nicepay-time.js';
import { RegistrationFactsCache, type RegistrationFacts } from './registration-facts.js';

/** What a registration answers: the tXid and when it was registered (the status is the inquiry's business). */

/**
 * The API's only door to business state: start workflows, send updates and signals, read queries.
 * Temporal errors are translated here into the gateway's own (GatewayError → NICEPAY result codes).
 */

/** A payment to register: the workflow's input but what the client stamps. */
export type NewPayment = Omit<PaymentWorkflowInput, 'registeredAt' | 'searchable'>;
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
  /** `input`: the workflow's, but when it was registered and whether it is indexed, which this client sets. */
  async register(input: NewPayment): Promise<RegistrationReceipt> {
    const workflowId = paymentWorkflowId(input.tXid);
    const registeredAt = new Date();
    const { registration: reg } = input;
    let runId: string;
    try {
      ({ firstExecutionRunId: runId } = await this.client.workflow.start<typeof paymentWorkflow>('paymentWorkflow', {
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
          { key: PaymentSearch.cancelAmt, value: 0 },
        ],
      }));
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return this.receiptOfExisting(input);
      throw translate(err);
    }
    this.#facts.remember(input.tXid, { ...reg, runId });
    return { tXid: input.tXid, transDt: nicepayDate(registeredAt), transTm: nicepayTime(registeredAt) };
  }

  /**
   * The registration facts of a payment (to check a token, a wallet or an amount): from this process's cache, else
   * from the workflow. `undefined`: no such payment.
   */
  async facts(tXid: string): Promise<RegistrationFacts | undefined> {
    const cached = this.#facts.get(tXid);
    if (cached) return cached;
    const view = await this.view(tXid);
    return view && { ...view.registration, ...(view.runId ? { runId: view.runId } : {}) };
  }

  /**
   * The payment a tXid names. Its workflow is found by the tXid's registration key, and holds exactly one tXid: an
   * earlier transaction's tXid for the same referenceNo (registered again after the earlier one left storage) is
   * not this payment, and is unknown.
   */
  async view(tXid: string): Promise<PaymentView | undefined> {
    if (!hasTxIdShape(tXid)) return undefined;
    try {
      const view = await this.client.workflow.getHandle(paymentWorkflowId(tXid)).query(paymentQuery);
      if (view.tXid !== tXid) return undefined;
      this.#facts.remember(tXid, { ...view.registration, ...(view.runId ? { runId: view.runId } : {}) });
      return view;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw translate(err);
    }
  }

  /** The payment registered as iMid + referenceNo while its workflow is kept, whatever its tXid. */
  async viewByReference(iMid: string, referenceNo: string): Promise<PaymentView | undefined> {
    try {
      const view = await this.client.workflow.getHandle(paymentWorkflowIdOf(iMid, referenceNo)).query(paymentQuery);
      this.#facts.remember(view.tXid, { ...view.registration, ...(view.runId ? { runId: view.runId } : {}) });
      return view;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw translate(err);
    }
  }

  /** The submission is stamped here (`submittedAt`): the wallet's deadline counts from it. */
  async submit(tXid: string, submission: Omit<PaymentSubmission, 'submittedAt'>): Promise<SubmissionOutcome> {
    try {
      return await (await this.#handle(tXid)).executeUpdate(submitPaymentUpdate, { args: [{ ...submission, submittedAt: new Date().toISOString() }] });
    } catch (err) {
      throw translate(err);
    }
  }

  /** A cancel; a workflow already closed (its refund window over) answers 9502. */
  async cancel(tXid: string, request: CancelRequest): Promise<CancelOutcome> {
    return this.updateOpen(tXid, async () => (await this.#handle(tXid)).executeUpdate(cancelUpdate, { args: [request] }));
  }

  /** Operators: notify the merchant of the current state again. */
  async resendNotification(tXid: string): Promise<NotificationRecord> {
    return this.updateOpen(tXid, async () => (await this.#handle(tXid)).executeUpdate(resendNotificationUpdate));
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
      await (await this.#handle(tXid)).signal(walletCallbackSignal, event);
      return 'delivered';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'closed';
      throw translate(err);
    }
  }

  /**
   * The workflow of a tXid, once it is known to hold that tXid (from this process's facts, else asked); another
   * payment's workflow, or none, is 8004.
   */
  async #handle(tXid: string) {
    const facts = await this.facts(tXid);
    if (!facts) throw tXidNotFound();
    return this.client.workflow.getHandle(paymentWorkflowId(tXid), facts.runId);
  }

  /**
   * The payment was registered before (its workflow is still kept): the same content gets the first receipt, and
   * the first tXid, again; other content is 9009.
   */
  private async receiptOfExisting(input: NewPayment): Promise<RegistrationReceipt> {
    const { memo, runId } = await this.client.workflow.getHandle(paymentWorkflowId(input.tXid)).describe().catch((err: unknown) => {
      throw translate(err);
    });
    const kept =
      typeof memo?.fingerprint === 'string' && typeof memo.registeredAt === 'string' && typeof memo.tXid === 'string'
        ? { tXid: memo.tXid, fingerprint: memo.fingerprint, at: new Date(memo.registeredAt) }
        : undefined;
    if (kept === undefined) throw new GatewayError(ResultCode.InternalError, 'registration state unavailable');
    if (kept.fingerprint !== input.fingerprint) throw new GatewayError(ResultCode.DuplicateReference, 'referenceNo already registered with different content');
    this.#facts.remember(kept.tXid, { ...input.registration, runId });
    return { tXid: kept.tXid, transDt: nicepayDate(kept.at), transTm: nicepayTime(kept.at) };
  }
}

/** gRPC status codes (grpc/grpc doc/statuscodes.md) the client surfaces when the Temporal server is down or slow. */
const GrpcStatus = { DEADLINE_EXCEEDED: 4, UNAVAILABLE: 14 } as const;

/** Temporal's failures, as the merchant should see them. */
export function translate(err: unknown): unknown {
  if (err instanceof GatewayError) return err;
  if (err instanceof WorkflowNotFoundError) return tXidNotFound();
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
