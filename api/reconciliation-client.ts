import { ScheduleNotFoundError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ReconciliationReport } from '../domain/reconciliation.js';
import { RECONCILIATION_SCHEDULE_ID, RECONCILIATION_WORKFLOW_ID, runReconciliationNow } from '../workers/schedules.js';
import type { reconciliationWorkflow } from '../workflows/reconciliation.js';

/** How far back `latest()` looks first; a daily schedule always has a run in it. Older runs need a full scan. */
const RECENT_DAYS = 8;

/**
 * Every operator's run has this one workflow ID: Temporal refuses to start a second while the first runs, on
 * whichever API instance it is asked, with no lock of our own to leak.
 */
export const OPERATOR_RECONCILIATION_ID = `${RECONCILIATION_WORKFLOW_ID}-operator`;

/** A reconciliation is running already (an operator's or the daily one): wait for its report instead. */
export class ReconciliationAlreadyRunning extends Error {
  constructor(readonly workflowId: string) {
    super(`a reconciliation is already running (workflow ${workflowId}); wait for it and read GET /ops/reconciliation/latest`);
  }
}

/** The operators' door to reconciliation reports: run one now, or read the latest finished one. */
export class ReconciliationClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Runs one now and answers its report; throws `ReconciliationAlreadyRunning` while another runs. The check of the
   * daily run and the start are not atomic: the daily run starting in between costs one extra read-only run, which
   * is harmless; what this prevents is operators (or a stolen token) stacking up runs.
   */
  async runNow(lookbackHours: number, options: { readonly settleMarginMinutes?: number } = {}): Promise<ReconciliationReport> {
    const daily = await this.runningDailyRun();
    if (daily !== undefined) throw new ReconciliationAlreadyRunning(daily);
    try {
      return await runReconciliationNow(this.client, this.taskQueue, lookbackHours, { ...options, workflowId: OPERATOR_RECONCILIATION_ID });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ReconciliationAlreadyRunning(OPERATOR_RECONCILIATION_ID);
      throw err;
    }
  }

  /**
   * The workflow ID of the daily schedule's run in progress, if any (no schedule: none). The schedule lists its
   * running runs only where its overlap policy needs them: a run triggered by hand (the Web UI's "trigger", overlap
   * ALLOW_ALL) is not among them, so its newest run is asked too.
   */
  private async runningDailyRun(): Promise<string | undefined> {
    const schedule = await this.client.schedule
      .getHandle(RECONCILIATION_SCHEDULE_ID)
      .describe()
      .catch((err: unknown) => {
        if (err instanceof ScheduleNotFoundError) return undefined;
        throw err;
      });
    if (schedule === undefined) return undefined;
    const { info } = schedule;
    const tracked = info.runningActions[0]?.workflow.workflowId;
    if (tracked !== undefined) return tracked;
    const newest = info.recentActions.reduce<(typeof info.recentActions)[number] | undefined>((a, b) => (a === undefined || b.takenAt > a.takenAt ? b : a), undefined);
    if (newest === undefined) return undefined;
    const { workflowId } = newest.action.workflow;
    const run = await this.client.workflow.getHandle(workflowId).describe().catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
    return run?.status.name === 'RUNNING' ? workflowId : undefined;
  }

  /**
   * The report of the most recently closed, completed reconciliation (scheduled or run now); undefined if none.
   * SQL visibility (the dev server's SQLite, PostgreSQL, MySQL) rejects `ORDER BY`, so the newest is found by scanning.
   */
  async latest(): Promise<ReconciliationReport | undefined> {
    const base = `WorkflowType = 'reconciliationWorkflow' AND ExecutionStatus = 'Completed'`;
    const since = new Date(Date.now() - RECENT_DAYS * 86_400_000).toISOString();
    const newest = (await this.newest(`${base} AND CloseTime >= '${since}'`)) ?? (await this.newest(base));
    if (newest === undefined) return undefined;
    return this.client.workflow.getHandle<typeof reconciliationWorkflow>(newest.workflowId, newest.runId).result();
  }

  private async newest(query: string): Promise<{ workflowId: string; runId: string } | undefined> {
    let best: { workflowId: string; runId: string; closedAt: number } | undefined;
    for await (const info of this.client.workflow.list({ query })) {
      const closedAt = info.closeTime?.getTime() ?? 0;
      if (best === undefined || closedAt > best.closedAt) best = { workflowId: info.workflowId, runId: info.runId, closedAt };
    }
    return best;
  }
}
