import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  ApplicationFailure,
  isGrpcServiceError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import { latePlan } from '../domain/payment-rules.js';
import { FailureType } from '../domain/failures.js';
import { PaymentStatus, statusName } from '../domain/payment-status.js';
import { hasTxIdShape, paymentWorkflowId, paymentWorkflowIdOf, refundWorkflowId } from '../domain/tx-id.js';
import { paymentAttributes } from '../workflows/search-attributes.js';
import type { paymentWorkflow } from '../workflows/payment.js';
import type { refundWorkflow } from '../workflows/refund.js';
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
    type SubmissionOutcome,
  type WalletCallbackEvent,
} from '../workflows/messages.js';
import { GatewayError, tXidNotFound } from './errors.js';
import { ResultCode } from '../domain/result-codes.js';
import { nicepayDate, nicepayTime } from '../domain/nicepay-time.js';
import { FinalStatusWatcher } from './final-status-watcher.js';
import { RegisteredPaymentCache, type RegisteredPayment } from './registered-payments.js';
import { readRegistrationMemo, registrationMemo, standingFromDescription, standingOfView, type PaymentStanding } from './payment-standing.js';

/** What a registration answers: the tXid and when it was registered (the status is the inquiry's business). */

/**
 * The API's only door to business state: start workflows, send updates and signals, read queries.
 * Temporal errors are translated here into the gateway's own (GatewayError → NICEPAY result codes).
 */

/** What a registration answers: its tXid and when it was registered (NICEPAY's transDt/transTm). */
export type Registered = Pick<PaymentView, 'tXid' | 'transDt' | 'transTm'>;

/** A payment to register: the workflow's input but what the client stamps. */
export type NewPayment = Omit<PaymentWorkflowInput, 'registeredAt' | 'searchable'>;
export class PaymentsClient {
  readonly #registered: RegisteredPaymentCache;

  readonly #finals: FinalStatusWatcher;

  constructor(private readonly client: Client, private readonly taskQueue: string = TASK_QUEUE, registered = new RegisteredPaymentCache()) {
    this.#registered = registered;
    this.#finals = new FinalStatusWatcher(client);
  }

