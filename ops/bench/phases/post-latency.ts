import { LiveTraffic } from '../live-traffic.ts';
import { openLoop } from '../open-loop.ts';
import { summarize, type LatencySummary } from '../stats.ts';
import { drained, type BenchTarget } from '../target.ts';

export interface PostLatencyRow extends LatencySummary {
  readonly requestsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly failed: number;
  readonly maxDispatchLagMs: number;
}

/**
 * POST /v1/batches latency at fixed request rates, open loop (see open-loop.ts), each request a
 * batch of 10 live events. The queue is drained between rates so that one step's backlog does not
 * slow the next.
 */
export async function postLatency(
  target: BenchTarget,
  options: { rates: readonly number[]; durationMs: number; warmupMs: number },
): Promise<PostLatencyRow[]> {
  const traffic = new LiveTraffic(1, 20_000, `${target.runId}-post`);
  const rows: PostLatencyRow[] = [];
  const send = async () =>
    (await target.client.post('/v1/batches', JSON.stringify(traffic.batch()))).status === 202;
  // Unmeasured: the first seconds of a process are JIT compilation and connection set-up.
  target.say(`  warm-up at ${options.rates[0] ?? 50} req/s for ${options.warmupMs / 1000} s`);
  await openLoop({ ratePerSecond: options.rates[0] ?? 50, durationMs: options.warmupMs, send });
  await drained(target);
  for (const rate of options.rates) {
    target.say(
      `  POST at ${rate} req/s (${rate * 10} events/s) for ${options.durationMs / 1000} s`,
    );
    const result = await openLoop({
      ratePerSecond: rate,
      durationMs: options.durationMs,
      send,
    });
    rows.push({
      requestsPerSecond: rate,
      eventsPerSecond: rate * 10,
      ...summarize(result.latencies),
      failed: result.failed,
      maxDispatchLagMs: result.maxDispatchLagMs,
    });
    await drained(target);
  }
  return rows;
}
