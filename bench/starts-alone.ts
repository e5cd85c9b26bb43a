import type { Client } from '@temporalio/client';
import type { Reply } from '../test/support/nicepay-client.js';
import { BASELINE_TASK_QUEUE, baselineWorkflow, goSignal } from './baseline/workflow.js';
import { closedLoop, percentiles } from './load.js';
import type { StartsAlone } from './result.js';

/**
 * Registrations and bare starts with nothing else in flight, at the same concurrency, alternating in halves (bare,
 * registration, registration, bare): the registration's path (HTTP, the API, a start with memo and search
 * attributes) against a bare start's, without the company of payments being processed that the levels have.
 * Each starts a workflow that waits (for its payment call, for its signal); the bare ones are signalled to their
 * end afterwards, unmeasured, and the registrations lapse with their registration window.
 */
export async function startsAlone(client: Client, register: (i: number) => Promise<Reply>, concurrency: number, count: number): Promise<StartsAlone> {
  const half = Math.max(1, Math.ceil(count / 2));
  const run = `alone-${Date.now().toString(36)}`;
  const bare: number[] = [];
  const registrations: number[] = [];
  const errors: string[] = [];
  const bareRound = async (round: number): Promise<void> => {
    const r = await closedLoop(concurrency, half, async (i) => {
      const t0 = performance.now();
      await client.workflow.start(baselineWorkflow, { taskQueue: BASELINE_TASK_QUEUE, workflowId: `${run}-${round}-${i}`, args: [String(i)] });
      return performance.now() - t0;
    });
    bare.push(...r.results);
    errors.push(...r.errors);
    await closedLoop(concurrency, half, async (i) => client.workflow.getHandle(`${run}-${round}-${i}`).signal(goSignal));
  };
  const registrationRound = async (round: number): Promise<void> => {
    const r = await closedLoop(concurrency, half, async (i) => {
      const t0 = performance.now();
      const reg = await register(round * half + i);
      if (reg.resultCd !== '0000') throw new Error(`registration: ${reg.resultCd ?? '?'} ${reg.resultMsg ?? ''}`);
      return performance.now() - t0;
    });
    registrations.push(...r.results);
    errors.push(...r.errors);
  };
  await bareRound(1);
  await registrationRound(1);
  await registrationRound(2);
  await bareRound(2);
  const bareStartMs = percentiles(bare);
  const registrationMs = percentiles(registrations);
  return {
    concurrency,
    count: bare.length + registrations.length,
    errors: errors.length,
    ...(errors[0] ? { firstError: errors[0] } : {}),
    bareStartMs,
    registrationMs,
    registrationP99ToBareStartP99: Math.round((registrationMs.p99 / Math.max(1, bareStartMs.p99)) * 100) / 100,
  };
}
