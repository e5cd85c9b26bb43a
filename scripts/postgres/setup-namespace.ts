/**
 * Prepares a production Temporal server for the gateway: the namespace (TEMPORAL_NAMESPACE, registered if missing,
 * 7 days' retention of closed workflows) and the payments' search attributes (workflows/search-attributes.ts; the
 * payment workflow upserts them, so they must exist first). Idempotent: only what is missing is added.
 *
 * Used by `npm run start:postgres` (scripts/postgres/start.ts), and by docker-compose.yml's one-shot
 * `temporal-setup` service (`node --import tsx scripts/postgres/setup-namespace.ts`), so both topologies are
 * prepared by the same code. The dev server of `npm start` needs none of it.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { loadTemporalTarget } from '../../domain/config.js';
import { ensureSearchAttributes } from '../../workers/search-attributes.js';
const retention = msToTs('7 days');

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

/** Connects (retrying until `timeoutMs`), registers what is missing, waits until the namespace answers; returns what it did. */
export async function setupNamespace(address: string, namespace: string, timeoutMs = 120_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const retry = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await call();
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`${what} at ${address}: ${message(err)}`);
        await sleep(500);
      }
    }
  };
  const done: string[] = [];
  const connection = await retry('connecting to Temporal', () => Connection.connect({ address, connectTimeout: 5_000 }));
  try {
    const exists = await retry('describing the namespace', () =>
      connection.workflowService.describeNamespace({ namespace }).then(
        () => true,
        (err: unknown) => {
          if ((err as { code?: number }).code === 5) return false; // NOT_FOUND
          throw err;
        },
      ),
    );
    if (!exists) {
      await retry('registering the namespace', () => connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: retention }));
      done.push(`namespace ${namespace} registered`);
    }
    // A new namespace reaches the frontend's cache within seconds; until then calls in it answer "not found".
    const added = await retry('registering search attributes', () => ensureSearchAttributes(connection, namespace));
    if (added.length > 0) done.push(`search attributes ${added.join(', ')} added`);
    await retry('waiting for the namespace', () => connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 }));
  } finally {
    await connection.close();
  }
  return done;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const temporal = loadTemporalTarget();
  try {
    const done = await setupNamespace(temporal.address, temporal.namespace);
    console.log(`temporal-setup: ${temporal.namespace} at ${temporal.address} ready${done.length > 0 ? `: ${done.join('; ')}` : ' (nothing to add)'}`);
  } catch (err) {
    console.error(`temporal-setup: ${message(err)}`);
    process.exit(1);
  }
}
