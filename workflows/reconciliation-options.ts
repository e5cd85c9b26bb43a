/** Activity options of the daily reconciliation, named by purpose (STYLE), every timeout and retry explicit. */
import type { ActivityOptions } from '@temporalio/workflow';
import { ReconciliationNotConfigured } from '../domain/reconciliation.js';

/**
 * Reading the gateway's payments: a visibility list, then one query or result per payment (a day's worth can take
 * minutes), heartbeating as it goes so a stuck read is noticed within a minute. Read-only, so retried freely.
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

/** Fetching the wallets' ledgers (settlement reports): one read, retried for about half an hour. */
export const walletLedgerReadOptions: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 6,
    nonRetryableErrorTypes: [ReconciliationNotConfigured],
  },
};
