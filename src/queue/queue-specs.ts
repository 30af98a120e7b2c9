import type { Config } from '../config/env.ts';
import { queueNameOf } from './queue-routing.ts';
import type { RedisTarget } from './redis-connections.ts';

/** One events queue: its place, its settings (its own name among them) and its Redis. */
export interface QueueSpec {
  readonly index: number;
  /** The queue settings with this queue's name: what the queue, its records and its fence use. */
  readonly queue: Config['queue'];
  /** Where its Redis is; `config.redis` itself for the one queue of REDIS_URL. */
  readonly target: RedisTarget;
}

/**
 * The events queues of a configuration. Without QUEUE_REDIS_URLS it is the one queue of today, on
 * REDIS_URL, with the very same settings objects (processes then share their REDIS_URL connection
 * with it); with it, queue i lives on the i-th URL.
 */
export function queueSpecs(config: Pick<Config, 'queue' | 'redis'>): QueueSpec[] {
  const urls = config.queue.redisUrls;
  if (urls === undefined) return [{ index: 0, queue: config.queue, target: config.redis }];
  return urls.map((url, index) => ({
    index,
    queue: { ...config.queue, name: queueNameOf(config.queue.name, index) },
    target: { url },
  }));
}

/** Whether the queue is on the REDIS_URL connection's own Redis (the single-queue default). */
export function onMainRedis(spec: QueueSpec, config: Pick<Config, 'redis'>): boolean {
  return spec.target === config.redis;
}
