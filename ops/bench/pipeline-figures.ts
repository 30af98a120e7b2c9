import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchClient } from './http-client.ts';

/**
 * How the worker grouped a window's work, from the service's own /metrics: the issue-23 question
 * "does a backlog make the worker cheaper per event" is first a question of how much each
 * micro-batch and each rollup holds.
 */
export interface PipelineFigures {
  readonly microBatches: number;
  readonly eventsPerMicroBatch: number;
  readonly rollups: number;
  /** Seconds recounted per rollup, and time-tree nodes written per start counted. */
  readonly secondsPerRollup: number;
  readonly nodesPerRollup: number;
}

/** The samples this probe reads; a histogram's `_sum` and `_count`, a counter's total. */
const SERIES = [
  'micro_batch_events_sum',
  'micro_batch_events_count',
  'rollup_duration_seconds_count',
  'rollup_seconds_total',
  'rollup_nodes_written_total',
] as const;
type Series = (typeof SERIES)[number];
type Sample = Record<Series, number>;

/** Sums every label set of each series (one line per series, label sets added up). */
export function parseSeries(text: string): Sample {
  const sample = Object.fromEntries(SERIES.map((s) => [s, 0])) as Sample;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})? ([^ ]+)/.exec(line);
    if (!match) continue;
    const name = match[1] as Series;
    if (name in sample) sample[name] += Number(match[2]);
  }
  return sample;
}

/**
 * Reads the series now and again at `close`. Workers publish their metrics to the API every
 * METRICS_PUBLISH_INTERVAL_MS: `close` waits that long first so the window's last work is in.
 */
export async function openPipelineWindow(
  client: BenchClient,
  publishIntervalMs: number,
): Promise<{ close(): Promise<PipelineFigures> }> {
  const read = async () => {
    const { status, body } = await client.get('/metrics');
    if (status !== 200) throw new Error(`GET /metrics answered ${status}`);
    return parseSeries(body);
  };
  await sleep(publishIntervalMs * 1.5);
  const before = await read();
  return {
    async close() {
      await sleep(publishIntervalMs * 1.5);
      const after = await read();
      const d = (s: Series) => after[s] - before[s];
      const microBatches = d('micro_batch_events_count');
      const rollups = d('rollup_duration_seconds_count');
      return {
        microBatches,
        eventsPerMicroBatch: d('micro_batch_events_sum') / microBatches,
        rollups,
        secondsPerRollup: d('rollup_seconds_total') / rollups,
        nodesPerRollup: d('rollup_nodes_written_total') / rollups,
      };
    },
  };
}
