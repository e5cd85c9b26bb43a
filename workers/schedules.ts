import { randomUUID } from 'node:crypto';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import type { ReconciliationReport } from '../domain/reconciliation.js';
import { DEFAULT_SETTLE_MARGIN_MINUTES, type ReconciliationInput, type reconciliationWorkflow } from '../workflows/reconciliation.js';

export const RECONCILIATION_SCHEDULE_ID = 'daily-reconciliation';
/** The schedule appends the scheduled time: `reconciliation-2025-01-02T19:00:00Z`. */
export const RECONCILIATION_WORKFLOW_ID = 'reconciliation';
/** A run that has not finished by then is stuck (its activities give up well before): the next day's run must not be skipped for it. */
const RUN_TIMEOUT = '6 hours';

export interface ReconciliationScheduleOptions {
  readonly taskQueue: string;
  /** The hour (0–23) of the daily run in Asia/Jakarta (WIB); default 2, i.e. 02:00 WIB. */
  readonly hourWib?: number;
  /** The minutes left out at the end of the window (payments still settling); default `DEFAULT_SETTLE_MARGIN_MINUTES`. */
  readonly settleMarginMinutes?: number;
  /** Default 24 h + the margin, so each day's window starts where the previous one ended. */
  readonly lookbackHours?: number;
}

/**
 * Creates the daily reconciliation schedule, or brings an existing one to these settings (so a changed hour or
 * task queue takes effect at the next worker start; a pause set by an operator is kept). Safe to call from every
 * worker at start-up.
 */
export async function ensureReconciliationSchedule(client: Client, opts: ReconciliationScheduleOptions): Promise<'created' | 'updated'> {
  const hour = opts.hourWib ?? 2;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hourWib must be an integer 0–23, not ${hour}`);
  const settleMarginMinutes = opts.settleMarginMinutes ?? DEFAULT_SETTLE_MARGIN_MINUTES;
  const input: ReconciliationInput = { lookbackHours: opts.lookbackHours ?? 24 + settleMarginMinutes / 60, settleMarginMinutes };
  const spec: ScheduleSpec = { calendars: [{ hour, minute: 0 }], timezone: 'Asia/Jakarta' };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: 'reconciliationWorkflow',
    workflowId: RECONCILIATION_WORKFLOW_ID,
    taskQueue: opts.taskQueue,
    args: [input],
    workflowExecutionTimeout: RUN_TIMEOUT,
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' } as const;
  try {
    await client.schedule.create({ scheduleId: RECONCILIATION_SCHEDULE_ID, spec, action, policies });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID).update((previous) => ({ ...previous, spec, action, policies }));
  return 'updated';
}

/**
 * Runs a reconciliation now, outside the schedule (operators, tests), and waits for its report. With a fixed
 * `workflowId`, a second run while one is running fails to start (`WorkflowExecutionAlreadyStartedError`): that is
 * how operators' runs are kept to one at a time across every API instance.
 */
export async function runReconciliationNow(
  client: Client,
  taskQueue: string,
  lookbackHours: number,
  options: { readonly settleMarginMinutes?: number; readonly workflowId?: string } = {},
): Promise<ReconciliationReport> {
  const input: ReconciliationInput = {
    lookbackHours,
    ...(options.settleMarginMinutes !== undefined ? { settleMarginMinutes: options.settleMarginMinutes } : {}),
  };
  return client.workflow.execute<typeof reconciliationWorkflow>('reconciliationWorkflow', {
    taskQueue,
    workflowId: options.workflowId ?? `${RECONCILIATION_WORKFLOW_ID}-now-${randomUUID()}`,
    args: [input],
    workflowExecutionTimeout: RUN_TIMEOUT,
  });
}
