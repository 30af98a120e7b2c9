import Joi from 'joi';
import {
  readSettings,
  setting,
  settingsOf,
  type RawEnv,
  type Table,
  type Values,
} from './settings.ts';
import { ConfigError } from './settings.ts';

/**
 * The only place that reads `process.env`. Every setting of the API and the workers is declared
 * once in SETTINGS — its variable, schema and default, placed where its value goes in Config —
 * and validated before anything starts: a bad value stops the process with one message that
 * names every offending variable. (The local stack's own settings live in ops/lib/local-settings.ts.)
 */

export { ConfigError };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const DAY_SECONDS = 24 * 60 * 60;
const positiveInt = () => Joi.number().integer().min(1);

const redisUrl = setting(
  'REDIS_URL',
  Joi.string().uri({ scheme: ['redis', 'rediss'] }),
  'redis://127.0.0.1:6390', // the local Redis (LOCAL_REDIS_PORT's default)
);
const sentinels = setting(
  'REDIS_SENTINELS',
  Joi.string().pattern(/^[^,\s:]+:\d{1,5}(,[^,\s:]+:\d{1,5})*$/),
);
// One queue per URL, queue i on the i-th (src/queue/queue-specs.ts); each URL must be a Redis URL.
const queueRedisUrls = setting(
  'QUEUE_REDIS_URLS',
  Joi.string().custom((value: string, helpers) => {
    const url = Joi.string().uri({ scheme: ['redis', 'rediss'] });
    const bad = value.split(',').some((part) => url.validate(part).error !== undefined);
    return bad ? helpers.error('any.invalid') : value;
  }),
);
const contactPoints = setting(
  'CASSANDRA_CONTACT_POINTS',
  Joi.string().pattern(/^[^,\s]+(,[^,\s]+)*$/),
  '127.0.0.1:9042',
);

