import path from 'node:path';
import Joi from 'joi';

/**
 * The only place that reads `process.env`. Everything the processes and the ops scripts can be
 * told from the outside is declared here once, with its default, and validated before anything
 * starts: a bad value stops the process with one message that names every offending variable.
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly logLevel: LogLevel;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly maxBodyBytes: number;
  };
  readonly redis: {
    readonly url: string;
    /** True when REDIS_URL was given explicitly (the ops scripts then never start a local Redis in its place silently). */
    readonly configured: boolean;
  };
  readonly cassandra: {
    readonly contactPoints: readonly string[];
    readonly localDataCenter: string;
    readonly keyspace: string;
    readonly replicationFactor: number;
    readonly username: string | undefined;
    readonly password: string | undefined;
    readonly requestTimeoutMs: number;
    readonly configured: boolean;
  };
  readonly queue: {
    readonly name: string;
    readonly prefix: string;
    readonly jobAttempts: number;
    readonly backoffMs: number;
    readonly keepDoneSeconds: number;
    readonly enqueueTimeoutMs: number;
  };
  readonly events: {
    readonly maxBatchEvents: number;
    readonly retentionSeconds: number;
    readonly maxFutureSkewSeconds: number;
  };
  readonly worker: {
    readonly concurrency: number;
    readonly lockDurationMs: number;
    readonly stalledIntervalMs: number;
    readonly maxStalledCount: number;
  };
  readonly admin: {
    readonly user: string;
    readonly password: string | undefined;
  };
  readonly shutdownTimeoutMs: number;
  /** How often a worker publishes its metrics for the API's /metrics. */
  readonly metricsPublishIntervalMs: number;
  readonly local: {
    /** Where the ops scripts keep the local Cassandra's and Redis's data, logs and pid files. */
    readonly dir: string;
    readonly cassandraVersion: string;
    readonly cassandraHeapMb: number;
    readonly redisPort: number;
    readonly javaHome: string | undefined;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DAY_SECONDS = 24 * 60 * 60;

const port = Joi.number().integer().min(1).max(65535);
const positiveInt = Joi.number().integer().min(1);

const schema = Joi.object({
  LOG_LEVEL: Joi.string()
    .valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')
    .default('info'),
  HOST: Joi.string().default('0.0.0.0'),
  PORT: Joi.number().integer().min(0).max(65535).default(3000), // 0: any free port
  MAX_BODY_BYTES: positiveInt.default(64 * 1024),

  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }),

  CASSANDRA_CONTACT_POINTS: Joi.string().pattern(/^[^,\s]+(,[^,\s]+)*$/),
  CASSANDRA_LOCAL_DC: Joi.string().default('datacenter1'),
  CASSANDRA_KEYSPACE: Joi.string()
    .pattern(/^[a-z][a-z0-9_]{0,47}$/)
    .default('player_sessions'),
  CASSANDRA_REPLICATION_FACTOR: positiveInt.max(9).default(1),
  CASSANDRA_USERNAME: Joi.string(),
  CASSANDRA_PASSWORD: Joi.string(),
  CASSANDRA_REQUEST_TIMEOUT_MS: positiveInt.default(5000),

  QUEUE_NAME: Joi.string()
    .pattern(/^[A-Za-z0-9_-]+$/)
    .default('events'),
  QUEUE_PREFIX: Joi.string()
    .pattern(/^[A-Za-z0-9_:-]+$/)
    .default('pss'),
  JOB_ATTEMPTS: positiveInt.default(12),
  JOB_BACKOFF_MS: positiveInt.default(1000),
  BATCH_KEEP_DONE_SECONDS: Joi.number().integer().min(3600).default(DAY_SECONDS),
  ENQUEUE_TIMEOUT_MS: positiveInt.default(1000),

  MAX_BATCH_EVENTS: positiveInt.max(1000).default(10),
  RETENTION_SECONDS: positiveInt.default(365 * DAY_SECONDS),
  MAX_FUTURE_SKEW_SECONDS: Joi.number().integer().min(0).default(300),

  WORKER_CONCURRENCY: positiveInt.max(1000).default(64),
  WORKER_LOCK_DURATION_MS: positiveInt.min(1000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: positiveInt.min(1000).default(15_000),
  WORKER_MAX_STALLED_COUNT: positiveInt.default(100),

  ADMIN_USER: Joi.string().default('admin'),
  ADMIN_PASSWORD: Joi.string().min(8),

  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  METRICS_PUBLISH_INTERVAL_MS: positiveInt.min(100).default(5000),

  LOCAL_STACK_DIR: Joi.string(),
  LOCAL_CASSANDRA_VERSION: Joi.string()
    .pattern(/^5\.0\.\d+$/)
    .default('5.0.9'),
  LOCAL_CASSANDRA_HEAP_MB: positiveInt.min(256).default(2048),
  LOCAL_REDIS_PORT: port.default(6390),
  JAVA_HOME: Joi.string(),
})
  // Everything else in the environment (PATH, HOME, ...) is none of our business.
  .unknown(true);

