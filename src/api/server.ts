import type http from 'node:http';
import type Koa from 'koa';
import type { Config } from '../config/env.ts';
import { createLogContext, type Logger } from '../observability/logger.ts';
import { createRegistry } from '../observability/metrics.ts';
import { CountryStartsQueries } from '../queries/country-starts.ts';
import { BatchRouter } from '../queue/batch-router.ts';
import { registerLoadMetrics } from '../queue/queue-load.ts';
import { registerQueueMetrics } from '../queue/queue-metrics.ts';
import { createRedis, apiRedisOptions, redisAnswers } from '../queue/redis-connections.ts';
import { replicaAckRefusals } from '../queue/replica-ack.ts';
import { cassandraAnswers, createCassandraClient } from '../storage/cassandra-client.ts';
import { CompletedSessionGenerations } from '../storage/completed-sessions.ts';
import { followGenerations, ViewGenerations } from '../storage/view-generations.ts';
import { CountryHourly } from '../storage/country-hourly.ts';
import { schemaStatus } from '../storage/migrator.ts';
import { Rollups } from '../storage/rollups.ts';
import { KeyLookup } from '../auth/key-lookup.ts';
import { ApiKeys } from '../storage/api-keys.ts';
import { guards, identifyAndLimit } from './access/access.ts';
import { LoginThrottle } from './access/login-throttle.ts';
import { RateLimits } from './access/rate-limits.ts';
import { bullBoard } from './admin/bull-board.ts';
import { openApiQueues } from './api-queues.ts';
import { createApp, type RouteInfo, type RouteModule } from './app.ts';
import { NO_PROXY, type ProxyTrust } from './client-address.ts';
import { listen } from './listener.ts';
import { batchRoutes } from './routes/batches.ts';
import { countryRoutes } from './routes/countries.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { docsRoutes } from './routes/docs.ts';
import { answers } from './readiness.ts';
import { PROBE_PATHS, healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { pipelineRoutes } from './routes/pipeline.ts';
import { playerRoutes } from './routes/players.ts';
import { erasureRoutes } from './routes/erasures.ts';
import { createErasuresQueue } from '../queue/erasures-queue.ts';

export interface ApiServer {
  readonly url: string;
  readonly server: http.Server;
  /** The internal listener of Bull Board and /metrics, when ADMIN_PORT is set. */
  readonly admin: { readonly url: string; readonly routes: readonly RouteInfo[] } | undefined;
  readonly routes: readonly RouteInfo[];
  /** Stops taking connections, finishes requests in flight, then closes Redis and Cassandra. */
  close(): Promise<void>;
}

/** Wires the API process: connections, the app, the HTTP server. */
export async function startApiServer(
  config: Config,
  logger: Logger,
  logContext = createLogContext(),
): Promise<ApiServer> {
  const registry = createRegistry('api');
  const onRedisError = (err: Error) =>
    logger.warn({ module: 'redis', err: err.message }, 'redis connection error');
  const redis = createRedis(config.redis, apiRedisOptions(), onRedisError);
  const cassandra = createCassandraClient(config.cassandra);
  // The API starts even when Cassandra is away (it then answers 503 on /readyz and on reads);
  // the driver keeps reconnecting in the background.
  await cassandra.connect().catch((err: unknown) => {
    logger.warn({ module: 'cassandra', err: String(err) }, 'cassandra not reachable at start');
  });

  const ks = config.cassandra.keyspace;
  const now = () => Date.now();
  // The events queues (one unless QUEUE_REDIS_URLS lists several), each with its producer and
  // load; a batch's id says which one is its own (src/queue/queue-routing.ts).
  const queues = openApiQueues(config, {
    redis,
    onRedisError,
    refusals: config.redis.minReplicasAck > 0 ? replicaAckRefusals(registry) : undefined,
    now,
  });
  const batches = new BatchRouter(queues, {
    maxBacklog: config.queue.maxBacklog,
    memoryRefuseFraction: config.queue.memoryRefuseFraction,
  });
  const retentionMs = config.events.retentionSeconds * 1000;
  // Player erasures (DELETE /v1/players/{id}) go to a queue of their own on REDIS_URL.
  const erasures = createErasuresQueue(redis, config.queue);
  erasures.on('error', () => undefined); // the connection's own listener reports it

  registerQueueMetrics(registry, queues);
  registerLoadMetrics(registry, queues);
  const prefix = config.queue.prefix;
  const keys = config.auth.enabled
    ? new KeyLookup(new ApiKeys(cassandra, ks), { cacheMs: config.auth.cacheSeconds * 1000, now })
    : undefined;
  if (!keys) logger.warn('AUTH=off: every route is open to anyone who can reach the port');
  const access = identifyAndLimit({
    keys,
    limits: config.rateLimit.enabled
      ? new RateLimits(redis, { prefix, ...config.rateLimit })
      : undefined,
    unlimitedPaths: PROBE_PATHS,
  });
  const guard = guards(config.auth.enabled);
  const throttle = new LoginThrottle(redis, {
    prefix,
    maxFailures: config.admin.maxLoginFailures,
    blockSeconds: config.admin.loginBlockSeconds,
  });
  // Each events queue with its rollups' queue (workers/counts/) beside it, so an operator sees all.
  const board = bullBoard(
    [...queues.flatMap((q) => [q.queue, q.countsQueue]), erasures],
    config.admin,
    throttle,
  );
  const health = healthRoutes(
    [
      { name: 'redis', check: answers(() => redisAnswers(redis)) },
      { name: 'cassandra', check: answers(() => cassandraAnswers(cassandra)) },
      { name: 'schema', check: () => schemaStatus(cassandra, config.cassandra.keyspace) },
    ],
    now,
  );
  // With ADMIN_PORT, Bull Board and /metrics leave the public listener for an internal one, where
  // the network, not a key, keeps strangers out of /metrics (the board keeps its login).
  const separate = config.http.adminPort !== undefined;
  const adminMounts = board ? [access, board] : [access];
  const metrics = (g: Koa.Middleware) => metricsRoutes(registry, redis, prefix, g);
  const appOf = (proxy: ProxyTrust, mounts: Koa.Middleware[], routes: RouteModule[]) =>
    createApp({ logger, logContext, registry, proxy, mounts, routes });
  const app = appOf(config.proxy, separate ? [access] : adminMounts, [
    batchRoutes({
      producer: batches,
      refusal: (batchId) => batches.refusal(batchId),
      batch: { maxBodyBytes: config.http.maxBodyBytes, maxEvents: config.events.maxBatchEvents },
      bulk: {
        maxBodyBytes: config.http.bulkMaxBodyBytes,
        maxEvents: config.events.bulkMaxEvents,
      },
      rules: { retentionMs, maxFutureSkewMs: config.events.maxFutureSkewSeconds * 1000 },
      now,
      registry,
      logger: logger.child({ module: 'batches' }),
      guard,
    }),
    countryRoutes(
      new CountryStartsQueries({
        rollups: new Rollups(cassandra, ks),
        countryHourly: new CountryHourly(cassandra, ks),
        retentionMs,
        now,
      }),
      guard,
    ),
    playerRoutes(
      new CompletedSessionGenerations(
        cassandra,
        ks,
        followGenerations(
          new ViewGenerations(cassandra, ks),
          'completed-sessions',
          config.cassandra.generationsMaxAgeMs,
        ),
      ),
      guard,
    ),
    erasureRoutes({
      queue: erasures,
      isConnected: () => redis.status === 'ready',
      timeoutMs: config.queue.enqueueTimeoutMs,
      now,
      logger: logger.child({ module: 'erasures' }),
      guard,
    }),
    ...(separate ? [] : [metrics(guard('admin'))]),
    pipelineRoutes(registry, redis, prefix, guard),
    dashboardRoutes({
      auth: config.auth.enabled,
      bullBoard: !board ? 'off' : separate ? 'admin-port' : 'here',
    }),
    docsRoutes(config),
    health,
  ]);
  const adminApp = separate
    ? // The internal listener is reached directly, never through the public load balancer: no
      // header there names the client.
      appOf(NO_PROXY, adminMounts, [metrics((_ctx, next) => next()), health])
    : undefined;

  const main = await listen(app, config.http.port, config.http);
  const admin =
    adminApp && config.http.adminPort !== undefined
      ? await listen(adminApp, config.http.adminPort, config.http).catch(async (err: unknown) => {
          await main.close();
          throw err;
        })
      : undefined;

  return {
    url: main.url,
    server: main.server,
    admin: admin && adminApp ? { url: admin.url, routes: adminApp.routes } : undefined,
    routes: app.routes,
    async close() {
      await Promise.all([main.close(), admin?.close()]);
      for (const q of queues) await q.close();
      await erasures.close();
      redis.disconnect();
      await cassandra.shutdown();
    },
  };
}
