import { ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { countByProblem, InvalidReconciliationWindow, type ReconciliationReport, type ReconciliationWindow } from '../domain/reconciliation.js';
import { reconciliationReadOptions } from './reconciliation-options.js';

const { reconcileWindow } = proxyActivities<Activities>(reconciliationReadOptions);

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
 * The daily reconciliation (issue 14): the gateway's payments registered in the window, as visibility says now,
 * against every wallet's ledger (activities/reconciliation.ts `reconcileWindow`: a page at a time, each payment judged
 * by a ledger read after it was listed). Payments registered before the window whose money moved in it (a late
 * charge, a refund) are looked up and checked with their whole ledger history, so only money the gateway truly has
 * no payment for is reported `unknown-to-gateway`. Only the report enters history.
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
  // The comparison runs inside the activity, a page at a time: only the counts and the differences enter history.
  const report = await reconcileWindow(window);
  log.info('reconciliation finished', {
    from: report.from,
    to: report.to,
    checked: report.checked,
    pending: report.pending,
    matched: report.matched,
    differences: report.differences.length,
    byProblem: countByProblem(report),
  });
  return report;
}
