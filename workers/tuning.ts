import type { WorkerOptions } from '@temporalio/worker';
import type { WorkerTuning } from '../domain/config.js';

/**
 * Workflows kept in the worker's memory between tasks. The SDK's default follows the heap limit (about 2 300 with
 * Node's 4 GiB here) and took the worker past 2 GiB with 10 000 payments pending; a payment is busy for a second or
 * two and then waits days, so a few hundred cover every payment in flight, and the rest replay their short history
 * when their callback comes (bench/README.md).
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 500;

/**
 * The worker's limits. Each default here was measured with `npm run bench` on 2 cores (bench/README.md says what
 * each bought); an operator's WORKER_* variable wins.
 */
export function workerTuning(t: WorkerTuning): Partial<WorkerOptions> {
  return {
    maxCachedWorkflows: t.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    ...(t.maxConcurrentWorkflowTasks !== undefined ? { maxConcurrentWorkflowTaskExecutions: t.maxConcurrentWorkflowTasks } : {}),
    ...(t.maxConcurrentActivities !== undefined ? { maxConcurrentActivityTaskExecutions: t.maxConcurrentActivities } : {}),
    ...(t.workflowPollers !== undefined ? { maxConcurrentWorkflowTaskPolls: t.workflowPollers } : {}),
    ...(t.activityPollers !== undefined ? { maxConcurrentActivityTaskPolls: t.activityPollers } : {}),
  };
}
