import { ApplicationFailure, Context } from '@temporalio/activity';
import { Client, WorkflowNotFoundError, type WorkflowExecutionInfo } from '@temporalio/client';
import { InvalidReconciliationWindow, type GatewayPaymentRecord, type WalletLedgerEntry } from '../domain/reconciliation.js';
import { paymentWorkflowId } from '../domain/tx-id.js';
import type { PaymentStatus } from '../domain/payment-status.js';
import { PaymentSearch } from '../workflows/search-attributes.js';
import type { WalletLedgerSource } from './wallet-ledger.js';

export interface ReconciliationActivityDeps {
  /** Reads the payments from visibility (list, describe): never a workflow query, so no worker replays a payment. */
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
type ExecutionRef = Pick<WorkflowExecutionInfo, 'type' | 'workflowId' | 'status' | 'startTime' | 'typedSearchAttributes'>;

export function createReconciliationActivities(deps: ReconciliationActivityDeps) {
  const client =
    deps.namespace !== undefined && deps.namespace !== deps.client.options.namespace
      ? new Client({ ...deps.client.options, namespace: deps.namespace })
      : deps.client;

  return {
    /**
     * The gateway's payments registered in [from, to), each as its search attributes say (the workflow keeps
     * `paymentStatus` and `cancelAmt` current): read from visibility alone, a page at a time, no workflow asked.
     * Visibility is eventually consistent: a payment registered a moment ago may be missing, and a status a moment
     * old may lag (the settle margin keeps the window well in the past).
     */
    async listGatewayPayments(range: TimeRange): Promise<GatewayPaymentRecord[]> {
      const query =
        `WorkflowType = 'paymentWorkflow' AND StartTime >= '${isoTime(range.from)}' AND StartTime < '${isoTime(range.to)}'`;
      const records: GatewayPaymentRecord[] = [];
      for await (const info of client.workflow.list({ query })) {
        records.push(recordOf(info));
        if (records.length % 500 === 0) Context.current().heartbeat({ listed: records.length });
      }
      return sortedByTxId(records);
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
      return sortedByTxId(executions.filter((e) => e.type === 'paymentWorkflow').map(recordOf)).filter((r) => asked.has(r.tXid));
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
}

/** A payment as its search attributes say; one without them (not started by the API) cannot be reconciled. */
function recordOf(info: ExecutionRef): GatewayPaymentRecord {
  const sa = info.typedSearchAttributes;
  const [tXid, iMid, mitraCd, status, amt, cancelAmt] = [
    sa.get(PaymentSearch.tXid),
    sa.get(PaymentSearch.iMid),
    sa.get(PaymentSearch.mitraCd),
    sa.get(PaymentSearch.paymentStatus),
    sa.get(PaymentSearch.amt),
    sa.get(PaymentSearch.cancelAmt),
  ];
  if (tXid === undefined || iMid === undefined || mitraCd === undefined || status === undefined || amt === undefined || cancelAmt === undefined) {
    throw ApplicationFailure.nonRetryable(`payment ${info.workflowId} (${info.status.name}) has no complete search attributes: it cannot be read from visibility`);
  }
  return { tXid, iMid, mitraCd, status: status as PaymentStatus, amt, cancelAmt, startedAt: info.startTime.toISOString() };
}

function sortedByTxId(records: GatewayPaymentRecord[]): GatewayPaymentRecord[] {
  return records.sort((a, b) => (a.tXid < b.tXid ? -1 : a.tXid > b.tXid ? 1 : 0));
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;

/** A time for a visibility query, normalised (and so never carrying a quote into the query string). */
function isoTime(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw ApplicationFailure.nonRetryable(`not a time: ${value}`, InvalidReconciliationWindow);
  return new Date(ms).toISOString();
}