export const SETTINGS = {
  logLevel: setting('LOG_LEVEL', Joi.string<LogLevel>().valid(...LOG_LEVELS), 'info'),
  http: {
    host: setting('HOST', Joi.string(), '0.0.0.0'),
    port: setting('PORT', Joi.number().integer().min(0).max(65535), 3000), // 0: any free port
    maxBodyBytes: setting('MAX_BODY_BYTES', positiveInt(), 64 * 1024),
    bulkMaxBodyBytes: setting('BULK_MAX_BODY_BYTES', positiveInt(), 8 * 1024 * 1024),
    // Hardening (docs/DECISIONS.md, Security): slow clients are cut, connections capped.
    headersTimeoutMs: setting('HTTP_HEADERS_TIMEOUT_MS', positiveInt().min(100), 10_000),
    requestTimeoutMs: setting('HTTP_REQUEST_TIMEOUT_MS', positiveInt().min(100), 30_000),
    maxConnections: setting('HTTP_MAX_CONNECTIONS', positiveInt(), 2000),
    /** Bull Board and /metrics on their own listener (not on PORT) when set. */
    adminPort: setting('ADMIN_PORT', Joi.number().integer().min(0).max(65535)),
  },
  /**
   * Whom the client's address is taken from (src/api/client-address.ts): by default the socket's
   * peer, as no header can be trusted when nothing sits in front of the API.
   */
  proxy: {
    /** Proxies in front of the API, each appending the address it sees to the header (0: none). */
    trustedHops: setting('TRUST_PROXY_HOPS', Joi.number().integer().min(0).max(16), 0),
    ipHeader: setting(
      'PROXY_IP_HEADER',
      Joi.string().pattern(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/), // an HTTP field name (RFC 9110 token)
      'X-Forwarded-For',
    ),
  },
  auth: {
    enabled: setting('AUTH', Joi.string().valid('on', 'off'), 'on').map((v) => v === 'on'),
    cacheSeconds: setting('AUTH_CACHE_SECONDS', Joi.number().integer().min(0).max(300), 5),
  },
  rateLimit: {
    enabled: setting('RATE_LIMIT', Joi.string().valid('on', 'off'), 'on').map((v) => v === 'on'),
    perKeyPerSecond: setting('RATE_LIMIT_PER_KEY', positiveInt(), 1000),
    perAddressPerSecond: setting('RATE_LIMIT_PER_ADDRESS', positiveInt(), 20),
  },
  redis: {
    url: redisUrl,
    /** REDIS_URL was given explicitly (the ops scripts then never start a local Redis in its place silently). */
    configured: redisUrl.given,
    /** With Sentinel: the sentinels asked for the primary of REDIS_SENTINEL_NAME (REDIS_URL then only gives password and db). */
    sentinels: sentinels.map((list) => list?.split(',').map(hostPort)),
    sentinelName: setting('REDIS_SENTINEL_NAME', Joi.string().pattern(/^[A-Za-z0-9._-]+$/)),
    sentinelPassword: setting('REDIS_SENTINEL_PASSWORD', Joi.string()),
    // 0: a 202 once the primary has the batch; n: once n replicas have it too (docs/DECISIONS.md).
    minReplicasAck: setting('REDIS_MIN_REPLICAS_ACK', Joi.number().integer().min(0).max(9), 0),
    replicaAckTimeoutMs: setting('REDIS_REPLICA_ACK_TIMEOUT_MS', positiveInt().max(900), 200),
  },
  cassandra: {
    contactPoints: contactPoints.map((list): readonly string[] => list.split(',')),
    localDataCenter: setting('CASSANDRA_LOCAL_DC', Joi.string(), 'datacenter1'),
    keyspace: setting(
      'CASSANDRA_KEYSPACE',
      Joi.string().pattern(/^[a-z][a-z0-9_]{0,47}$/),
      'player_sessions',
    ),
    replicationFactor: setting('CASSANDRA_REPLICATION_FACTOR', positiveInt().max(9), 1),
    // Recorded in the keyspace when the migrations make it; workers read the recorded number.
    startShards: setting('CASSANDRA_START_SHARDS', positiveInt().max(4096)),
    username: setting('CASSANDRA_USERNAME', Joi.string()),
    password: setting('CASSANDRA_PASSWORD', Joi.string()),
    requestTimeoutMs: setting('CASSANDRA_REQUEST_TIMEOUT_MS', positiveInt(), 5000),
    configured: contactPoints.given,
    /**
     * How old a process's knowledge of a read model's generations may be (src/storage/
     * view-generations.ts): a rebuild's switch reaches every process within this time.
     */
    generationsMaxAgeMs: setting('GENERATIONS_MAX_AGE_MS', positiveInt().min(50), 2000),
  },
  queue: {
    name: setting('QUEUE_NAME', Joi.string().pattern(/^[A-Za-z0-9_-]+$/), 'events'),
    prefix: setting('QUEUE_PREFIX', Joi.string().pattern(/^[A-Za-z0-9_:-]+$/), 'pss'),
    /** Several queues, each on a Redis of its own (unset: one queue, on REDIS_URL). */
    redisUrls: queueRedisUrls.map((list): readonly string[] | undefined => list?.split(',')),
    jobAttempts: setting('JOB_ATTEMPTS', positiveInt(), 12),
    backoffMs: setting('JOB_BACKOFF_MS', positiveInt(), 1000),
    keepDoneSeconds: setting(
      'BATCH_KEEP_DONE_SECONDS',
      Joi.number().integer().min(3600),
      DAY_SECONDS,
    ),
    enqueueTimeoutMs: setting('ENQUEUE_TIMEOUT_MS', positiveInt(), 1000),
    // In jobs: 100,000 waiting batches of ten are ~160 MiB of Redis (docs/DECISIONS.md, Backpressure).
    maxBacklog: setting('MAX_QUEUE_BACKLOG', positiveInt(), 100_000),
    memoryRefuseFraction: setting(
      'REDIS_MEMORY_REFUSE_FRACTION',
      Joi.number().greater(0).max(1),
      0.9,
    ),
  },
  events: {
    maxBatchEvents: setting('MAX_BATCH_EVENTS', positiveInt().max(1000), 10),
    bulkMaxEvents: setting('BULK_MAX_EVENTS', positiveInt().max(100_000), 5000),
    retentionSeconds: setting('RETENTION_SECONDS', positiveInt(), 365 * DAY_SECONDS),
    maxFutureSkewSeconds: setting('MAX_FUTURE_SKEW_SECONDS', Joi.number().integer().min(0), 300),
  },
  worker: {
    concurrency: setting('WORKER_CONCURRENCY', positiveInt().max(1000), 512),
    lockDurationMs: setting('WORKER_LOCK_DURATION_MS', positiveInt().min(1000), 30_000),
    stalledIntervalMs: setting('WORKER_STALLED_INTERVAL_MS', positiveInt().min(1000), 15_000),
    maxStalledCount: setting('WORKER_MAX_STALLED_COUNT', positiveInt(), 100),
    /** How often a worker that stopped for a missing schema looks whether it is back. */
    schemaRecheckMs: setting('WORKER_SCHEMA_RECHECK_MS', positiveInt().min(100), 5000),
    /** The pace of an erasure's scan of the facts (docs/DATA-MODEL.md, "Erasing a player"). */
    erasureScanRowsPerSecond: setting('ERASURE_SCAN_ROWS_PER_SECOND', positiveInt(), 20_000),
  },
  /** `npm run rebuild` (docs/DECISIONS.md, "Rebuilding a read model"). */
  rebuild: {
    /** The pace of its scans of the facts: what it adds to the cluster's load. */
    rowsPerSecond: setting('REBUILD_ROWS_PER_SECOND', positiveInt(), 5000),
    /** How long the old generation is kept (and written) after reads switched to the new one. */
    graceSeconds: setting('REBUILD_GRACE_SECONDS', Joi.number().integer().min(0), 300),
  },
  admin: {
    user: setting('ADMIN_USER', Joi.string(), 'admin'),
    password: setting('ADMIN_PASSWORD', Joi.string().min(8)),
    maxLoginFailures: setting('ADMIN_LOGIN_MAX_FAILURES', positiveInt(), 5),
    loginBlockSeconds: setting('ADMIN_LOGIN_BLOCK_SECONDS', positiveInt(), 900),
  },
  shutdownTimeoutMs: setting('SHUTDOWN_TIMEOUT_MS', positiveInt(), 10_000),
  /** How often a worker publishes its metrics for the API's /metrics. */
  metricsPublishIntervalMs: setting('METRICS_PUBLISH_INTERVAL_MS', positiveInt().min(100), 5000),
} satisfies Table;

