import type { Client } from '@temporalio/client';
import type { HealthReport } from './deps.js';

/** A poller seen within this window counts as a live worker (long polls last about a minute). */
const LIVE_POLLER_MS = 90_000;

export function temporalHealth(client: Client, namespace: string, taskQueue: string): () => Promise<HealthReport> {
  return async () => {
    try {
      const res = await client.workflowService.describeTaskQueue(
        { namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 /* WORKFLOW */ },
      );
      const now = Date.now();
      const live = (res.pollers ?? []).filter((p) => {
        const seen = p.lastAccessTime?.seconds;
        return seen !== undefined && seen !== null && now - Number(seen) * 1000 < LIVE_POLLER_MS;
      });
      return { ok: live.length > 0, temporal: 'ok', workers: live.length };
    } catch {
      return { ok: false, temporal: 'unreachable', workers: 0 };
    }
  };
}
