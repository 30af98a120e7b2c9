import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LiveTraffic, PROBE_COUNTRY, probeBatch } from '../live-traffic.ts';
import { openLoop } from '../open-loop.ts';
import { summarize, type LatencySummary } from '../stats.ts';
import { drained, type BenchTarget } from '../target.ts';

/**
 * Freshness: the time from the 202 for a batch until its events show in both views, measured
 * from the outside while live traffic runs at `eventsPerSecond`. Probes go one after another; each
 * is a session of its own player, started in a country only probes use, so "visible" is exact:
 * the player's history lists the session and that country's count has grown by one.
 */
export async function freshness(
  target: BenchTarget,
  options: { eventsPerSecond: number; durationMs: number; pollMs?: number },
): Promise<LatencySummary & { eventsPerSecond: number }> {
  const traffic = new LiveTraffic(3, 20_000, `${target.runId}-fresh`);
  const background = openLoop({
    ratePerSecond: Math.max(1, options.eventsPerSecond / 10),
    durationMs: options.durationMs,
    send: async () =>
      (await target.client.post('/v1/batches', JSON.stringify(traffic.batch()))).status === 202,
  });
  const samples: number[] = [];
  const runId = `${target.runId}-${Date.now()}`;
  const deadline = Date.now() + options.durationMs;
  const poll = options.pollMs ?? 10;
  for (let i = 0; Date.now() < deadline; i++) {
    const probe = probeBatch(runId, i);
    const posted = await target.client.post('/v1/batches', JSON.stringify(probe.events));
    if (posted.status !== 202) throw new Error(`probe refused: ${posted.status} ${posted.body}`);
    const accepted = performance.now();
    for (;;) {
      const [sessions, starts] = await Promise.all([
        target.client.get(`/v1/players/${probe.player}/sessions`),
        target.client.get(`/v1/countries/${PROBE_COUNTRY}/starts?hours=1`),
      ]);
      const listed = (JSON.parse(sessions.body) as { sessions?: unknown[] }).sessions?.length === 1;
      const counted = ((JSON.parse(starts.body) as { starts?: number }).starts ?? 0) >= i + 1;
      if (listed && counted) break;
      await sleep(poll);
    }
    samples.push(performance.now() - accepted);
  }
  await background;
  await drained(target);
  return { eventsPerSecond: options.eventsPerSecond, ...summarize(samples) };
}
