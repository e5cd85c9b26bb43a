import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

import type { HistoryProfile } from './result.js';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** What one workflow cost the engine: its events by type, workflow tasks, activities and the bytes of its payloads. */
/** Read through a client without the payload codec: the sizes are what the server stores (encrypted, for the gateway). */
export async function profileHistory(client: Client, workflowId: string): Promise<HistoryProfile> {
  const json = historyToJSON(await client.workflow.getHandle(workflowId).fetchHistory());
  const history = JSON.parse(json) as { events?: { eventType?: string; markerRecordedEventAttributes?: { markerName?: string } }[] };
  const byType: Record<string, number> = {};
  for (const e of history.events ?? []) {
    const type = (e.eventType ?? 'UNKNOWN').replace(/^EVENT_TYPE_/, '');
    byType[type] = (byType[type] ?? 0) + 1;
  }
  let payloadBytes = 0;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const p = value as JsonPayload;
      if (typeof p.metadata === 'object' && p.metadata !== null && 'encoding' in p.metadata) {
        payloadBytes += Buffer.from(p.data ?? '', 'base64').length;
        return;
      }
      Object.values(value).forEach(walk);
    }
  };
  walk(history);
  return {
    events: history.events?.length ?? 0,
    localActivities: (history.events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName?.includes('local_activity')).length,
    workflowTasks: byType.WORKFLOW_TASK_COMPLETED ?? 0,
    activities: byType.ACTIVITY_TASK_SCHEDULED ?? 0,
    signals: byType.WORKFLOW_EXECUTION_SIGNALED ?? 0,
    updates: byType.WORKFLOW_EXECUTION_UPDATE_ACCEPTED ?? 0,
    payloadBytes,
    historyJsonBytes: Buffer.byteLength(json),
    byType,
  };
}
