import type Koa from 'koa';
import type { Redis } from 'ioredis';
import type { LogContext, Logger } from '../../observability/logger.ts';
import type { Registry } from '../../observability/metrics.ts';
import type { RouteModule } from '../app.ts';
import { metricsRoutes } from '../routes/metrics.ts';
import type { Access } from './access.ts';

/** What both apps, the public and the internal admin one, are made of. */
export interface AppParts {
  readonly logger: Logger;
  readonly logContext: LogContext;
  readonly registry: Registry;
  readonly redis: Redis;
  readonly queuePrefix: string;
  readonly access: Access;
  /** /healthz and /readyz, one module (so one readiness cache) for both listeners. */
  readonly health: RouteModule;
}

/** GET /metrics behind `guard`. */
export function metricsRoute(parts: AppParts, guard: Koa.Middleware): RouteModule {
  return metricsRoutes(parts.registry, parts.redis, parts.queuePrefix, guard);
}

/** The mounts of the app that serves Bull Board and /metrics. */
export function adminMounts(parts: AppParts): Koa.Middleware[] {
  const { identify, board } = parts.access;
  return board ? [identify, board] : [identify];
}
