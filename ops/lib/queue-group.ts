import type { JobType, Queue } from 'bullmq';

type Member = Pick<Queue, 'getJobCounts' | 'getFailed' | 'pause' | 'resume'>;

/**
 * Several events queues seen as one, for whoever watches the whole pipeline (the tests, the
 * benchmark): job counts are summed, failed jobs listed together, pause and resume reach every
 * queue. "Drained" (ops/lib/queue-drained.ts) is then every queue drained.
 */
export class QueueGroup implements Member {
  constructor(readonly queues: readonly Member[]) {}

  async getJobCounts(...types: JobType[]): Promise<Record<string, number>> {
    const each = await Promise.all(this.queues.map((q) => q.getJobCounts(...types)));
    const sum: Record<string, number> = {};
    for (const counts of each)
      for (const [state, n] of Object.entries(counts)) sum[state] = (sum[state] ?? 0) + n;
    return sum;
  }

  async getFailed(start?: number, end?: number): ReturnType<Queue['getFailed']> {
    const each = await Promise.all(this.queues.map((q) => q.getFailed(start, end)));
    return each.flat();
  }

  async pause(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.pause()));
  }

  async resume(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.resume()));
  }
}
