/* Baseline for scripts/bench-actions.ts: a workflow that does nothing but answer an Update. */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/** Increments a counter and answers it; no validation, no activity. */
export const noopUpdate = defineUpdate<number, [number]>('noop');

/** Runs until cancelled, answering {@link noopUpdate}. */
export async function noopWorkflow(): Promise<void> {
  let n = 0;
  setHandler(noopUpdate, (k: number) => (n += k));
  await condition(() => false);
}
