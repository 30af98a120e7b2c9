import type { Registry } from 'prom-client';

/** prom-client's JSON form of a registry's metrics (what the workers publish to Redis). */
export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** The pipeline's figures the dashboard shows, summed over the API and every live worker. */
export interface PipelineSummary {
  readonly eventsAccepted: number;
  readonly eventsProcessed: number;
  readonly backlogJobs: number;
  readonly failedJobs: number;
  readonly endToEnd: {
    readonly batches: number;
    /** Mean seconds from a batch's 202 to its events being in both views; null before any. */
    readonly meanSeconds: number | null;
    /** The smallest histogram bucket bound holding 95 % of the batches (an upper bound). */
    readonly p95Seconds: number | null;
  };
}

type Value = MetricsJson[number]['values'][number];

// A histogram's values name their series (`_bucket`, `_sum`, `_count`); prom-client's type omits it.
const seriesOf = (v: Value) => (v as { metricName?: string }).metricName ?? '';

function valuesOf(metrics: MetricsJson, name: string): Value[] {
  return metrics.find((m) => m.name === name)?.values ?? [];
}

const sum = (values: readonly Value[]) => values.reduce((s, v) => s + v.value, 0);

/** Reads the summary from merged metrics; a metric nobody has registered yet counts as zero. */
export function pipelineSummary(metrics: MetricsJson): PipelineSummary {
  const e2e = valuesOf(metrics, 'batch_end_to_end_seconds');
  const batches = sum(e2e.filter((v) => seriesOf(v).endsWith('_count')));
  const seconds = sum(e2e.filter((v) => seriesOf(v).endsWith('_sum')));
  const buckets = e2e
    .filter((v) => seriesOf(v).endsWith('_bucket') && v.labels.le !== '+Inf')
    .map((v) => ({ le: Number(v.labels.le), count: v.value }))
    .sort((a, b) => a.le - b.le);
  const p95 = buckets.find((b) => b.count >= 0.95 * batches);
  const jobs = valuesOf(metrics, 'queue_jobs');
  return {
    eventsAccepted: sum(valuesOf(metrics, 'events_accepted_total')),
    eventsProcessed: sum(valuesOf(metrics, 'events_processed_total')),
    backlogJobs: sum(
      jobs.filter((v) => v.labels.state !== 'failed' && v.labels.state !== 'active'),
    ),
    failedJobs: sum(jobs.filter((v) => v.labels.state === 'failed')),
    endToEnd: {
      batches,
      meanSeconds: batches > 0 ? seconds / batches : null,
      p95Seconds: batches > 0 ? (p95?.le ?? null) : null,
    },
  };
}
