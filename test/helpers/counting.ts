import type { Config } from '../../src/config/env.ts';
import { createRegistry } from '../../src/observability/metrics.ts';
import { createRedis, workerRedisOptions } from '../../src/queue/redis-connections.ts';
import type { CassandraClient } from '../../src/storage/cassandra-client.ts';
import type { Counting } from '../../workers/counts/compose-counting.ts';
import { composeProcessBatch } from '../../workers/compose-pipeline.ts';
import { composeWorkerCounting } from '../../workers/compose-worker.ts';
import type { ProcessBatch } from '../../workers/pipeline/process-batch.ts';
import { openWorkerQueues } from '../../workers/worker-queues.ts';
import { silentLogger } from './service.ts';

/**
 * A worker's counting side in this process, running rollups of the config's keyspace, for tests
 * that drive the batch processor without a BullMQ worker for the events (the rollups still go
 * through their own queues, on the config's Redis, as in a worker).
 */
export async function startCounting(config: Config, cassandra: CassandraClient): Promise<Counting> {
  const redis = createRedis(config.redis, workerRedisOptions(), () => undefined);
  const queues = openWorkerQueues(config, redis, () => undefined);
  const counting = await composeWorkerCounting(
    config,
    cassandra,
    createRegistry('test-counting'),
    silentLogger,
    'test',
    queues,
  );
  await counting.resume();
  return {
    ...counting,
    async close() {
      await counting.close();
      for (const q of queues) q.disconnect();
      redis.disconnect();
    },
  };
}

/** The write pipeline in this process (no events queue), with a counting side of its own. */
export interface TestPipeline {
  readonly processBatch: ProcessBatch;
  close(): Promise<void>;
}

export async function startPipeline(
  config: Config,
  cassandra: CassandraClient,
): Promise<TestPipeline> {
  const counting = await startCounting(config, cassandra);
  return {
    processBatch: composeProcessBatch(
      config,
      cassandra,
      createRegistry('test'),
      silentLogger,
      (d) => counting.whenCounted(d),
    ),
    close: () => counting.close(),
  };
}
