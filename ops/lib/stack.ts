import type { Config } from '../../src/config/env.ts';
import { LocalCassandraCluster } from './cassandra-cluster.ts';
import { cqlAnswers } from './cql-probe.ts';
import { OpsError } from './errors.ts';
import type { LocalSettings } from './local-settings.ts';
import { LocalRedis, redisAnswers } from './redis-local.ts';
import type { RedisTarget } from '../../src/queue/redis-connections.ts';

/** Where the processes should find Redis and Cassandra, and what this call had to start. */
export interface Stack {
  readonly redisUrl: string;
  /** Where Redis is, for a connection from src/queue/redis-connections.ts (Sentinel included). */
  readonly redis: RedisTarget;
  readonly cassandraContactPoints: readonly string[];
  readonly started: { readonly redis: boolean; readonly cassandra: boolean };
  /** Stops what this call started (and nothing else). */
  stopStarted(): Promise<void>;
  /** Environment overrides that point child processes at this stack. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Makes sure a Redis and a Cassandra answer: the configured ones when REDIS_URL /
 * CASSANDRA_CONTACT_POINTS are set and answer, otherwise the project's local ones, started on
 * demand (and reused when they already run) — one Cassandra node unless `cassandraNodes` asks
 * for a local cluster. `throwawaySchema`: a lone node it starts skips the schema's flushes
 * (UNSAFE_SYSTEM), for a caller that stops it again (`npm test`).
 */
export async function ensureStack(
  config: Config,
  local: LocalSettings,
  say: (line: string) => void = console.log,
  cassandraNodes = 1,
  options: { readonly throwawaySchema?: boolean } = {},
): Promise<Stack> {
  const redis = new LocalRedis(local, say);
  const cassandra = new LocalCassandraCluster(local, cassandraNodes, say, options);

  let redisUrl = config.redis.url;
  let startedRedis = false;
  // Through Sentinel the configured setup is used as it is: there is no local one to fall back to.
  const viaSentinel = config.redis.sentinels !== undefined;
  if (!viaSentinel && !(config.redis.configured && (await redisAnswers(redisUrl)))) {
    if (config.redis.configured)
      say(`REDIS_URL (${redisUrl}) does not answer; using the local Redis instead.`);
    startedRedis = await redis.start();
    redisUrl = redis.url;
  }

  let contactPoints = config.cassandra.contactPoints;
  let startedCassandra = false;
  if (!(
    config.cassandra.configured &&
    (await cqlAnswers(contactPoints, config.cassandra.localDataCenter))
  )) {
    if (config.cassandra.configured) {
      say(
        `CASSANDRA_CONTACT_POINTS (${contactPoints.join(',')}) does not answer; using the local Cassandra instead.`,
      );
    }
    try {
      startedCassandra = await cassandra.start();
    } catch (err) {
      if (startedRedis) await redis.stop();
      throw err;
    }
    contactPoints = cassandra.contactPoints;
  }

  return {
    redisUrl,
    redis: { ...config.redis, url: redisUrl },
    cassandraContactPoints: contactPoints,
    started: { redis: startedRedis, cassandra: startedCassandra },
    env: { REDIS_URL: redisUrl, CASSANDRA_CONTACT_POINTS: contactPoints.join(',') },
    async stopStarted() {
      if (startedCassandra) await cassandra.stop();
      if (startedRedis) await redis.stop();
    },
  };
}

export { OpsError };
