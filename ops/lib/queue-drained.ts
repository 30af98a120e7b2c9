import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';

/**
 * Waits until the queue holds no batch job that is waiting, running or waiting for a retry;
 * resolves to the milliseconds that took. A failed job fails the wait at once, naming the
 * reasons: a drained queue with failed batches is not a finished load. Used by the benchmark
 * and the tests alike.
 */
export async function queueDrained(
  queue: Pick<Queue, 'getJobCounts' | 'getFailed'>,
  timeoutMs = 30_000,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const counts = await queue.getJobCounts(
      'waiting',
      'active',
      'delayed',
      'prioritized',
      'failed',
    );
    if (counts.failed) {
      const reasons = new Set((await queue.getFailed(0, 20)).map((job) => job.failedReason));
      throw new Error(`${counts.failed} batch(es) failed: ${[...reasons].join('; ')}`);
    }
    if (!counts.waiting && !counts.active && !counts.delayed && !counts.prioritized)
      return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`queue not drained after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    await sleep(50);
  }
}
