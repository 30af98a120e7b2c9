import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { formatTimestamp } from '../../domain/timestamp.ts';
import { mergedMetricsJson } from '../../observability/metrics-exchange.ts';
import { pipelineSummary } from '../../observability/pipeline-summary.ts';
import type { Guard } from '../access/access.ts';
import type { RouteModule } from '../app.ts';
import { PATHS } from '../paths.ts';

/**
 * GET /v1/pipeline: the pipeline's totals from the same merged metrics /metrics exposes, as JSON
 * for the dashboard (a client derives rates from two readings and their `at`).
 */
export function pipelineRoutes(
  registry: Registry,
  redis: Pick<Redis, 'hgetall' | 'hdel'>,
  queuePrefix: string,
  guard: Guard,
  now: () => number = Date.now,
): RouteModule {
  return (router) => {
    router.get(PATHS.pipeline, guard('read'), async (ctx) => {
      const s = pipelineSummary(await mergedMetricsJson(registry, redis, queuePrefix));
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        at: formatTimestamp(now()),
        events_accepted_total: s.eventsAccepted,
        events_processed_total: s.eventsProcessed,
        backlog_jobs: s.backlogJobs,
        failed_jobs: s.failedJobs,
        end_to_end: {
          batches: s.endToEnd.batches,
          mean_seconds: s.endToEnd.meanSeconds,
          p95_seconds: s.endToEnd.p95Seconds,
        },
      };
    });
  };
}
