/**
 * The baseline's worker, a process of its own like the gateway's: the trivial workflow and its one activity on the
 * `bench-baseline` task queue, with the same worker tuning as the gateway's worker and no payload codec.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, Worker, bundleWorkflowCode, makeTelemetryFilterString } from '@temporalio/worker';
import { loadConfig } from '../../domain/config.js';
import { bundlerOptions } from '../../workers/bundle.js';
import { workerTuning } from '../../workers/tuning.js';
import { createBaselineActivities } from './activities.js';
import { BASELINE_TASK_QUEUE } from './workflow.js';

const config = loadConfig();
Runtime.install({ telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } } });
const connection = await NativeConnection.connect({ address: config.temporal.address });
const worker = await Worker.create({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: BASELINE_TASK_QUEUE,
  workflowBundle: await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./workflow.ts', import.meta.url)),
    ...bundlerOptions,
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (m) => console.warn(m), error: (m) => console.error(m) },
  }),
  activities: createBaselineActivities(),
  ...workerTuning(config.worker),
});
process.stdout.write('baseline worker polling\n');
await worker.run();
await connection.close();
