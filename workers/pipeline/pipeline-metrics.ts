import { Counter, Histogram, type Registry } from 'prom-client';
import { ANOMALIES } from '../../src/domain/pairing.ts';

/** The metrics of the write pipeline, made once per worker and shared by its parts. */
export type PipelineMetrics = ReturnType<typeof pipelineMetrics>;

export function pipelineMetrics(registry: Registry) {
  const metrics = {
    stepDuration: new Histogram({
      name: 'batch_step_duration_seconds',
      help: 'Time each step took that completed: record and decide_apply per micro-batch (the jobs a worker processes together), rollup_wait per job',
      labelNames: ['step'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    // How well the jobs a worker holds are grouped: the bigger, the cheaper each event.
    microBatchSize: new Histogram({
      name: 'micro_batch_events',
      help: 'Events in each micro-batch (the jobs a worker processes together)',
      buckets: [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000],
      registers: [registry],
    }),
    anomalies: new Counter({
      name: 'session_anomalies_total',
      help: 'Sessions seen with an end before their start, halves of different players, or conflicting duplicates',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    endToEnd: new Histogram({
      name: 'batch_end_to_end_seconds',
      help: 'Time from the 202 for a batch to the moment its events are in both views',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    processed: new Counter({
      name: 'events_processed_total',
      help: 'Events written to the views, by kind (a retried job counts again)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    expiredInQueue: new Counter({
      name: 'events_expired_in_queue_total',
      help: 'Accepted events dropped because they left the retention before a worker got to them',
      registers: [registry],
    }),
  };
  // Every kind starts at 0, so a healthy worker's anomaly panel shows 0, not "No data".
  for (const kind of [...ANOMALIES, 'conflicting_duplicate']) metrics.anomalies.inc({ kind }, 0);
  return metrics;
}
