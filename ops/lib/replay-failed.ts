import type { Queue } from 'bullmq';

/**
 * Puts every failed batch job back on the queue (BullMQ's own `retryJobs`, which moves them in
 * chunks): for after an outage that outlasted a job's attempts. Replaying is safe because every
 * write a job makes is idempotent. Returns how many jobs were failed before the replay.
 */
export async function replayFailed(
  queue: Pick<Queue, 'getJobCounts' | 'retryJobs'>,
): Promise<number> {
  const { failed = 0 } = await queue.getJobCounts('failed');
  if (failed > 0) await queue.retryJobs({ state: 'failed', count: 1000 });
  return failed;
}
