import type { WorkerOptions } from '@temporalio/worker';
import type { WorkerTuning } from '../domain/config.js';

/**
 * The worker's limits. Each default here was measured with `npm run bench` on 2 cores (bench/README.md says what
 * each bought); an operator's WORKER_* variable wins.
 */
export function workerTuning(t: WorkerTuning): Partial<WorkerOptions> {
  return {
    ...(t.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: t.maxCachedWorkflows } : {}),
    ...(t.maxConcurrentWorkflowTasks !== undefined ? { maxConcurrentWorkflowTaskExecutions: t.maxConcurrentWorkflowTasks } : {}),
    ...(t.maxConcurrentActivities !== undefined ? { maxConcurrentActivityTaskExecutions: t.maxConcurrentActivities } : {}),
    ...(t.workflowPollers !== undefined ? { maxConcurrentWorkflowTaskPolls: t.workflowPollers } : {}),
    ...(t.activityPollers !== undefined ? { maxConcurrentActivityTaskPolls: t.activityPollers } : {}),
  };
}
