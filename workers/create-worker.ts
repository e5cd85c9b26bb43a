import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { TASK_QUEUE } from '../workflows/messages.js';
import { bundlerOptions, workflowsPath } from './bundle.js';

export interface CreateWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly deps: ActivityDeps;
  readonly taskQueue?: string;
  readonly tuning?: Partial<WorkerOptions>;
}

/** The worker for the payment task queue: the app's main worker and the tests build it the same way. */
export async function createPaymentWorker(opts: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowsPath,
    bundlerOptions,
    activities: createActivities(opts.deps),
    ...opts.tuning,
  });
}
