import os from 'node:os';
import { UnrecoverableError } from 'bullmq';
import type { Config } from '../src/config/env.ts';
import type { Logger } from '../src/observability/logger.ts';
import { MetricsPublisher } from '../src/observability/metrics-exchange.ts';
import { createRegistry, type Registry } from '../src/observability/metrics.ts';
import { BatchRecords } from '../src/queue/batch-records.ts';
import { bullConnection, createRedis, workerRedisOptions } from '../src/queue/redis-connections.ts';
import {
  createCassandraClient,
  everyNodeHoldsEverything,
  type CassandraClient,
} from '../src/storage/cassandra-client.ts';
import { CompletedSessions } from '../src/storage/completed-sessions.ts';
import { CountSeconds } from '../src/storage/count-seconds.ts';
import { CountryHourly } from '../src/storage/country-hourly.ts';
import { KeyspaceSettings } from '../src/storage/keyspace-settings.ts';
import { schemaStatus } from '../src/storage/migrator.ts';
import { writeGrouped, type PartitionWrite } from '../src/storage/partition-writes.ts';
import { limitRequests } from '../src/storage/request-limit.ts';
import { Rollups } from '../src/storage/rollups.ts';
import { SessionFacts } from '../src/storage/session-facts.ts';
import { StartFacts } from '../src/storage/start-facts.ts';
import { createBatchJobHandler, jobHandlerMetrics } from './batch-job-handler.ts';
import { createBatchProcessor, type BatchProcessor } from './batch-processor.ts';
import { composeCounting, type Counting } from './counts/compose-counting.ts';
import { routeCounting } from './counts/counting-router.ts';
import { createEventsWorker, type EventsWorker } from './events-worker.ts';
import { createMicroBatch } from './micro-batch.ts';
import type { DirtyShards } from './rollup/dirty-seconds.ts';
import { createStartCountRollup } from './rollup/start-count-rollup.ts';
import { SchemaGuard } from './schema-guard.ts';
import {
  MAX_REQUESTS_IN_FLIGHT,
  MICRO_BATCH_LINGER_MS,
  MICRO_BATCH_MAX_EVENTS,
  MICRO_BATCHES_RUNNING,
  REQUESTS_PER_STEP,
  ROLLUP_INTERVAL_MS,
  ROLLUP_REQUESTS_PER_LEVEL,
  ROLLUP_WAIT_TIMEOUT_MS,
  ROLLUPS_RUNNING,
  SCHEMA_RECHECK_MS,
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
  const { processBatch } = composeBatchProcessing(config, cassandra, registry, logger, counting);

  const log = logger.child({ module: 'worker' });
  const guard = new SchemaGuard({
    status: () => schemaStatus(cassandra, config.cassandra.keyspace),
    pause: async () => {
      await Promise.all([...workers.map((w) => w.pause(true)), counting.pause()]);
    },
    resume: async () => {
      await Promise.all([...workers.map((w) => w.resume()), counting.resume()]);
    },
    logger: log,
    registry,
    recheckMs: SCHEMA_RECHECK_MS,
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
        schemaRecheckMs: SCHEMA_RECHECK_MS,
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
  await Promise.all(workers.map((w) => w.waitUntilReady()));
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
      await Promise.all(workers.map((w) => w.close()));
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

/** One shard's rollup over the repositories of one keyspace (the rollups' job). */
export function composeRollUp(
  config: Config,
  cassandra: CassandraClient,
  registry: Registry,
  logger: Logger,
  now: () => number = () => Date.now(),
): (dirty: DirtyShards) => Promise<void> {
  const ks = config.cassandra.keyspace;
  const client = limitRequests(cassandra, MAX_REQUESTS_IN_FLIGHT);
  const acrossPartitions = everyNodeHoldsEverything(cassandra, config.cassandra.replicationFactor);
  return createStartCountRollup(
    {
      startFacts: new StartFacts(client, ks),
      countSeconds: new CountSeconds(client, ks),
      startShards: new KeyspaceSettings(cassandra, ks).startShardsOnce(),
      rollups: new Rollups(client, ks),
      countryHourly: new CountryHourly(client, ks),
      write: (writes) =>
        writeGrouped(client, writes, { concurrency: ROLLUP_REQUESTS_PER_LEVEL, acrossPartitions }),
      retentionMs: config.events.retentionSeconds * 1000,
      now,
      concurrency: ROLLUP_REQUESTS_PER_LEVEL,
      logger: logger.child({ module: 'rollup' }),
    },
    registry,
  );
}

export interface BatchProcessing {
  readonly processBatch: BatchProcessor;
}

/** The batch processor over the repositories of one keyspace, without a queue of its own. */
export function composeBatchProcessing(
  config: Config,
  cassandra: CassandraClient,
  registry: Registry,
  logger: Logger,
  counting: Pick<Counting, 'whenCounted'>,
  now: () => number = () => Date.now(),
): BatchProcessing {
  const ks = config.cassandra.keyspace;
  const retentionMs = config.events.retentionSeconds * 1000;
  const client = limitRequests(cassandra, MAX_REQUESTS_IN_FLIGHT);
  const acrossPartitions = everyNodeHoldsEverything(cassandra, config.cassandra.replicationFactor);
  const write = (writes: readonly PartitionWrite[]) =>
    writeGrouped(client, writes, { concurrency: REQUESTS_PER_STEP, acrossPartitions });
  const microBatch = createMicroBatch({
    sessionFacts: new SessionFacts(client, ks),
    startFacts: new StartFacts(client, ks),
    startShards: new KeyspaceSettings(cassandra, ks).startShardsOnce(),
    completedSessions: new CompletedSessions(client, ks),
    counting,
    write,
    retentionMs,
    now,
    concurrency: REQUESTS_PER_STEP,
    logger: logger.child({ module: 'micro-batch' }),
    registry,
  });
  const processBatch = createBatchProcessor({
    microBatch,
    retentionMs,
    now,
    logger: logger.child({ module: 'processor' }),
    registry,
    lingerMs: MICRO_BATCH_LINGER_MS,
    maxEvents: MICRO_BATCH_MAX_EVENTS,
    maxRunning: MICRO_BATCHES_RUNNING,
  });
  return { processBatch };
}
