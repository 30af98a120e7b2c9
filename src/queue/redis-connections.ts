import { Redis, type RedisOptions } from 'ioredis';

/**
 * The two Redis connection profiles of the design.
 *
 * The API must answer 503 within about a second when Redis is away instead of queueing commands
 * in memory and hanging the request, so its connection refuses commands while disconnected and
 * gives up on a command after one retry. Workers must outlive any Redis outage, so their
 * connection retries forever (BullMQ requires `maxRetriesPerRequest: null` for blocking commands).
 */

const reconnectWithBackoff = (attempt: number): number => Math.min(100 * 2 ** attempt, 2000);

export function apiRedisOptions(): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: 1000,
    retryStrategy: reconnectWithBackoff,
  };
}

export function workerRedisOptions(): RedisOptions {
  return {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: reconnectWithBackoff,
  };
}

export function createRedis(
  url: string,
  options: RedisOptions,
  onError: (err: Error) => void,
): Redis {
  const redis = new Redis(url, options);
  // Without a listener ioredis prints every reconnection failure as an unhandled error event.
  redis.on('error', onError);
  return redis;
}

/**
 * Whether Redis answers a PING. A first connection still being made is waited for, not reported
 * as an outage: an API process asked for /readyz right after it started is not cut off from Redis
 * (the caller bounds the wait with its own timeout). A connection that failed answers false at once.
 */
export async function redisAnswers(redis: Redis): Promise<boolean> {
  if (['wait', 'connecting', 'connect'].includes(redis.status)) {
    await new Promise<void>((resolve) => {
      const settle = () => {
        for (const event of ['ready', 'error', 'end'] as const) redis.off(event, settle);
        resolve();
      };
      for (const event of ['ready', 'error', 'end'] as const) redis.once(event, settle);
    });
  }
  try {
    await redis.ping();
    return true;
  } catch {
    return false;
  }
}