/** Every environment variable the service reads (for checks of deployment files). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(
  (schema.describe() as { keys: Record<string, unknown> }).keys,
);

type RawEnv = Readonly<Record<string, string | undefined>>;

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: RawEnv = process.env, cwd: string = process.cwd()): Config {
  const result = schema.validate(emptyAsUnset(env), { abortEarly: false, convert: true });
  if (result.error) throw new ConfigError(result.error.details.map((d) => d.message));
  const v = result.value as Record<string, unknown>;
  const str = (key: string): string => v[key] as string;
  const num = (key: string): number => v[key] as number;
  const optional = (key: string): string | undefined => v[key] as string | undefined;

  const redisPort = num('LOCAL_REDIS_PORT');
  return {
    logLevel: str('LOG_LEVEL') as LogLevel,
    http: { host: str('HOST'), port: num('PORT'), maxBodyBytes: num('MAX_BODY_BYTES') },
    redis: {
      url: optional('REDIS_URL') ?? `redis://127.0.0.1:${redisPort}`,
      configured: v.REDIS_URL !== undefined,
    },
    cassandra: {
      contactPoints: (optional('CASSANDRA_CONTACT_POINTS') ?? '127.0.0.1:9042').split(','),
      localDataCenter: str('CASSANDRA_LOCAL_DC'),
      keyspace: str('CASSANDRA_KEYSPACE'),
      replicationFactor: num('CASSANDRA_REPLICATION_FACTOR'),
      username: optional('CASSANDRA_USERNAME'),
      password: optional('CASSANDRA_PASSWORD'),
      requestTimeoutMs: num('CASSANDRA_REQUEST_TIMEOUT_MS'),
      configured: v.CASSANDRA_CONTACT_POINTS !== undefined,
    },
    queue: {
      name: str('QUEUE_NAME'),
      prefix: str('QUEUE_PREFIX'),
      jobAttempts: num('JOB_ATTEMPTS'),
      backoffMs: num('JOB_BACKOFF_MS'),
      keepDoneSeconds: num('BATCH_KEEP_DONE_SECONDS'),
      enqueueTimeoutMs: num('ENQUEUE_TIMEOUT_MS'),
    },
    events: {
      maxBatchEvents: num('MAX_BATCH_EVENTS'),
      retentionSeconds: num('RETENTION_SECONDS'),
      maxFutureSkewSeconds: num('MAX_FUTURE_SKEW_SECONDS'),
    },
    worker: {
      concurrency: num('WORKER_CONCURRENCY'),
      lockDurationMs: num('WORKER_LOCK_DURATION_MS'),
      stalledIntervalMs: num('WORKER_STALLED_INTERVAL_MS'),
      maxStalledCount: num('WORKER_MAX_STALLED_COUNT'),
    },
    admin: { user: str('ADMIN_USER'), password: optional('ADMIN_PASSWORD') },
    shutdownTimeoutMs: num('SHUTDOWN_TIMEOUT_MS'),
    metricsPublishIntervalMs: num('METRICS_PUBLISH_INTERVAL_MS'),
    local: {
      dir: path.resolve(cwd, optional('LOCAL_STACK_DIR') ?? '.local'),
      cassandraVersion: str('LOCAL_CASSANDRA_VERSION'),
      cassandraHeapMb: num('LOCAL_CASSANDRA_HEAP_MB'),
      redisPort,
      javaHome: optional('JAVA_HOME'),
    },
  };
}

/**
 * For process entry points: the configuration, or one readable message and exit code 1 (a
 * misconfigured process must not start half-way).
 */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

/** A copy of this process's environment, for the ops scripts that start child processes. */
export function inheritedEnv(overrides: RawEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

// `FOO=` in a shell or a .env file means "not set", not "the empty string".
function emptyAsUnset(env: RawEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
