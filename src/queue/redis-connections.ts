import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * The two Redis connection profiles of the design.
 *
 * The API must answer 503 within about a second when Redis is away instead of queueing commands
 * in memory and hanging the request, so its connection refuses commands while disconnected and
 * gives up on a command after one retry. Workers must outlive any Redis outage, so their
 * connection retries forever (BullMQ requires `maxRetriesPerRequest: null` for blocking commands).
 * Both reach either the Redis of REDIS_URL or, through Sentinel, whichever Redis is the primary now.
 */

/** Where Redis is: config.redis (REDIS_URL, or the sentinels and the name of their primary). */
export interface RedisTarget {
  readonly url: string;
  readonly sentinels?: readonly { host: string; port: number }[] | undefined;
  readonly sentinelName?: string | undefined;
  readonly sentinelPassword?: string | undefined;
}

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

/**
 * The ioredis options of a connection to `target` in a profile, for everything that connects to
 * Redis (BullMQ takes them as its `connection`): with Sentinel, REDIS_URL gives only the password
 * and the database, the sentinels say where the primary is, and a failover is followed.
 */
export function connectionOptions(target: RedisTarget, profile: RedisOptions): RedisOptions {
  const url = new URL(target.url);
  const db = Number(url.pathname.slice(1) || '0');
  const auth: RedisOptions = {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    db,
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  if (target.sentinels === undefined || target.sentinelName === undefined) {
    return { host: url.hostname, port: Number(url.port || '6379'), ...auth, ...profile };
  }
  return {
    sentinels: target.sentinels.map(({ host, port }) => ({ host, port })),
    name: target.sentinelName,
    ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
    // A primary demoted by a planned failover answers writes with READONLY: find the new one.
    reconnectOnError: (err) => err.message.startsWith('READONLY'),
    sentinelRetryStrategy: reconnectWithBackoff,
    ...auth,
    ...profile,
  };
}

/** The same, as BullMQ's `connection` for a Queue or QueueEvents that makes its own connection. */
export function bullConnection(target: RedisTarget, profile: RedisOptions): BullRedisOptions {
  // BullMQ's option types have no room for an option that is present but undefined.
  const options: BullRedisOptions = {};
  for (const [key, value] of Object.entries(connectionOptions(target, profile)) as [
    string,
    unknown,
  ][]) {
    if (value !== undefined) options[key] = value;
  }
  return options;
}

export function createRedis(
  target: RedisTarget,
  options: RedisOptions,
  onError: (err: Error) => void,
): Redis {
  const redis = new Redis(connectionOptions(target, options));
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
