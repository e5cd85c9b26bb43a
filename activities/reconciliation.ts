import { ApplicationFailure, Context } from '@temporalio/activity';
import { Client, WorkflowNotFoundError, type WorkflowExecutionInfo } from '@temporalio/client';
import { InvalidReconciliationWindow, type GatewayPaymentRecord, type WalletLedgerEntry } from '../domain/reconciliation.js';
import { paymentWorkflowId } from '../domain/tx-id.js';
import { paymentQuery, type PaymentView } from '../workflows/messages.js';
import type { WalletLedgerSource } from './wallet-ledger.js';

export interface ReconciliationActivityDeps {
  /** Reads the payment workflows (visibility list, queries, results). */
  readonly client: Client;
  readonly ledger: WalletLedgerSource;
  /** The namespace whose payments are reconciled; default the client's. */
  readonly namespace?: string;
}

/** ISO 8601 bounds, as activities and workflows pass times (a Date would not survive the payload converter as one). */
export interface TimeRange {
  readonly from: string;
  readonly to: string;
}

/** What the list and describe calls both tell about a workflow execution, as far as reading a payment needs. */
type ExecutionRef = Pick<WorkflowExecutionInfo, 'type' | 'workflowId' | 'runId' | 'status' | 'startTime'>;

/** How many payment workflows are read at once (each a query or a history read on the server). */
const READ_CONCURRENCY = 8;

export function createReconciliationActivities(deps: ReconciliationActivityDeps) {
  const client =
    deps.namespace !== undefined && deps.namespace !== deps.client.options.namespace
      ? new Client({ ...deps.client.options, namespace: deps.namespace })
      : deps.client;

  return {
    /**
     * The gateway's payments registered in [from, to), each as its workflow says now: the result of a completed one
     * (no replay needed), the `paymentQuery` of any other (open ones are still in their settlement window).
     * Visibility is eventually consistent: a payment registered a moment ago may be missing (the settle margin
     * keeps the window well in the past).
     */
    async listGatewayPayments(range: TimeRange): Promise<GatewayPaymentRecord[]> {
      const query =
        `WorkflowType = 'paymentWorkflow' AND StartTime >= '${isoTime(range.from)}' AND StartTime < '${isoTime(range.to)}'`;
      const executions: ExecutionRef[] = [];
      for await (const info of client.workflow.list({ query })) {
        executions.push(info);
        if (executions.length % 500 === 0) Context.current().heartbeat({ listed: executions.length });
      }
      return readAll(executions);
    },

    /**
     * Payments the ledger names but the window's list did not have (registered earlier), looked up by their
     * workflow ID; a tXid with no payment workflow is left out (the reconciliation reports it unknown).
     */
    async lookupGatewayPayments(input: { tXids: readonly string[] }): Promise<GatewayPaymentRecord[]> {
      const executions: ExecutionRef[] = [];
      for (const tXid of input.tXids) {
        try {
          executions.push(await client.workflow.getHandle(paymentWorkflowId(tXid)).describe());
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
        Context.current().heartbeat({ looked: executions.length });
      }
      // A workflow ID names a registration key: a referenceNo registered again holds another tXid, not the one asked.
      const asked = new Set(input.tXids);
      return (await readAll(executions.filter((e) => e.type === 'paymentWorkflow'))).filter((r) => asked.has(r.tXid));
    },

    /**
     * Every wallet's charges and refunds with from <= at < to; without `to`, up to the moment of this read; with
     * `merchantInvoices`, only theirs (filtered here, so weeks of ledger never travel into workflow history).
     */
    async fetchWalletLedger(input: { readonly from: string; readonly to?: string; readonly merchantInvoices?: readonly string[] }): Promise<WalletLedgerEntry[]> {
      const entries = await deps.ledger.entries(new Date(isoTime(input.from)), input.to !== undefined ? new Date(isoTime(input.to)) : new Date());
      if (input.merchantInvoices === undefined) return entries;
      const wanted = new Set(input.merchantInvoices);
      return entries.filter((e) => wanted.has(e.merchantInvoice));
    },
  };

  async function readAll(executions: readonly ExecutionRef[]): Promise<GatewayPaymentRecord[]> {
    const records: GatewayPaymentRecord[] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < executions.length) {
        const info = executions[next++];
        if (info === undefined) return;
        records.push(await readOne(info));
        Context.current().heartbeat({ read: records.length, of: executions.length });
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, executions.length) }, lane));
    return records.sort((a, b) => (a.tXid < b.tXid ? -1 : a.tXid > b.tXid ? 1 : 0));
  }

  async function readOne(info: ExecutionRef): Promise<GatewayPaymentRecord> {
    const handle = client.workflow.getHandle(info.workflowId, info.runId);
    let view: PaymentView;
    try {
      view = info.status.name === 'COMPLETED' ? ((await handle.result()) as PaymentView) : await handle.query(paymentQuery);
    } catch (err) {
      throw new Error(`cannot read payment ${info.workflowId} (${info.status.name}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return {
      tXid: view.tXid,
      iMid: view.registration.iMid,
      mitraCd: view.registration.mitraCd,
      status: view.status,
      amt: view.registration.amt,
      cancelAmt: view.cancelAmt,
      startedAt: info.startTime.toISOString(),
    };
  }
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;

/** A time for a visibility query, normalised (and so never carrying a quote into the query string). */
function isoTime(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw ApplicationFailure.nonRetryable(`not a time: ${value}`, InvalidReconciliationWindow);
  return new Date(ms).toISOString();
}
