import type { PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const isPayload = (v: unknown): v is JsonPayload => typeof v === 'object' && v !== null && 'metadata' in v && typeof (v as JsonPayload).metadata === 'object';

/**
 * A workflow history as searchable text: its proto JSON with every payload's bytes as text, so a test can look for
 * a value wherever Temporal stored it (inputs, results, signals, updates, memo, failures). Raw, it is what the
 * Temporal server holds; with `codec`, what an operator with the keys sees.
 */
export async function historyText(history: temporal.api.history.v1.IHistory, codec?: PayloadCodec): Promise<string> {
  const json: unknown = JSON.parse(historyToJSON(history));
  const parts: string[] = [];
  const walk = async (value: unknown): Promise<void> => {
    if (Array.isArray(value)) {
      for (const v of value) await walk(v);
    } else if (isPayload(value)) {
      const payload = {
        metadata: Object.fromEntries(Object.entries(value.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
        data: Buffer.from(value.data ?? '', 'base64'),
      };
      const [decoded] = codec ? await codec.decode([payload]) : [payload];
      parts.push(Buffer.from(decoded?.data ?? new Uint8Array()).toString('utf8'));
    } else if (value && typeof value === 'object') {
      for (const v of Object.values(value)) await walk(v);
    } else if (typeof value === 'string') {
      parts.push(value);
    }
  };
  await walk(json);
  return parts.join('\n');
}
