import { openLoop } from '../open-loop.ts';
import { summarize, type LatencySummary } from '../stats.ts';
import type { BenchTarget } from '../target.ts';

export interface GetRow extends LatencySummary {
  readonly endpoint: string;
  readonly requestsPerSecond: number;
  readonly failed: number;
}

/** The read endpoints measured, each with the paths it cycles through. */
export function readEndpoints(
  players: readonly string[],
  country: string,
): { name: string; paths: (i: number) => string }[] {
  const starts = [1, 24, 168, 720, 8760].map((x) => ({
    name: `GET /v1/countries/starts?hours=${x}`,
    paths: () => `/v1/countries/starts?hours=${x}`,
  }));
  return [
    ...starts,
    {
      name: `GET /v1/countries/${country}/starts?hours=24`,
      paths: () => `/v1/countries/${country}/starts?hours=24`,
    },
    {
      name: `GET /v1/countries/${country}/starts?hours=8760`,
      paths: () => `/v1/countries/${country}/starts?hours=8760`,
    },
    {
      name: 'GET /v1/players/{id}/sessions',
      paths: (i) =>
        `/v1/players/${encodeURIComponent(players[i % Math.max(1, players.length)] ?? 'nobody')}/sessions`,
    },
  ];
}

/**
 * GET latency, open loop at a fixed rate, one endpoint at a time (after an unmeasured warm-up of
 * the same endpoint); then a mixed load: all endpoints in turn, at the same rate in total.
 */
export async function getLatency(
  target: BenchTarget,
  options: {
    ratePerSecond: number;
    durationMs: number;
    warmupMs: number;
    players: readonly string[];
    country: string;
  },
): Promise<GetRow[]> {
  const endpoints = readEndpoints(options.players, options.country);
  const rows: GetRow[] = [];
  const measure = async (name: string, path: (i: number) => string) => {
    const send = async (i: number) => (await target.client.get(path(i))).status === 200;
    await openLoop({ ratePerSecond: options.ratePerSecond, durationMs: options.warmupMs, send });
    const result = await openLoop({
      ratePerSecond: options.ratePerSecond,
      durationMs: options.durationMs,
      send,
    });
    return {
      endpoint: name,
      requestsPerSecond: options.ratePerSecond,
      failed: result.failed,
      ...summarize(result.latencies),
    };
  };
  for (const endpoint of endpoints) {
    target.say(`  ${endpoint.name} at ${options.ratePerSecond} req/s`);
    rows.push(await measure(endpoint.name, endpoint.paths));
  }
  target.say(
    `  all ${endpoints.length} endpoints in turn, ${options.ratePerSecond} req/s in total`,
  );
  rows.push(
    await measure(`all ${endpoints.length} endpoints in turn (mixed)`, (i) => {
      const endpoint = endpoints[i % endpoints.length];
      return endpoint ? endpoint.paths(Math.floor(i / endpoints.length)) : '/healthz';
    }),
  );
  return rows;
}