  /**
   * Registration is a plain workflow start, answered by the Temporal server without waiting for the worker: it
   * costs what a bare start costs (bench/README.md). A repeated registration finds the workflow already there
   * (running or closed: IDs are never reused) and is compared with the content it was started with.
   */
  /** `input`: the workflow's, but when it was registered and whether it is indexed, which this client sets. */
  async register(input: NewPayment): Promise<Registered> {
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
        // Encrypted by the codec like every payload: what a repeated registration is compared with, and what inquiry
        // answers with besides the status (api/payment-standing.ts).
        memo: registrationMemo(input.tXid, reg, input.fingerprint, registeredAt),
        // Never customer data: Temporal does not encrypt search attributes.
        typedSearchAttributes: paymentAttributes({ tXid: input.tXid, ...reg, status: PaymentStatus.Unpaid, cancelAmt: 0, statusAt: registeredAt }),
      }));
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return this.receiptOfExisting(input);
      throw translate(err);
    }
    this.#registered.remember(input.tXid, { ...reg, runId });
    return { tXid: input.tXid, transDt: nicepayDate(registeredAt), transTm: nicepayTime(registeredAt) };
  }

  /**
   * A registered payment (to check a token, a wallet or an amount): from this process's cache, else
   * from the memo the workflow was started with, which the server answers without a worker. `undefined`: no such
   * payment (or an earlier transaction's tXid for the same referenceNo).
   */
  async registered(tXid: string): Promise<RegisteredPayment | undefined> {
    const cached = this.#registered.get(tXid);
    if (cached) return cached;
    if (!hasTxIdShape(tXid)) return undefined;
    let described;
    try {
      described = await this.client.workflow.getHandle(paymentWorkflowId(tXid)).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw translateRead(err);
    }
    const memo = readRegistrationMemo(described.memo);
    if (!memo) throw new GatewayError(ResultCode.InternalError, 'registration state unavailable');
    if (memo.tXid !== tXid) return undefined;
    const { iMid, referenceNo, amt, mitraCd } = memo;
    const payment = { iMid, referenceNo, amt, mitraCd, runId: described.runId };
    this.#registered.remember(tXid, payment);
    return payment;
  }

  /**
   * The payment a tXid names. Its workflow is found by the tXid's registration key, and holds exactly one tXid: an
   * earlier transaction's tXid for the same referenceNo (registered again after the earlier one left storage) is
   * not this payment, and is unknown.
   */
  async view(tXid: string): Promise<PaymentView | undefined> {
    if (!hasTxIdShape(tXid)) return undefined;
    try {
      const payment = this.client.workflow.getHandle(paymentWorkflowId(tXid));
      const { status, runId } = await payment.describe();
      const view = status.name === 'RUNNING' ? await payment.query(paymentQuery) : (await this.#afterClose(tXid, runId)).latest;
      if (view.tXid !== tXid) return undefined;
      this.#registered.remember(tXid, { ...view.registration, runId: view.runId });
      return view;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw translateRead(err);
    }
  }

  /**
   * What an inquiry answers, from the Temporal server alone (describe: the memo and the search attributes, of the
   * payment and, once it has closed, of its refund workflow if one was started). No worker is asked, whatever the
   * number of payments waiting. Every change the API acknowledged is there already (the upsert completes with the
   * update that made it); a notification, though, reaches the merchant from inside a workflow task whose upsert
   * lands when the task completes, so a workflow with a task in flight is described again until it has, for a
   * moment at most (a merchant inquiring before it answers its notification holds that task up itself).
   */
  async standing(tXid: string): Promise<PaymentStanding | undefined> {
    if (!hasTxIdShape(tXid)) return undefined;
    try {
      const payment = this.client.workflow.getHandle(paymentWorkflowId(tXid));
      const described = await settled(() => payment.describe());
      if (described.status.name === 'RUNNING') {
        const standing = standingFromDescription(described) ?? standingOfView(await payment.query(paymentQuery));
        return standing.tXid === tXid ? standing : undefined;
      }
      const books = await settled(() => this.client.workflow.getHandle(refundWorkflowId(tXid)).describe()).catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      });
      const standing = standingFromDescription(described, books) ?? standingOfView((await this.#afterClose(tXid, described.runId)).latest);
      return standing.tXid === tXid ? standing : undefined;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw translateRead(err);
    }
  }

  /**
   * A closed payment, as it stands now: its refund workflow's view while that runs (asked), else the last refund
   * workflow's result, else the payment's result (both read from the server, no worker needed).
   */
  async #afterClose(tXid: string, paymentRunId: string): Promise<{ latest: PaymentView; refunds: 'running' | 'closed' | 'none' }> {
    const refunds = this.client.workflow.getHandle<typeof refundWorkflow>(refundWorkflowId(tXid));
    try {
      const { status, runId } = await refunds.describe();
      if (status.name === 'RUNNING') return { latest: await refunds.query(paymentQuery), refunds: 'running' };
      return { latest: await finalView(this.client.workflow.getHandle<typeof refundWorkflow>(refundWorkflowId(tXid), runId)), refunds: 'closed' };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    return { latest: await finalView(this.client.workflow.getHandle<typeof paymentWorkflow>(paymentWorkflowId(tXid), paymentRunId)), refunds: 'none' };
  }

  /**
   * Waits (at most `timeoutMs`) until visibility shows the payment final: the waiting page's long-poll, answered by
   * the Temporal server alone (api/final-status-watcher.ts). `false`: not final yet.
   */
  awaitFinal(tXid: string, timeoutMs: number): Promise<boolean> {
    return this.#finals.wait(tXid, timeoutMs);
  }

  /** The payment registered as iMid + referenceNo while its workflow is kept, whatever its tXid. */
  async viewByReference(iMid: string, referenceNo: string): Promise<PaymentView | undefined> {
    try {
      const view = await this.client.workflow.getHandle(paymentWorkflowIdOf(iMid, referenceNo)).query(paymentQuery);
      this.#registered.remember(view.tXid, { ...view.registration, runId: view.runId });
      return view;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw translateRead(err);
    }
  }

  /** The submission is stamped here (`submittedAt`): the wallet's deadline counts from it. */
  async submit(tXid: string, submission: Omit<PaymentSubmission, 'submittedAt'>): Promise<SubmissionOutcome> {
    const registered = await this.registered(tXid);
    if (!registered) throw tXidNotFound();
    const payment = this.client.workflow.getHandle(paymentWorkflowId(tXid), registered.runId);
    try {
      return await payment.executeUpdate(submitPaymentUpdate, { args: [{ ...submission, submittedAt: new Date().toISOString() }] });
    } catch (err) {
      if (!(await this.#closed(payment))) throw translate(err);
    }
    // A paid payment closes as soon as its merchant is told: a payment call repeated after that gets the answer the
    // open payment gave.
    const { latest } = await this.#afterClose(tXid, registered.runId).catch((err: unknown) => {
      throw translateRead(err);
    });
    throw new GatewayError(ResultCode.InvalidStatus, `Not allowed in the current status: transaction is already ${statusName[latest.status].toLowerCase()}`);
  }

  /**
   * A cancel goes to the payment's workflow while it is open, and to the transaction's refund workflow once it has
   * closed (update-with-start: the first cancel after the close starts it with the payment's result). The payment
   * closes in one step with its last check, so a cancel it did not take finds it closed, and goes on to the refunds.
   */
  async cancel(tXid: string, request: CancelRequest): Promise<CancelOutcome> {
    const registered = await this.registered(tXid);
    if (!registered) throw tXidNotFound();
    const payment = this.client.workflow.getHandle(paymentWorkflowId(tXid), registered.runId);
    try {
      return await payment.executeUpdate(cancelUpdate, { args: [request] });
    } catch (err) {
      if (!(await this.#closed(payment))) throw translate(err);
    }
    try {
      const { latest, refunds } = await this.#afterClose(tXid, registered.runId);
      const known = latest.cancellations.some((c) => c.key === request.key);
      if (refunds !== 'running' && !known && latest.refundUntil !== undefined && Date.now() >= Date.parse(latest.refundUntil)) {
        throw new GatewayError(ResultCode.InvalidStatus, 'Not allowed in the current status: the transaction is closed (its refund window is over)');
      }
      return await this.client.workflow.executeUpdateWithStart(cancelUpdate, { args: [request], startWorkflowOperation: this.#refundStart(latest) });
    } catch (err) {
      throw translate(err);
    }
  }

  /**
   * The refund workflow, started with the transaction's latest closed state if none runs. (Should one close between
   * the read and the start, the new one starts from the payment's result: its window check refuses a cancel, and a
   * late charge is refunded under the same idempotency key, which the wallet does not pay twice.)
   */
  #refundStart(latest: PaymentView): WithStartWorkflowOperation<typeof refundWorkflow> {
    return new WithStartWorkflowOperation<typeof refundWorkflow>('refundWorkflow', {
      workflowId: refundWorkflowId(latest.tXid),
      taskQueue: this.taskQueue,
      args: [{ payment: latest, searchable: true }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: paymentAttributes({ tXid: latest.tXid, ...latest.registration, status: latest.status, cancelAmt: latest.cancelAmt, statusAt: new Date(latest.history.at(-1)?.at ?? Date.now()) }),
    });
  }

  async #closed(handle: WorkflowHandle): Promise<boolean> {
    try {
      return (await handle.describe()).status.name !== 'RUNNING';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw translate(err);
    }
  }

  /**
   * Operators: notify the merchant of the current state again. A closed payment's notifications continue in its
   * refund workflow (started for it if none runs), as its refunds do.
   */
  async resendNotification(tXid: string): Promise<NotificationRecord> {
    const registered = await this.registered(tXid);
    if (!registered) throw tXidNotFound();
    const payment = this.client.workflow.getHandle(paymentWorkflowId(tXid), registered.runId);
    try {
      return await payment.executeUpdate(resendNotificationUpdate);
    } catch (err) {
      if (!(await this.#closed(payment))) throw translate(err);
    }
    try {
      const { latest } = await this.#afterClose(tXid, registered.runId);
      return await this.client.workflow.executeUpdateWithStart(resendNotificationUpdate, { startWorkflowOperation: this.#refundStart(latest) });
    } catch (err) {
      throw translate(err);
    }
  }

  /**
   * A verified wallet callback: to the payment while it is open; after its close, to the refund workflow when it can
   * change the books (a charge the gateway did not report as paid, rules in domain/payment-rules.ts). `closed`: the
   * transaction is closed and the callback changes nothing.
   */
  async deliverCallback(tXid: string, event: WalletCallbackEvent): Promise<'delivered' | 'closed'> {
    const registered = await this.registered(tXid);
    if (!registered) throw tXidNotFound();
    const payment = this.client.workflow.getHandle(paymentWorkflowId(tXid), registered.runId);
    try {
      await payment.signal(walletCallbackSignal, event);
      return 'delivered';
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw translate(err);
    }
    try {
      const { latest, refunds } = await this.#afterClose(tXid, registered.runId);
      if (refunds !== 'running' && latePlan({ status: latest.status, amt: latest.registration.amt, cancelAmt: latest.cancelAmt }, event).kind !== 'refund') return 'closed';
      const start = this.#refundStart(latest);
      await this.client.workflow.signalWithStart<typeof refundWorkflow, [WalletCallbackEvent]>('refundWorkflow', { ...start.options, signal: walletCallbackSignal, signalArgs: [event] });
      return 'delivered';
    } catch (err) {
      throw translate(err);
    }
  }

  /**
   * The payment was registered before (its workflow is still kept): the same content gets the first receipt, and
   * the first tXid, again; other content is 9009.
   */
  private async receiptOfExisting(input: NewPayment): Promise<Registered> {
    const { memo, runId } = await this.client.workflow.getHandle(paymentWorkflowId(input.tXid)).describe().catch((err: unknown) => {
      throw translate(err);
    });
    const registered = readRegistrationMemo(memo);
    const kept = registered ? { tXid: registered.tXid, fingerprint: registered.fingerprint, at: new Date(registered.registeredAt) } : undefined;
    if (kept === undefined) throw new GatewayError(ResultCode.InternalError, 'registration state unavailable');
    if (kept.fingerprint !== input.fingerprint) throw new GatewayError(ResultCode.DuplicateReference, 'referenceNo already registered with different content');
    this.#registered.remember(kept.tXid, { ...input.registration, runId });
    return { tXid: kept.tXid, transDt: nicepayDate(kept.at), transTm: nicepayTime(kept.at) };
  }
}

/** How long an inquiry waits for a workflow task in flight to complete, and how often it looks. */
const TASK_IN_FLIGHT_WAIT_MS = 2_000;
const TASK_IN_FLIGHT_POLL_MS = 25;

/** The description once no workflow task is in flight (its state may be ahead of the server's), or as it is then. */
async function settled(describe: () => Promise<WorkflowExecutionDescription>): Promise<WorkflowExecutionDescription> {
  const until = Date.now() + TASK_IN_FLIGHT_WAIT_MS;
  for (;;) {
    const described = await describe();
    const inFlight = described.status.name === 'RUNNING' && described.raw.pendingWorkflowTask != null;
    if (!inFlight || Date.now() >= until) return described;
    await new Promise((resolve) => setTimeout(resolve, TASK_IN_FLIGHT_POLL_MS));
  }
}

/** A closed workflow's result; one that did not complete (terminated by an operator) is asked instead. */
async function finalView(handle: WorkflowHandle<typeof paymentWorkflow> | WorkflowHandle<typeof refundWorkflow>): Promise<PaymentView> {
  try {
    return await handle.result();
  } catch (err) {
    if (err instanceof WorkflowFailedError) return handle.query(paymentQuery);
    throw err;
  }
}

/** A read changes nothing: one that times out is "busy, nothing was done, retry" (9002), never "outcome unknown" (1004). */
export function translateRead(err: unknown): unknown {
  const translated = translate(err);
  return translated instanceof GatewayError && translated.resultCd === ResultCode.WalletTimeout
    ? new GatewayError(ResultCode.BusyRetry, 'Gateway busy (the payment engine did not answer in time), nothing was done, retry later')
    : translated;
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
  // The server stopped waiting for the update's outcome: it was taken, or not yet; the merchant asks again.
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return new GatewayError(ResultCode.WalletTimeout, 'Timed out waiting for the payment engine, outcome not known yet, inquire later');
  if (isGrpcServiceError(err) || isGrpcServiceError((err as { cause?: unknown }).cause)) {
    const grpc = isGrpcServiceError(err) ? err : (err as { cause: { code: number; details?: string } }).cause;
    if (grpc.code === GrpcStatus.UNAVAILABLE) return new GatewayError(ResultCode.BusyRetry, 'Gateway busy (workflow engine unavailable), nothing was done, retry later');
    if (grpc.code === GrpcStatus.DEADLINE_EXCEEDED) return new GatewayError(ResultCode.WalletTimeout, 'Timed out waiting for the payment engine, outcome not known yet, inquire later');
  }
  return err;
}
