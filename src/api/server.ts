import type http from 'node:http';
import type { Config } from '../config/env.ts';
import { createLogContext, type Logger } from '../observability/logger.ts';
import { createRegistry } from '../observability/metrics.ts';
import type { RouteInfo } from './app.ts';
import { composeAccess } from './compose/access.ts';
import { adminApp } from './compose/admin-app.ts';
import { openConnections, readinessChecks } from './compose/connections.ts';
import { composeErasures } from './compose/erasures.ts';
import { composeIngest, ingestRoutes } from './compose/ingest.ts';
import { listenAll } from './compose/listeners.ts';
import { publicApp } from './compose/public-app.ts';
import { shutdownInOrder } from './compose/shutdown.ts';
import { viewRoutes } from './compose/views.ts';
import { healthRoutes } from './routes/health.ts';

export interface ApiServer {
  readonly url: string;
  readonly server: http.Server;
  /** The internal listener of Bull Board and /metrics, when ADMIN_PORT is set. */
  readonly admin: { readonly url: string; readonly routes: readonly RouteInfo[] } | undefined;
  readonly routes: readonly RouteInfo[];
  /** Stops taking connections, finishes requests in flight, then closes Redis and Cassandra. */
  close(): Promise<void>;
}

/**
 * The API process's composition root: its parts are made in src/api/compose/ and wired here, and
 * nowhere else (src/api/main.ts only adds the config, the logger and the signals).
 */
export async function startApiServer(
  config: Config,
  logger: Logger,
  logContext = createLogContext(),
): Promise<ApiServer> {
  const registry = createRegistry('api');
  const now = () => Date.now();
  const connections = await openConnections(config, logger);
  const ingest = composeIngest(config, connections, registry, now);
  const erasures = composeErasures(config, connections, { logger, now });
  // Each events queue with its rollups' queue (workers/counts/) beside it, and the erasures, so an
  // operator sees all.
  const boardQueues = [...ingest.queues.flatMap((q) => [q.queue, q.countsQueue]), erasures.queue];
  const access = composeAccess(config, connections, boardQueues, { logger, now });
  const parts = {
    logger,
    logContext,
    registry,
    redis: connections.redis,
    queuePrefix: config.queue.prefix,
    access,
    health: healthRoutes(readinessChecks(connections, config.cassandra.keyspace), now),
  };
  const app = publicApp(config, parts, {
    ingest: ingestRoutes(config, ingest, { registry, logger, guard: access.guard, now }),
    views: viewRoutes(config, connections.cassandra, access.guard, now),
    erasures: erasures.routes(access.guard),
  });
  const admin = adminApp(config, parts);
  const listeners = await listenAll(config, app, admin);

  return {
    url: listeners.main.url,
    server: listeners.main.server,
    admin:
      listeners.admin && admin ? { url: listeners.admin.url, routes: admin.routes } : undefined,
    routes: app.routes,
    close: () => shutdownInOrder({ listeners, queues: [ingest, erasures], connections }),
  };
}
