import { randomBytes } from 'node:crypto';
import { inheritedEnv, loadConfig, type Config } from '../../src/config/env.ts';

/**
 * Every test suite gets its own Cassandra keyspace and BullMQ queue prefix, so suites never see
 * each other's data and can run against a developer's running stack.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(
    inheritedEnv({
      LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      CASSANDRA_KEYSPACE: uniqueName('test'),
      QUEUE_PREFIX: uniqueName('test'),
      ...overrides,
    }),
  );
}

/** The environment that points a spawned API or worker process at a test config's stores. */
export function processEnv(config: Config, port: number): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: config.redis.url,
    CASSANDRA_CONTACT_POINTS: config.cassandra.contactPoints.join(','),
    CASSANDRA_KEYSPACE: config.cassandra.keyspace,
    QUEUE_PREFIX: config.queue.prefix,
  };
}
