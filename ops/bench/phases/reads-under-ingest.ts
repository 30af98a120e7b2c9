import { LiveTraffic } from '../live-traffic.ts';
import { openLoop } from '../open-loop.ts';
import { summarize, type LatencySummary } from '../stats.ts';
import { drained, type BenchTarget } from '../target.ts';
import { readEndpoints } from './get-latency.ts';

export interface UnderIngestFigures {
  readonly eventsPerSecond: number;
  readonly getsPerSecond: number;
  readonly post: LatencySummary & { readonly failed: number };
  readonly get: LatencySummary & { readonly failed: number };
}

const PLAYERS = 2_000;

/**
 * GET latency while events are ingested (issue 23 keeps GET p99 ≤ 10 ms at 200 requests/s while
 * 2,000 events/s are ingested): live batches of 10 at `eventsPerSecond` and the eight read
 * endpoints in turn at `getsPerSecond`, both open loop, side by side, after a warm-up of the
 * same. The players read are the live traffic's own, so the player views are not empty.
 */
export async function readsUnderIngest(
  target: BenchTarget,
  options: { eventsPerSecond: number; getsPerSecond: number; durationMs: number; warmupMs: number },
): Promise<UnderIngestFigures> {
  const traffic = new LiveTraffic(5, PLAYERS, `${target.runId}-reads`);
  const players = Array.from({ length: 200 }, (_, i) => `player-${(i * 7) % PLAYERS}`);
  const endpoints = readEndpoints(players, 'US');
  const post = async () =>
    (await target.client.post('/v1/batches', JSON.stringify(traffic.batch()))).status === 202;
  const get = async (i: number) => {
    const endpoint = endpoints[i % endpoints.length];
    const path = endpoint?.paths(Math.floor(i / endpoints.length)) ?? '/healthz';
    return (await target.client.get(path)).status === 200;
  };
  const both = (durationMs: number) =>
    Promise.all([
      openLoop({ ratePerSecond: options.eventsPerSecond / 10, durationMs, send: post }),
      openLoop({ ratePerSecond: options.getsPerSecond, durationMs, send: get }),
    ]);
  target.say(`  warm-up for ${options.warmupMs / 1000} s`);
  await both(options.warmupMs);
  target.say(
    `  ${options.getsPerSecond} GET/s while ${options.eventsPerSecond} events/s are ingested, for ${options.durationMs / 1000} s`,
  );
  const [posts, gets] = await both(options.durationMs);
  await drained(target);
  return {
    eventsPerSecond: options.eventsPerSecond,
    getsPerSecond: options.getsPerSecond,
    post: { ...summarize(posts.latencies), failed: posts.failed },
    get: { ...summarize(gets.latencies), failed: gets.failed },
  };
}
