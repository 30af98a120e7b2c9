import type { Redis } from 'ioredis';
import type { Config } from '../../config/env.ts';
import type { Logger } from '../../observability/logger.ts';
import { apiRedisOptions, createRedis, redisAnswers } from '../../queue/redis-connections.ts';
import {
  cassandraAnswers,
  createCassandraClient,
  type CassandraClient,
} from '../../storage/cassandra-client.ts';
import { schemaStatus } from '../../storage/migrator.ts';
import { answers, type ReadinessCheck } from '../readiness.ts';

/** The API process's own connections: Redis (REDIS_URL) and Cassandra. */
export interface ApiConnections {
  readonly redis: Redis;
  readonly cassandra: CassandraClient;
  /** Every Redis connection of the process reports its errors here (the queues' ones included). */
  readonly onRedisError: (err: Error) => void;
}

export async function openConnections(config: Config, logger: Logger): Promise<ApiConnections> {
  const onRedisError = (err: Error) =>
    logger.warn({ module: 'redis', err: err.message }, 'redis connection error');
  const redis = createRedis(config.redis, apiRedisOptions(), onRedisError);
  const cassandra = createCassandraClient(config.cassandra);
  // The API starts even when Cassandra is away (it then answers 503 on /readyz and on reads);
  // the driver keeps reconnecting in the background.
  await cassandra.connect().catch((err: unknown) => {
    logger.warn({ module: 'cassandra', err: String(err) }, 'cassandra not reachable at start');
  });
  return { redis, cassandra, onRedisError };
}

/** What /readyz asks: both stores answer, and the schema is in place. */
export function readinessChecks(
  connections: ApiConnections,
  keyspace: string,
): readonly ReadinessCheck[] {
  const { redis, cassandra } = connections;
  return [
    { name: 'redis', check: answers(() => redisAnswers(redis)) },
    { name: 'cassandra', check: answers(() => cassandraAnswers(cassandra)) },
    { name: 'schema', check: () => schemaStatus(cassandra, keyspace) },
  ];
}

export async function closeConnections(connections: ApiConnections): Promise<void> {
  connections.redis.disconnect();
  await connections.cassandra.shutdown();
}
