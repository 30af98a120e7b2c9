import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { withTimeout } from '../../runtime/timeout.ts';

// No `completed`: a done job is removed at once, its batch kept as a record (batch-records.ts).
const STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

/**
 * Queue depth, read from Redis at scrape time: jobs per BullMQ state, per events queue. When a
 * queue's Redis does not answer, its series keep their last values rather than failing the scrape.
 */
export function registerQueueMetrics(
  registry: Registry,
  queues: readonly { readonly name: string; readonly queue: Pick<Queue, 'getJobCounts'> }[],
  timeoutMs = 1000,
): void {
  new Gauge({
    name: 'queue_jobs',
    help: 'Batch jobs in each events queue, by state (done ones are removed; failed ones kept until replayed)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      await Promise.all(
        queues.map(async ({ name, queue }) => {
          try {
            const counts = await withTimeout(queue.getJobCounts(...STATES), timeoutMs);
            for (const state of STATES) this.set({ queue: name, state }, counts[state] ?? 0);
          } catch {
            // Redis away or slow: keep the last known depth.
          }
        }),
      );
    },
  });
}
