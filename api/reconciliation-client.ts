import type { Client } from '@temporalio/client';
import type { ReconciliationReport } from '../domain/reconciliation.js';
import { runReconciliationNow } from '../workers/schedules.js';
import type { reconciliationWorkflow } from '../workflows/reconciliation.js';

/** How far back `latest()` looks first; a daily schedule always has a run in it. Older runs need a full scan. */
const RECENT_DAYS = 8;

/** The operators' door to reconciliation reports: run one now, or read the latest finished one. */
export class ReconciliationClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  runNow(lookbackHours: number, options: { readonly settleMarginMinutes?: number } = {}): Promise<ReconciliationReport> {
    return runReconciliationNow(this.client, this.taskQueue, lookbackHours, options);
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
