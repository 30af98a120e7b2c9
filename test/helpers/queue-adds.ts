import {
  createRedis,
  workerRedisOptions,
  type RedisTarget,
} from '../../src/queue/redis-connections.ts';

/**
 * How many times BullMQ added a job to a queue, by job id, read from the queue's event stream
 * (`queue.keys.events`) in the Redis at `target`. The script that adds a job writes its `added`
 * event in the same step (a repeat of an id still there is `duplicated`), so the count is exact at
 * once: a test needs no wait to see that a job was not queued twice.
 */
export async function addsByJob(
  target: RedisTarget,
  eventsKey: string | undefined,
): Promise<Map<string, number>> {
  if (eventsKey === undefined) throw new Error('the queue has no event stream key');
  const redis = createRedis(target, workerRedisOptions(), () => undefined);
  try {
    const adds = new Map<string, number>();
    for (const [, fields] of await redis.xrange(eventsKey, '-', '+')) {
      const entry = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) entry.set(fields[i]!, fields[i + 1]!);
      const id = entry.get('jobId');
      if (entry.get('event') === 'added' && id !== undefined) adds.set(id, (adds.get(id) ?? 0) + 1);
    }
    return adds;
  } finally {
    redis.disconnect();
  }
}
