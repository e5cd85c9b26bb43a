import type { DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import type { Logger } from '../platform/logger.js';
import { paymentMetricsSinks } from '../platform/metrics.js';
import { TASK_QUEUE } from '../workflows/messages.js';
import { bundlerOptions, workflowsPath } from './bundle.js';

export interface CreateWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly deps: ActivityDeps;
  readonly taskQueue?: string;
  /** The payload codec (encryption); the same as the clients'. */
  readonly dataConverter?: DataConverter;
  readonly tuning?: Partial<WorkerOptions>;
  /** Where webpack's bundle report goes (debug level: it is long and only interesting when bundling breaks). */
  readonly logger?: Logger;
}

/** The worker for the payment task queue: the app's main worker and the tests build it the same way. */
export async function createPaymentWorker(opts: CreateWorkerOptions): Promise<Worker> {
  const log = opts.logger;
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath,
    ...bundlerOptions,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: (m) => log?.debug(m),
      info: (m) => log?.debug(m),
      warn: (m, meta) => log?.warn(meta ?? {}, m),
      error: (m, meta) => log?.error(meta ?? {}, m),
    },
  });
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowBundle,
    activities: createActivities(opts.deps),
    // Payments' final statuses reach the metrics through a sink: workflow code does no I/O.
    sinks: paymentMetricsSinks(opts.deps.metrics),
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
    ...opts.tuning,
  });
}
