import type { Middleware } from 'koa';
import { Histogram, type Registry } from 'prom-client';

/** Request duration by route template (never the raw path: ids would explode the label set). */
export function httpMetrics(registry: Registry): Middleware {
  // One histogram per registry, shared by the public and the internal (ADMIN_PORT) app.
  const existing = registry.getSingleMetric('http_request_duration_seconds');
  const duration =
    (existing as Histogram<'method' | 'route' | 'status'> | undefined) ??
    new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  return async (ctx, next) => {
    const stop = duration.startTimer();
    try {
      await next();
    } finally {
      const route = (ctx as { _matchedRoute?: unknown })._matchedRoute;
      stop({
        method: ctx.method,
        route: typeof route === 'string' ? route : 'unmatched',
        status: String(ctx.status),
      });
    }
  };
}
