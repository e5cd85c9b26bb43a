import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './activities.js';

export const BASELINE_TASK_QUEUE = 'bench-baseline';
export const goSignal = defineSignal('go');

const { acknowledge } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '10 seconds' });

/** The engine's ceiling: started, one signal, one activity, complete. The gateway's payment does at least this. */
export async function baselineWorkflow(id: string): Promise<string> {
  let signalled = false;
  setHandler(goSignal, () => {
    signalled = true;
  });
  await condition(() => signalled);
  return acknowledge(id);
}
