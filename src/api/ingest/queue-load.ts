import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import {
  parseMemoryInfo,
  type LoadSampler,
  type LoadSource,
  type QueueLoad,
} from './backpressure.ts';

/** BullMQ's names of the states of jobs no worker has taken yet. */
const BACKLOG_STATES = ['waiting', 'prioritized', 'delayed'] as const;

/**
 * The backlog and Redis's memory, read with two cheap commands (a few ZCARD/LLEN in one script,
 * and INFO memory). Fails at once while Redis is not connected, as the producer does.
 */
export function queueLoadSource(
  queue: Pick<Queue, 'getJobCounts'>,
  redis: Pick<Redis, 'info'>,
  isConnected: () => boolean,
): LoadSource {
  return async () => {
    if (!isConnected()) throw new Error('redis is not connected');
    const [counts, info] = await Promise.all([
      queue.getJobCounts(...BACKLOG_STATES),
      redis.info('memory'),
    ]);
    const backlogJobs = BACKLOG_STATES.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
    return { backlogJobs, ...parseMemoryInfo(info) };
  };
}

/** The load the ingest routes decide on, as they see it (each queue's cached reading). */
export function registerLoadMetrics(
  registry: Registry,
  samplers: readonly { readonly name: string; readonly load: Pick<LoadSampler, 'current'> }[],
): void {
  const gauge = (name: string, help: string, field: keyof QueueLoad) =>
    new Gauge({
      name,
      help,
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        await Promise.all(
          samplers.map(async ({ name: queue, load }) => {
            const current = await load.current();
            if (current) this.set({ queue }, current[field]);
          }),
        );
      },
    });
  gauge(
    'queue_backlog_jobs',
    'Batch jobs waiting, prioritized or delayed, per queue',
    'backlogJobs',
  );
  gauge(
    'redis_used_memory_bytes',
    'Redis used_memory, in bytes, per queue (its Redis)',
    'usedMemory',
  );
  gauge(
    'redis_maxmemory_bytes',
    'Redis maxmemory, in bytes (0: not set), per queue (its Redis)',
    'maxMemory',
  );
}
