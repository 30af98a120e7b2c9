import pMap from 'p-map';
import { openCostWindow, type CostProbes, type WindowCost } from '../cost-window.ts';
import { LiveTraffic } from '../live-traffic.ts';
import { drained, type BenchTarget } from '../target.ts';

export interface BacklogStep extends WindowCost {
  /** Batch jobs of 10 live events waiting when the workers were let go. */
  readonly backlog: number;
  readonly drainMs: number;
}

/**
 * What processing an event costs as a function of the backlog the workers find: for each size,
 * that many batches of live traffic are posted into the paused queue, then the queue is resumed
 * and the window spans the drain alone — so the figures are the processing's (worker, Redis,
 * Cassandra), with the API's share left outside. A write path that groups its work well gets
 * cheaper per event as the backlog grows.
 */
export async function backlogCost(
  target: BenchTarget,
  options: { backlogs: readonly number[] },
  probes: CostProbes,
): Promise<BacklogStep[]> {
  const traffic = new LiveTraffic(6, 20_000, `${target.runId}-backlog`);
  const steps: BacklogStep[] = [];
  for (const backlog of options.backlogs) {
    await drained(target);
    await target.queue.pause();
    let window;
    try {
      await pMap(
        Array.from({ length: backlog }, (_, i) => i),
        async () => {
          const answer = await target.client.post('/v1/batches', JSON.stringify(traffic.batch()));
          if (answer.status !== 202) throw new Error(`backlog batch refused: ${answer.status}`);
        },
        { concurrency: 32 },
      );
      window = await openCostWindow(target, probes);
    } finally {
      await target.queue.resume();
    }
    const drainMs = await drained(target, 600_000);
    const step = { ...(await window.close(backlog * 10)), backlog, drainMs };
    target.say(
      `  backlog ${backlog} batches: ${step.cpuMsPerEventSum.toFixed(3)} CPU ms/event, drained in ${drainMs} ms`,
    );
    steps.push(step);
  }
  return steps;
}
