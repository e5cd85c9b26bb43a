import { ApplicationFailure, Context } from '@temporalio/activity';
import { Client, WorkflowNotFoundError, type WorkflowExecutionInfo } from '@temporalio/client';
import {
  InvalidReconciliationWindow,
  ledgerByPayment,
  ledgerKey,
  reconcile,
  type GatewayPaymentRecord,
  type ReconciliationReport,
  type WalletLedgerEntry,
} from '../domain/reconciliation.js';
import { paymentWorkflowId, refundWorkflowId } from '../domain/tx-id.js';
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

/** Payments compared with the ledger at once: a visibility page, and all this activity holds of the day's payments. */
const PAGE_SIZE = 1_000;

export function createReconciliationActivities(deps: ReconciliationActivityDeps) {
  const client =
    deps.namespace !== undefined && deps.namespace !== deps.client.options.namespace
      ? new Client({ ...deps.client.options, namespace: deps.namespace })
      : deps.client;

  /** Payments the ledger names that the window's list did not have (registered earlier), by their workflow ID. */
  async function lookup(tXids: readonly string[]): Promise<GatewayPaymentRecord[]> {
    const records: GatewayPaymentRecord[] = [];
    for (const tXid of tXids) {
      const payment = await describeIfAny(paymentWorkflowId(tXid));
      // A workflow ID names a registration key: a referenceNo registered again holds another tXid, not the one asked.
      if (payment?.type === 'paymentWorkflow' && payment.typedSearchAttributes.get(PaymentSearch.tXid) === tXid) {
        const refunds = await describeIfAny(refundWorkflowId(tXid));
        records.push(recordOf(payment, refunds?.type === 'refundWorkflow' ? refunds : undefined));
      }
      Context.current().heartbeat({ looked: records.length });
    }
    return records;
  }

  async function describeIfAny(workflowId: string): Promise<ExecutionRef | undefined> {
    try {
      return await client.workflow.getHandle(workflowId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /**
   * The refund workflows started since `from` (refunds and late charges after a payment closed: a small share of
   * the payments), the latest per tXid: their search attributes are the transaction's current status and refunds.
   */
  async function refundsSince(from: string): Promise<Map<string, ExecutionRef>> {
    const latest = new Map<string, ExecutionRef>();
    const query = `WorkflowType = 'refundWorkflow' AND StartTime >= '${from}'`;
    for await (const info of client.workflow.list({ query, pageSize: PAGE_SIZE })) {
      const tXid = info.typedSearchAttributes.get(PaymentSearch.tXid);
      const known = tXid === undefined ? undefined : latest.get(tXid);
      if (tXid !== undefined && (!known || known.startTime < info.startTime)) latest.set(tXid, info);
    }
    return latest;
  }

  return {
    /**
     * The window's reconciliation, inside one activity so that neither the day's payments nor the ledger travel
     * through workflow history: the payments registered in [from, to) are read from visibility (their search
     * attributes; no workflow is asked), a page at a time, each page compared with its ledger entries; then the
     * ledger's movements in the window that no listed payment has are looked up (payments registered earlier, checked
     * with their whole history) or reported unknown. Only the counts and the differences come back.
     * Visibility is eventually consistent: the settle margin keeps the window well in the past.
     */
    async reconcileWindow(window: TimeRange): Promise<ReconciliationReport> {
      const [from, to] = [Date.parse(isoTime(window.from)), Date.parse(isoTime(window.to))];
      const ledgerNow = async (): Promise<Map<string, WalletLedgerEntry[]>> => ledgerByPayment(await deps.ledger.entries(new Date(from), new Date()));
      // A wallet moves money before the gateway records it, so a payment is judged by a ledger read after it was
      // listed. Each page is compared with a ledger read before the listing (most payments simply match); those that
      // do not are compared again, at the end, with a ledger read after every page: only then are they differences.
      const early = await ledgerNow();
      let report: ReconciliationReport = { from: window.from, to: window.to, checked: 0, pending: 0, matched: 0, differences: [] };
      const suspects: GatewayPaymentRecord[] = [];
      const seen = new Set<string>();
      let page: GatewayPaymentRecord[] = [];
      const comparePage = (): void => {
        const part = reconcile(page, entriesOf(early, page), window);
        const differing = new Set(part.differences.map((d) => d.tXid));
        suspects.push(...page.filter((p) => differing.has(p.tXid)));
        report = { ...report, checked: report.checked + part.checked, pending: report.pending + part.pending, matched: report.matched + part.matched };
        page = [];
        Context.current().heartbeat({ checked: report.checked });
      };
      const refunds = await refundsSince(isoTime(window.from));
      const query = `WorkflowType = 'paymentWorkflow' AND StartTime >= '${isoTime(window.from)}' AND StartTime < '${isoTime(window.to)}'`;
      for await (const info of client.workflow.list({ query, pageSize: PAGE_SIZE })) {
        const record = recordOf(info, refunds.get(info.typedSearchAttributes.get(PaymentSearch.tXid) ?? ''));
        seen.add(ledgerKey(record.mitraCd, record.tXid));
        page.push(record);
        if (page.length >= PAGE_SIZE) comparePage();
      }
      if (page.length > 0) comparePage();

      const late = await ledgerNow();
      const again = reconcile(suspects, entriesOf(late, suspects), window);
      report = { ...report, matched: report.matched + again.matched, differences: again.differences };

      // Money moved in the window for transactions not registered in it: payments of earlier days, or nobody's.
      const strayEntries = [...late].filter(([key]) => !seen.has(key)).flatMap(([, entries]) => entries);
      const strays = [...new Set(strayEntries.filter((e) => Date.parse(e.at) >= from && Date.parse(e.at) < to).map((e) => e.merchantInvoice))];
      const earlier = strays.length > 0 ? await lookup(strays) : [];
      const earliestStart = earlier.reduce((min, p) => Math.min(min, p.startedAt !== undefined ? Date.parse(p.startedAt) : from), from);
      const theirs = new Set(earlier.map((p) => p.tXid));
      // A refund today may belong to a charge weeks ago (refund window): their whole history before the window too.
      const before = earliestStart < from ? (await deps.ledger.entries(new Date(earliestStart), new Date(from))).filter((e) => theirs.has(e.merchantInvoice)) : [];
      const rest = reconcile(earlier, [...strayEntries, ...before], window);
      return {
        ...report,
        checked: report.checked + rest.checked,
        pending: report.pending + rest.pending,
        matched: report.matched + rest.matched,
        differences: [...report.differences, ...rest.differences].sort(byTxId),
      };
    },
  };
}

/**
 * A payment as its search attributes say, its status and refunds from its refund workflow when it has one (the
 * payment closed before them). One without them (not started by the API) cannot be reconciled.
 */
function recordOf(info: ExecutionRef, refunds?: ExecutionRef): GatewayPaymentRecord {
  const sa = info.typedSearchAttributes;
  const now = (refunds ?? info).typedSearchAttributes;
  const [tXid, iMid, mitraCd, status, amt, cancelAmt] = [
    sa.get(PaymentSearch.tXid),
    sa.get(PaymentSearch.iMid),
    sa.get(PaymentSearch.mitraCd),
    now.get(PaymentSearch.paymentStatus),
    sa.get(PaymentSearch.amt),
    now.get(PaymentSearch.cancelAmt),
  ];
  if (tXid === undefined || iMid === undefined || mitraCd === undefined || status === undefined || amt === undefined || cancelAmt === undefined) {
    throw ApplicationFailure.nonRetryable(`payment ${info.workflowId} (${info.status.name}) has no complete search attributes: it cannot be read from visibility`);
  }
  return { tXid, iMid, mitraCd, status: status as PaymentStatus, amt, cancelAmt, startedAt: info.startTime.toISOString() };
}

function entriesOf(ledger: ReadonlyMap<string, readonly WalletLedgerEntry[]>, payments: readonly GatewayPaymentRecord[]): WalletLedgerEntry[] {
  return payments.flatMap((p) => ledger.get(ledgerKey(p.mitraCd, p.tXid)) ?? []);
}

function byTxId(a: { readonly tXid: string }, b: { readonly tXid: string }): number {
  return a.tXid < b.tXid ? -1 : a.tXid > b.tXid ? 1 : 0;
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;

/** A time for a visibility query, normalised (and so never carrying a quote into the query string). */
function isoTime(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw ApplicationFailure.nonRetryable(`not a time: ${value}`, InvalidReconciliationWindow);
  return new Date(ms).toISOString();
}