export type Config = Values<typeof SETTINGS>;

function hostPort(entry: string): { host: string; port: number } {
  const at = entry.lastIndexOf(':');
  return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
}

// Sentinel needs both its list and the name of the primary it watches.
function checked(config: Config): Config {
  if ((config.redis.sentinels === undefined) !== (config.redis.sentinelName === undefined)) {
    throw new ConfigError([
      'REDIS_SENTINELS and REDIS_SENTINEL_NAME must be given together (or neither)',
    ]);
  }
  // Sentinel follows one primary; several queues are several primaries (README, Running at scale).
  if (config.redis.sentinels !== undefined && config.queue.redisUrls !== undefined)
    throw new ConfigError([
      'QUEUE_REDIS_URLS cannot be combined with REDIS_SENTINELS: several queues run without Sentinel for now',
    ]);
  // Node refuses a request timeout shorter than the headers timeout (ERR_OUT_OF_RANGE at start).
  if (config.http.requestTimeoutMs < config.http.headersTimeoutMs)
    throw new ConfigError([
      '"HTTP_REQUEST_TIMEOUT_MS" must not be below "HTTP_HEADERS_TIMEOUT_MS"',
    ]);
  return config;
}

/** Every environment variable the service reads (for checks of deployment files and docs). */
export const CONFIG_VARIABLES: readonly string[] = settingsOf(SETTINGS).map((s) => s.name);

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: RawEnv = process.env): Config {
  return checked(readSettings(SETTINGS, env));
}

/** Reads another table (the ops scripts' own settings) from this process's environment. */
export function loadSettings<S extends Table>(table: S, env: RawEnv = process.env): Values<S> {
  return readSettings(table, env);
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

/** For the test runner: defaults for this process's environment (and its children's) where unset. */
export function setEnvironmentDefaults(defaults: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
}
