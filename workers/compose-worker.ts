import os from 'node:os';
import { UnrecoverableError } from 'bullmq';
import type { Config } from '../src/config/env.ts';
import type { Logger } from '../src/observability/logger.ts';
import { MetricsPublisher } from '../src/observability/metrics-exchange.ts';
import { createRegistry, type Registry } from '../src/observability/metrics.ts';
import { BatchRecords } from '../src/queue/batch-records.ts';
import { bullConnection, createRedis, workerRedisOptions } from '../src/queue/redis-connections.ts';
import { createCassandraClient, type CassandraClient } from '../src/storage/cassandra-client.ts';
import { schemaStatus } from '../src/storage/migrator.ts';
import { composeErasure, composeProcessBatch, composeRollUp } from './compose-pipeline.ts';
import { composeCounting, type Counting } from './counts/compose-counting.ts';
import { routeCounting } from './counts/counting-router.ts';
import { createBatchJobHandler, jobHandlerMetrics } from './jobs/batch-job-handler.ts';
import { createErasureWorker } from './erasure/erasure-worker.ts';
import { createEventsWorker, type EventsWorker } from './jobs/events-worker.ts';
import { SchemaGuard } from './jobs/schema-guard.ts';
import {
  ROLLUP_INTERVAL_MS,
  ROLLUP_LINGER_MS,
  ROLLUP_WAIT_TIMEOUT_MS,
  ROLLUPS_RUNNING,
  NEWER_PAYLOAD_DELAY_MS,
} from './tuning.ts';
import { openWorkerQueues, type WorkerQueue } from './worker-queues.ts';

/**
 * The worker process's composition root: every object of a worker is made and wired here, and
 * nowhere else (workers/main.ts only adds the config, the logger and the signals).
 */

export interface WorkerProcess {
  /** The BullMQ worker of the first events queue (of the only one, by default). */
  readonly worker: EventsWorker;
  /** One BullMQ worker per events queue. */
  readonly workers: readonly EventsWorker[];
  readonly registry: Registry;
  /** Stops taking jobs, lets the active ones finish (or gives them back), closes connections. */
  close(): Promise<void>;
}

/** A running worker: Cassandra, the repositories, the processor, the BullMQ workers, its metrics. */
export async function composeWorker(config: Config, logger: Logger): Promise<WorkerProcess> {
  const registry = createRegistry('worker');
  const cassandra = createCassandraClient(config.cassandra);
  await cassandra.connect();
  const onRedisError = (err: Error) =>
    logger.warn({ module: 'redis', err: err.message }, 'redis connection error');
  const redis = createRedis(config.redis, workerRedisOptions(), onRedisError);
  const queues = openWorkerQueues(config, redis, onRedisError);
  const name = `${os.hostname()}:${process.pid}`;
  const counting = await composeWorkerCounting(config, cassandra, registry, logger, name, queues);
  // One processor for every queue: jobs of all queues share the micro-batches.
  const processBatch = composeProcessBatch(config, cassandra, registry, logger, (dirty) =>
    counting.whenCounted(dirty),
  );

  // Erasures (DELETE /v1/players/{id}) are jobs of their own queue, on REDIS_URL.
  const erasures = createErasureWorker({
    connection: redis,
    config,
    erase: composeErasure(config, cassandra, (dirty) => counting.whenCounted(dirty)),
    logger,
    name,
  });
  erasures.on('error', (err) => logger.error({ err, module: 'erasure' }, 'erasure worker error'));

  const log = logger.child({ module: 'worker' });
  const guard = new SchemaGuard({
    status: () => schemaStatus(cassandra, config.cassandra.keyspace),
    pause: async () => {
      await Promise.all([
        ...workers.map((w) => w.pause(true)),
        erasures.pause(true),
        counting.pause(),
      ]);
    },
    resume: async () => {
      await Promise.all([...workers.map((w) => w.resume()), erasures.resume(), counting.resume()]);
    },
    logger: log,
    registry,
    recheckMs: config.worker.schemaRecheckMs,
  });
  const metrics = jobHandlerMetrics(registry);
  const workers = queues.map((q) => {
    const worker = createEventsWorker(
      q.redis,
      { ...config, queue: q.spec.queue },
      createBatchJobHandler({
        processBatch,
        // A batch's done record goes to its own queue's Redis, where the API looks for it.
        records: new BatchRecords(q.recordsRedis, q.spec.queue),
        replicas: q.replicas,
        guard,
        logger: log,
        metrics,
        schemaRecheckMs: config.worker.schemaRecheckMs,
        newerPayloadDelayMs: NEWER_PAYLOAD_DELAY_MS,
      }),
      // Started by the guard, once the schema is known to be in place.
      { autorun: false, name },
    );
    worker.on('failed', (job, err) => {
      // A job failed at once was logged, with its reason, by the handler.
      if (err instanceof UnrecoverableError) return;
      log.warn(
        {
          batch_id: job?.id,
          queue: q.spec.queue.name,
          attempt: job?.attemptsMade,
          err: err.message,
        },
        'batch failed',
      );
    });
    worker.on('error', (err) => log.error({ err, queue: q.spec.queue.name }, 'worker error'));
    return worker;
  });
  await Promise.all([...workers.map((w) => w.waitUntilReady()), erasures.waitUntilReady()]);
  await guard.start();
  const publisher = new MetricsPublisher(redis, registry, {
    queuePrefix: config.queue.prefix,
    processName: 'worker',
    intervalMs: config.metricsPublishIntervalMs,
  });
  publisher.start();

  const [first] = workers;
  if (!first) throw new Error('no events queue is configured'); // never: there is at least one
  return {
    worker: first,
    workers,
    registry,
    async close() {
      guard.stop();
      await Promise.all([...workers.map((w) => w.close()), erasures.close()]);
      await counting.close();
      await publisher.stop();
      for (const q of queues) q.disconnect();
      redis.disconnect();
      await cassandra.shutdown();
    },
  };
}

/**
 * The counting side of a worker: asking for rollups, and running them (workers/counts/), one side
 * per events queue's Redis, each counting its share of the shards (workers/counts/counting-router.ts).
 */
export async function composeWorkerCounting(
  config: Config,
  cassandra: CassandraClient,
  registry: Registry,
  logger: Logger,
  workerName: string,
  queues: readonly Pick<WorkerQueue, 'spec' | 'redis' | 'recordsRedis' | 'replicas'>[],
): Promise<Counting> {
  // One recount for every side (its metrics are the process's); rollups of a process stay about
  // ROLLUPS_RUNNING at once however many sides share them.
  const rollUp = composeRollUp(config, cassandra, registry, logger);
  const concurrency = Math.max(1, Math.ceil(ROLLUPS_RUNNING / queues.length));
  const sides: Counting[] = [];
  try {
    for (const q of queues)
      sides.push(
        await composeCounting({
          redis: q.redis,
          marksRedis: q.recordsRedis,
          replicas: q.replicas,
          connection: bullConnection(q.spec.target, workerRedisOptions()),
          queue: q.spec.queue,
          rollUp,
          intervalMs: ROLLUP_INTERVAL_MS,
          lingerMs: ROLLUP_LINGER_MS,
          timeoutMs: ROLLUP_WAIT_TIMEOUT_MS,
          concurrency,
          workerName,
        }),
      );
  } catch (err) {
    await Promise.all(sides.map((side) => side.close()));
    throw err;
  }
  return routeCounting(sides);
}
