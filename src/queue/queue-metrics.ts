import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { withTimeout } from '../runtime/timeout.ts';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/**
 * Queue depth, read from Redis at scrape time: jobs per BullMQ state. When Redis does not answer
 * the gauge keeps its last values rather than failing the scrape.
 */
export function registerQueueMetrics(
  registry: Registry,
  queue: Pick<Queue, 'getJobCounts'>,
  timeoutMs = 1000,
): void {
  new Gauge({
    name: 'queue_jobs',
    help: 'Batch jobs in the queue, by state (completed ones are kept for BATCH_KEEP_DONE_SECONDS)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      try {
        const counts = await withTimeout(queue.getJobCounts(...STATES), timeoutMs);
        for (const state of STATES) this.set({ state }, counts[state] ?? 0);
      } catch {
        // Redis away or slow: keep the last known depth.
      }
    },
  });
}
