import path from 'node:path';
import Joi from 'joi';
import { loadSettings } from '../../src/config/env.ts';
import { setting, settingsOf, type Table, type Values } from '../../src/config/settings.ts';

/**
 * Settings of the local development stack only (the local Cassandra and Redis the ops scripts
 * start); the API and the workers never read them. Declared once here, read once by each ops
 * entry point and passed on.
 */
export const LOCAL_SETTINGS = {
  /** Where the local Cassandra's and Redis's data, logs and pid files live (relative to the cwd). */
  dir: setting('LOCAL_STACK_DIR', Joi.string(), '.local'),
  cassandraVersion: setting(
    'LOCAL_CASSANDRA_VERSION',
    Joi.string().pattern(/^5\.0\.\d+$/),
    '5.0.9',
  ),
  cassandraHeapMb: setting('LOCAL_CASSANDRA_HEAP_MB', Joi.number().integer().min(256), 2048),
  /**
   * How the local nodes' JVM compiles: `full` (tiered, C1 then C2, as in production) or `c1` (the
   * quick compiler only). A node of `npm test` lives minutes and spends more CPU compiling with C2
   * than C2's faster code saves it (docs/DECISIONS.md); the test runners choose `c1`.
   */
  cassandraJit: setting('LOCAL_CASSANDRA_JIT', Joi.string().valid('full', 'c1'), 'full').map((v) =>
    v === 'c1' ? ('c1' as const) : ('full' as const),
  ),
  /** Each node's heap in a local cluster (`--nodes 3`): three JVMs share the machine. */
  cassandraClusterHeapMb: setting(
    'LOCAL_CASSANDRA_CLUSTER_HEAP_MB',
    Joi.number().integer().min(256),
    768,
  ),
  /**
   * The local node's address; node N of a local cluster listens on this address + N − 1
   * (127.0.0.1, .2, .3). Moved when another Cassandra already holds 127.0.0.1's ports.
   */
  cassandraFirstAddress: setting(
    'LOCAL_CASSANDRA_FIRST_ADDRESS',
    Joi.string().ip({ version: ['ipv4'], cidr: 'forbidden' }),
    '127.0.0.1',
  ),
  redisPort: setting('LOCAL_REDIS_PORT', Joi.number().integer().min(1).max(65535), 6390),
  /** `npm run sentinel`: the primary's port, the replica's the next one (free ports when unset). */
  sentinelRedisPort: setting('LOCAL_SENTINEL_REDIS_PORT', Joi.number().integer().min(1).max(65534)),
  /** `npm run sentinel`: the first sentinel's port, the others' the next two (free when unset). */
  sentinelPort: setting('LOCAL_SENTINEL_PORT', Joi.number().integer().min(1).max(65533)),
  /** `npm run stack -- up --only prometheus`: where the local Prometheus listens (on 127.0.0.1). */
  prometheusPort: setting('LOCAL_PROMETHEUS_PORT', Joi.number().integer().min(1).max(65535), 9090),
  javaHome: setting('JAVA_HOME', Joi.string()),
} satisfies Table;

export type LocalSettings = Values<typeof LOCAL_SETTINGS>;

export const LOCAL_VARIABLES: readonly string[] = settingsOf(LOCAL_SETTINGS).map((s) => s.name);

/** The local stack's settings from this process's environment (or `env`), `dir` made absolute. */
export function loadLocalSettings(
  env?: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): LocalSettings {
  const settings = loadSettings(LOCAL_SETTINGS, env);
  return { ...settings, dir: path.resolve(cwd, settings.dir) };
}
