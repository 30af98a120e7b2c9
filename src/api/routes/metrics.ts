import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { mergedMetrics } from '../../observability/metrics-exchange.ts';
import type { RouteModule } from '../app.ts';
import { PATHS } from '../paths.ts';

/**
 * GET /metrics: this process's metrics merged with the workers' published snapshots. `guard`
 * (admin scope) on the public listener; none on the internal ADMIN_PORT one.
 */
export function metricsRoutes(
  registry: Registry,
  redis: Pick<Redis, 'hgetall' | 'hdel'>,
  queuePrefix: string,
  guard: import('koa').Middleware,
): RouteModule {
  return (router) => {
    router.get(PATHS.metrics, guard, async (ctx) => {
      ctx.type = registry.contentType;
      ctx.body = await mergedMetrics(registry, redis, queuePrefix);
    });
  };
}
