import type { Config } from '../../config/env.ts';
import { createApp, type ApiApp } from '../app.ts';
import { NO_PROXY } from '../client-address.ts';
import { adminMounts, metricsRoute, type AppParts } from './app-parts.ts';

/**
 * With ADMIN_PORT, Bull Board and /metrics leave the public listener for an internal one, where
 * the network, not a key, keeps strangers out of /metrics (the board keeps its login). Without
 * it there is no internal app.
 */
export function adminApp(config: Config, parts: AppParts): ApiApp | undefined {
  if (config.http.adminPort === undefined) return undefined;
  return createApp({
    logger: parts.logger,
    logContext: parts.logContext,
    registry: parts.registry,
    // The internal listener is reached directly, never through the public load balancer: no
    // header there names the client.
    proxy: NO_PROXY,
    mounts: adminMounts(parts),
    routes: [metricsRoute(parts, (_ctx, next) => next()), parts.health],
  });
}
