import type { Config } from '../../config/env.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Registry } from '../../observability/metrics.ts';
import { replicaAckRefusals } from '../../queue/replica-ack.ts';
import type { Guard } from '../access/access.ts';
import type { RouteModule } from '../app.ts';
import { openApiQueues, type ApiQueue } from '../ingest/api-queues.ts';
import { BatchRouter } from '../ingest/batch-router.ts';
import { registerLoadMetrics } from '../ingest/queue-load.ts';
import { registerQueueMetrics } from '../ingest/queue-metrics.ts';
import { registerRedisWritable } from '../ingest/redis-writable.ts';
import { batchRoutes } from '../routes/batches.ts';
import type { ApiConnections } from './connections.ts';

/** The API's write side: the events queues, each with its producer and load, and the router over them. */
export interface Ingest {
  readonly queues: readonly ApiQueue[];
  readonly batches: BatchRouter;
  /** Closes every queue (and the connections only a queue uses). */
  close(): Promise<void>;
}

export function composeIngest(
  config: Config,
  connections: ApiConnections,
  registry: Registry,
  now: () => number,
): Ingest {
  // The events queues (one unless QUEUE_REDIS_URLS lists several), each with its producer and
  // load; a batch's id says which one is its own (src/queue/queue-routing.ts).
  const queues = openApiQueues(config, {
    redis: connections.redis,
    onRedisError: connections.onRedisError,
    refusals: config.redis.minReplicasAck > 0 ? replicaAckRefusals(registry) : undefined,
    now,
  });
  const batches = new BatchRouter(queues, {
    maxBacklog: config.queue.maxBacklog,
    memoryRefuseFraction: config.queue.memoryRefuseFraction,
  });
  registerQueueMetrics(registry, queues);
  registerLoadMetrics(registry, queues);
  registerRedisWritable(registry, queues, config.queue.enqueueTimeoutMs);
  return {
    queues,
    batches,
    async close() {
      for (const q of queues) await q.close();
    },
  };
}

/** POST /v1/batches, POST /v1/batches/bulk and GET /v1/batches/{id}, over the ingest side. */
export function ingestRoutes(
  config: Config,
  ingest: Ingest,
  deps: { registry: Registry; logger: Logger; guard: Guard; now: () => number },
): RouteModule {
  const { batches } = ingest;
  return batchRoutes({
    producer: batches,
    refusal: (batchId) => batches.refusal(batchId),
    batch: { maxBodyBytes: config.http.maxBodyBytes, maxEvents: config.events.maxBatchEvents },
    bulk: { maxBodyBytes: config.http.bulkMaxBodyBytes, maxEvents: config.events.bulkMaxEvents },
    rules: {
      retentionMs: config.events.retentionSeconds * 1000,
      maxFutureSkewMs: config.events.maxFutureSkewSeconds * 1000,
    },
    now: deps.now,
    registry: deps.registry,
    logger: deps.logger.child({ module: 'batches' }),
    guard: deps.guard,
  });
}
