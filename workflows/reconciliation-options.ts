/** Activity options of the daily reconciliation, named by purpose (STYLE), every timeout and retry explicit. */
import type { ActivityOptions } from '@temporalio/workflow';
import { ReconciliationNotConfigured } from '../domain/reconciliation.js';

/**
 * The window's reconciliation: the wallets' ledgers and a visibility list of the day's payments, compared a page at a
 * time (a day's worth can take minutes), heartbeating as it goes so a stuck read is noticed within a minute.
 * Read-only, so retried freely.
 */
export const reconciliationReadOptions: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 6,
    nonRetryableErrorTypes: [ReconciliationNotConfigured],
  },
};
