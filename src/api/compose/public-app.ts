import type { Config } from '../../config/env.ts';
import { createApp, type ApiApp, type RouteModule } from '../app.ts';
import { dashboardRoutes } from '../routes/dashboard.ts';
import { docsRoutes } from '../routes/docs.ts';
import { pipelineRoutes } from '../routes/pipeline.ts';
import { adminMounts, metricsRoute, type AppParts } from './app-parts.ts';

/**
 * The app on the public port (PORT): ingest, the views, erasures, the dashboard, the docs, the probes — and,
 * unless ADMIN_PORT moves them to the internal app, Bull Board and /metrics (admin scope).
 */
export function publicApp(
  config: Config,
  parts: AppParts,
  routes: {
    readonly ingest: RouteModule;
    readonly views: readonly RouteModule[];
    readonly erasures: RouteModule;
  },
): ApiApp {
  const separate = config.http.adminPort !== undefined;
  const { guard, identify } = parts.access;
  return createApp({
    logger: parts.logger,
    logContext: parts.logContext,
    registry: parts.registry,
    proxy: config.proxy,
    mounts: separate ? [identify] : adminMounts(parts),
    routes: [
      routes.ingest,
      ...routes.views,
      routes.erasures,
      ...(separate ? [] : [metricsRoute(parts, guard('admin'))]),
      pipelineRoutes(parts.registry, parts.redis, parts.queuePrefix, guard),
      dashboardRoutes({
        auth: config.auth.enabled,
        bullBoard: !parts.access.board ? 'off' : separate ? 'admin-port' : 'here',
      }),
      docsRoutes(config),
      parts.health,
    ],
  });
}
