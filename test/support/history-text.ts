import type { temporal } from '@temporalio/proto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

/**
 * A workflow history as searchable text: its proto JSON with every payload's bytes decoded, so a test can look for a
 * plain value wherever Temporal stored it (inputs, results, signals, updates, memo, failures).
 */
export function historyText(history: temporal.api.history.v1.IHistory): string {
  const json: unknown = JSON.parse(historyToJSON(history));
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'data' && typeof v === 'string') parts.push(Buffer.from(v, 'base64').toString('utf8'));
        else walk(v);
      }
    } else if (typeof value === 'string') parts.push(value);
  };
  walk(json);
  return parts.join('\n');
}
