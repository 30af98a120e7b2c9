import { LiveTraffic } from '../live-traffic.ts';
import { openLoop } from '../open-loop.ts';
import { drained, type BenchTarget } from '../target.ts';

export interface IngestStep {
  readonly offeredEventsPerSecond: number;
  readonly acceptedEventsPerSecond: number;
  readonly processedEventsPerSecond: number;
  /** Jobs still waiting or running when the offered load stopped. */
  readonly backlogAtEnd: number;
  /** How long that backlog took to clear. */
  readonly drainMs: number;
  readonly sustained: boolean;
}

// A rate is sustained when the queue does not grow: at the end of the step the backlog clears
// within this long (the freshness target), and no request was refused.
const SUSTAINED_DRAIN_MS = 2000;

/**
 * The highest end-to-end ingest rate the stack sustains: live traffic offered at rising rates
 * (open loop), each for a fixed time, until a rate is not sustained.
 */
export async function ingestRate(
  target: BenchTarget,
  options: { ladder: readonly number[]; stepMs: number },
): Promise<{ steps: IngestStep[]; maxSustainedEventsPerSecond: number }> {
  const traffic = new LiveTraffic(2, 20_000, `${target.runId}-ingest`);
  const steps: IngestStep[] = [];
  let best = 0;
  for (const eventsPerSecond of options.ladder) {
    target.say(`  offering ${eventsPerSecond} events/s for ${options.stepMs / 1000} s`);
    const result = await openLoop({
      ratePerSecond: eventsPerSecond / 10,
      durationMs: options.stepMs,
      send: async () =>
        (await target.client.post('/v1/batches', JSON.stringify(traffic.batch()))).status === 202,
    });
    const seconds = result.durationMs / 1000;
    const atEnd = await target.queue.getJobCounts('waiting', 'active', 'delayed');
    const backlogAtEnd = (atEnd.waiting ?? 0) + (atEnd.active ?? 0) + (atEnd.delayed ?? 0);
    const drainMs = await drained(target);
    const accepted = result.latencies.length;
    const step: IngestStep = {
      offeredEventsPerSecond: eventsPerSecond,
      acceptedEventsPerSecond: Math.round((accepted * 10) / seconds),
      // Each step starts drained and done jobs are not kept: what was accepted and is no longer
      // in the queue was processed.
      processedEventsPerSecond: Math.round(((accepted - backlogAtEnd) * 10) / seconds),
      backlogAtEnd,
      drainMs,
      sustained: result.failed === 0 && drainMs <= SUSTAINED_DRAIN_MS,
    };
    steps.push(step);
    if (!step.sustained) break;
    best = eventsPerSecond;
  }
  return { steps, maxSustainedEventsPerSecond: best };
}
