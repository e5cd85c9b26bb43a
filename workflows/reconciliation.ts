import { ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import {
  countByProblem,
  InvalidReconciliationWindow,
  ledgerEntryKey,
  ledgerKey,
  reconcile,
  type ReconciliationReport,
  type ReconciliationWindow,
  type WalletLedgerEntry,
} from '../domain/reconciliation.js';
import { reconciliationReadOptions, walletLedgerReadOptions } from './reconciliation-options.js';

const { listGatewayPayments, lookupGatewayPayments } = proxyActivities<Activities>(reconciliationReadOptions);
const { fetchWalletLedger } = proxyActivities<Activities>(walletLedgerReadOptions);

export interface ReconciliationInput {
  /** How far back the window starts. The daily schedule uses 24 h + the margin, so consecutive windows tile. */
  readonly lookbackHours: number;
  /** The most recent minutes left out, for payments still settling (default `DEFAULT_SETTLE_MARGIN_MINUTES`). */
  readonly settleMarginMinutes?: number;
}

/** A registration may wait an hour for its payment (REGISTRATION_TIMEOUT_SECONDS): leave the last hour alone. */
export const DEFAULT_SETTLE_MARGIN_MINUTES = 60;

/** The window of a run at `nowMs`: payments registered in [now − lookback, now − margin). */
export function reconciliationWindow(nowMs: number, input: ReconciliationInput): ReconciliationWindow {
  const marginMinutes = input.settleMarginMinutes ?? DEFAULT_SETTLE_MARGIN_MINUTES;
  return {
    from: new Date(nowMs - input.lookbackHours * 3_600_000).toISOString(),
    to: new Date(nowMs - marginMinutes * 60_000).toISOString(),
  };
}

/**
 * The daily reconciliation (issue 14): the gateway's payments registered in the window, as their workflows say now,
 * against every wallet's ledger. The gateway is read first and the ledger after, because a wallet moves money
 * before the gateway records it: whatever the gateway knows, the ledger then already shows. Payments registered
 * before the window whose money moved in it (a late charge, a refund) are looked up and checked with their whole
 * ledger history, so only money the gateway truly has no payment for is reported `unknown-to-gateway`.
 */
export async function reconciliationWorkflow(input: ReconciliationInput): Promise<ReconciliationReport> {
  const margin = input.settleMarginMinutes ?? DEFAULT_SETTLE_MARGIN_MINUTES;
  if (!(input.lookbackHours > 0) || !(margin >= 0) || margin >= input.lookbackHours * 60) {
    throw ApplicationFailure.nonRetryable(
      `invalid reconciliation window: lookbackHours ${input.lookbackHours}, settleMarginMinutes ${margin} (need lookback > margin >= 0)`,
      InvalidReconciliationWindow,
    );
  }
  const window = reconciliationWindow(Date.now(), input);
  const [from, to] = [Date.parse(window.from), Date.parse(window.to)];

  const payments = await listGatewayPayments(window);
  const ledger: WalletLedgerEntry[] = await fetchWalletLedger({ from: window.from });

  // Money moved in the window for transactions not registered in it: ask the gateway about them one by one.
  const known = new Set(payments.map((p) => ledgerKey(p.mitraCd, p.tXid)));
  const strays = [
    ...new Set(
      ledger
        .filter((e) => !known.has(ledgerEntryKey(e)) && Date.parse(e.at) >= from && Date.parse(e.at) < to)
        .map((e) => e.merchantInvoice),
    ),
  ];
  const earlier = strays.length > 0 ? await lookupGatewayPayments({ tXids: strays }) : [];
  const earliestStart = earlier.reduce((min, p) => Math.min(min, p.startedAt !== undefined ? Date.parse(p.startedAt) : from), from);
  if (earliestStart < from) {
    // Their money before the window: a refund today may belong to a charge weeks ago (refund window, 30 days).
    const merchantInvoices = earlier.map((p) => p.tXid);
    ledger.push(...(await fetchWalletLedger({ from: new Date(earliestStart).toISOString(), to: window.from, merchantInvoices })));
  }

  const report = reconcile([...payments, ...earlier], ledger, window);
  log.info('reconciliation finished', {
    from: report.from,
    to: report.to,
    checked: report.checked,
    pending: report.pending,
    matched: report.matched,
    startedBeforeWindow: earlier.length,
    differences: report.differences.length,
    byProblem: countByProblem(report),
  });
  return report;
}
