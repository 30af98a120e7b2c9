import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadFile } from '../../data/loader.ts';
import { generatedFile } from '../generated-file.ts';
import { openCostWindow, type CostProbes, type WindowCost } from '../cost-window.ts';
import { drained, type BenchTarget } from '../target.ts';

export interface HistoricalResult extends WindowCost {
  readonly file: string;
  readonly accepted: number;
  readonly lost: number;
  /** Accepted events per second of sending (first POST to last answer). */
  readonly acceptedEventsPerSecond: number;
  /** Accepted events per second end to end: first POST until the last batch is in both views. */
  readonly processedEventsPerSecond: number;
  /** From the last answer until the queue drained. */
  readonly drainMs: number;
  /** The most batch jobs waiting or running at once (sampled every 250 ms). */
  readonly backlogPeak: number;
}

const SEED = 20161207;

/**
 * History through the live route: `npm run generate`'s file of `events` over `days` (the public
 * data set's shape, out of order, every start in another second), sent by `senders` closed-loop
 * clients in batches of 10 to POST /v1/batches with --rebase-to-now. The hard case for the write
 * path: nothing coalesces in time, and the queue builds a backlog whenever the worker is slower
 * than the senders. The cost window spans sending and draining.
 */
export async function historical(
  target: BenchTarget,
  options: { events: number; days: number; senders: number; cacheDir: string },
  probes: CostProbes,
): Promise<HistoricalResult> {
  const file = await generatedFile({ ...options, seed: SEED }, target.say);
  const window = await openCostWindow(target, probes);
  let backlogPeak = 0;
  const sampler = setInterval(() => {
    void target.queue
      .getJobCounts('waiting', 'active', 'delayed')
      .then((c) => {
        backlogPeak = Math.max(backlogPeak, (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0));
      })
      .catch(() => undefined);
  }, 250);
  target.say(
    `  ${path.basename(file)} through POST /v1/batches, ${options.senders} senders, batches of 10`,
  );
  const started = performance.now();
  try {
    const result = await loadFile({
      file,
      url: target.client.url,
      apiKey: target.client.apiKey,
      concurrency: options.senders,
      batchSize: 10,
      rebaseToNow: true,
    });
    const sent = performance.now();
    const drainMs = await drained(target, 3_600_000);
    const seconds = (performance.now() - started) / 1000;
    const accepted = result.tally.accepted;
    return {
      ...(await window.close(accepted)),
      file: path.basename(file),
      accepted,
      lost: result.tally.lost,
      acceptedEventsPerSecond: Math.round(accepted / ((sent - started) / 1000)),
      processedEventsPerSecond: Math.round(accepted / seconds),
      drainMs,
      backlogPeak,
    };
  } finally {
    clearInterval(sampler);
  }
}
