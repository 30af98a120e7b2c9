import os from 'node:os';
import { UnrecoverableError } from 'bullmq';
import type { Config } from '../src/config/env.ts';
import type { Logger } from '../src/observability/logger.ts';
import { MetricsPublisher } from '../src/observability/metrics-exchange.ts';
import { createRegistry, type Registry } from '../src/observability/metrics.ts';
import { BatchRecords } from '../src/queue/batch-records.ts';
import { bullConnection, createRedis, workerRedisOptions } from '../src/queue/redis-connections.ts';
import { fenceKeyOf, replicaAck } from '../src/queue/replica-ack.ts';
import { createCassandraClient, type CassandraClient } from '../src/storage/cassandra-client.ts';
import { schemaStatus } from '../src/storage/migrator.ts';
import { composeProcessBatch, composeRollUp } from './compose-pipeline.ts';
import { composeCounting, type Counting, type CountingDeps } from './counts/compose-counting.ts';
import { createBatchJobHandler } from './jobs/batch-job-handler.ts';
import { createEventsWorker, type EventsWorker } from './jobs/events-worker.ts';
import { SchemaGuard } from './jobs/schema-guard.ts';
import {
  ROLLUP_INTERVAL_MS,
  ROLLUP_LINGER_MS,
  ROLLUP_WAIT_TIMEOUT_MS,
  ROLLUPS_RUNNING,
  SCHEMA_RECHECK_MS,
} from './tuning.ts';

/**
 * The worker process's composition root: every object of a worker is made and wired here, and
 * nowhere else (workers/main.ts only adds the config, the logger and the signals).
 */

export interface WorkerProcess {
  readonly worker: EventsWorker;
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
  // WAIT blocks the connection it runs on: with replica acks the done records are written on a
  // connection of their own, so that lock renewals and job fetches never wait behind it.
  const acked = config.redis.minReplicasAck > 0;
  const recordsRedis = acked
    ? createRedis(config.redis, workerRedisOptions(), onRedisError)
    : redis;
  const replicas = replicaAck(recordsRedis, {
    minReplicas: config.redis.minReplicasAck,
    timeoutMs: config.redis.replicaAckTimeoutMs,
    fenceKey: fenceKeyOf(config.queue),
  });
  const name = `${os.hostname()}:${process.pid}`;
  const counting = await composeWorkerCounting(config, cassandra, registry, logger, name, {
    redis,
    marksRedis: recordsRedis,
    replicas,
  });
  const processBatch = composeProcessBatch(config, cassandra, registry, logger, (dirty) =>
    counting.whenCounted(dirty),
  );

  const log = logger.child({ module: 'worker' });
  const guard = new SchemaGuard({
    status: () => schemaStatus(cassandra, config.cassandra.keyspace),
    pause: async () => {
      await Promise.all([worker.pause(true), counting.pause()]);
    },
    resume: async () => {
      await Promise.all([worker.resume(), counting.resume()]);
    },
    logger: log,
    registry,
    recheckMs: SCHEMA_RECHECK_MS,
  });
  const worker = createEventsWorker(
    redis,
    config,
    createBatchJobHandler({
      processBatch,
      records: new BatchRecords(recordsRedis, config.queue),
      replicas,
      guard,
      logger: log,
      registry,
      schemaRecheckMs: SCHEMA_RECHECK_MS,
    }),
    // Started by the guard, once the schema is known to be in place.
    { autorun: false, name },
  );
  worker.on('failed', (job, err) => {
    // A job failed at once was logged, with its reason, by the handler.
    if (err instanceof UnrecoverableError) return;
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
      await counting.close();
      await publisher.stop();
      redis.disconnect();
      if (acked) recordsRedis.disconnect();
      await cassandra.shutdown();
    },
  };
}

/** The counting side of a worker: asking for rollups, and running them (workers/counts/). */
export function composeWorkerCounting(
  config: Config,
  cassandra: CassandraClient,
  registry: Registry,
  logger: Logger,
  workerName: string,
  connections: Pick<CountingDeps, 'redis' | 'marksRedis' | 'replicas'>,
): Promise<Counting> {
  return composeCounting({
    ...connections,
    connection: bullConnection(config.redis, workerRedisOptions()),
    queue: config.queue,
    rollUp: composeRollUp(config, cassandra, registry, logger),
    intervalMs: ROLLUP_INTERVAL_MS,
    lingerMs: ROLLUP_LINGER_MS,
    timeoutMs: ROLLUP_WAIT_TIMEOUT_MS,
    concurrency: ROLLUPS_RUNNING,
    workerName,
  });
}
