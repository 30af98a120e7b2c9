import { OwnRedis } from './redis-server.ts';

/** What a setup started: the settings that point the service at it, and its extra Redis servers. */
export interface StartedSetup {
  /** For TestService overrides and the environment of spawned API and worker processes. */
  readonly env: Readonly<Record<string, string>>;
  /** The Redis servers of queues 1…N−1 (queue 0 is on the suite's own REDIS_URL). */
  readonly extraRedis: readonly OwnRedis[];
  stop(): Promise<void>;
}

/**
 * The queue layouts the end-to-end suites run under, sharing one body: the default single queue,
 * and two queues on two Redis instances with 4 shards of the start facts — so that batches, done
 * records and the rollups' marks are spread over both Redis at once (README, Several queues).
 */
export interface QueueSetup {
  readonly title: string;
  /** Starts what the layout needs beside `redisUrl`, the suite's REDIS_URL (queue 0's Redis). */
  start(redisUrl: string): Promise<StartedSetup>;
}

export const ONE_QUEUE: QueueSetup = {
  title: 'one queue',
  start: () => Promise.resolve({ env: {}, extraRedis: [], stop: () => Promise.resolve() }),
};

export const TWO_QUEUES_FOUR_SHARDS: QueueSetup = {
  title: 'two queues on two Redis instances, 4 shards',
  async start(redisUrl) {
    const second = await OwnRedis.start();
    return {
      env: { QUEUE_REDIS_URLS: `${redisUrl},${second.url}`, CASSANDRA_START_SHARDS: '4' },
      extraRedis: [second],
      stop: () => second.stop(),
    };
  },
};
