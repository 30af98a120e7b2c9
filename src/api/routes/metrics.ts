import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { mergedMetrics } from '../../observability/metrics-exchange.ts';
import type { RouteModule } from '../app.ts';

/** GET /metrics: this process's metrics merged with the workers' published snapshots. */
export function metricsRoutes(
  registry: Registry,
  redis: Pick<Redis, 'scan' | 'mget'>,
  queuePrefix: string,
): RouteModule {
  return (router) => {
    router.get('/metrics', async (ctx) => {
      ctx.type = registry.contentType;
      ctx.body = await mergedMetrics(registry, redis, queuePrefix);
    });
  };
}
