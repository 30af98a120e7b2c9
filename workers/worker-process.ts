import { DelayedError } from 'bullmq';
import type { Config } from '../src/config/env.ts';
import type { Logger } from '../src/observability/logger.ts';
import { MetricsPublisher } from '../src/observability/metrics-exchange.ts';
import { createRegistry, type Registry } from '../src/observability/metrics.ts';
import { createRedis, workerRedisOptions } from '../src/queue/redis-connections.ts';
import { createCassandraClient } from '../src/storage/cassandra-client.ts';
import { schemaStatus } from '../src/storage/migrator.ts';
import { isSchemaMissing } from '../src/storage/storage-errors.ts';
import { createEventsWorker, type EventsWorker } from './events-worker.ts';
import { createPipeline } from './pipeline.ts';
import { SchemaGuard } from './schema-guard.ts';

/** How often a worker that stopped for a missing schema looks whether it is back. */
const SCHEMA_RECHECK_MS = 5000;

export interface WorkerProcess {
  readonly worker: EventsWorker;
  readonly registry: Registry;
  /** Stops taking jobs, lets the active ones finish (or gives them back), closes connections. */
  close(): Promise<void>;
}

/** Wires a worker process: Cassandra, the repositories, the processor and the BullMQ worker. */
export async function startWorkerProcess(config: Config, logger: Logger): Promise<WorkerProcess> {
  const registry = createRegistry('worker');
  const cassandra = createCassandraClient(config.cassandra);
  await cassandra.connect();
  const { process: processor } = createPipeline(config, cassandra, registry, logger);

  const redis = createRedis(config.redis.url, workerRedisOptions(), (err) =>
    logger.warn({ module: 'redis', err: err.message }, 'redis connection error'),
  );
  const log = logger.child({ module: 'worker' });
  const guard = new SchemaGuard({
    status: () => schemaStatus(cassandra, config.cassandra.keyspace),
    pause: () => worker.pause(true),
    resume: () => worker.resume(),
    logger: log,
    registry,
    recheckMs: SCHEMA_RECHECK_MS,
  });
  const worker = createEventsWorker(
    redis,
    config,
    async (job, token) => {
      try {
        await processor(job);
      } catch (err) {
        if (!(isSchemaMissing(err) && (await guard.confirmMissing(err, job.id)))) throw err;
        // Nothing is wrong with the batch: back to the queue, without spending an attempt, until
        // the schema is back.
        await job.moveToDelayed(Date.now() + SCHEMA_RECHECK_MS, token);
        throw new DelayedError();
      }
    },
    // Started by the guard, once the schema is known to be in place.
    { autorun: false },
  );
  worker.on('failed', (job, err) => {
    log.warn({ batch_id: job?.id, attempt: job?.attemptsMade, err: err.message }, 'batch failed');
  });
  worker.on('error', (err) => log.error({ err }, 'worker error'));
  await worker.waitUntilReady();
  await guard.start();
  const publisher = new MetricsPublisher(redis, registry, {
    queuePrefix: config.queue.prefix,
    processName: 'worker',
    intervalMs: config.metricsPublishIntervalMs,
  });
  publisher.start();

  return {
    worker,
    registry,
    async close() {
      guard.stop();
      await worker.close();
      await publisher.stop();
      redis.disconnect();
      await cassandra.shutdown();
    },
  };
}
