import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';

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
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
      });
      try {
        const counts = await Promise.race([queue.getJobCounts(...STATES), timeout]);
        if (counts) for (const state of STATES) this.set({ state }, counts[state] ?? 0);
      } catch {
        // Redis away: keep the last known depth.
      } finally {
        clearTimeout(timer);
      }
    },
  });
}
