import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
import type { Config } from '../../config/env.ts';
import { LoadSampler } from './backpressure.ts';
import { BatchProducer } from './batch-producer.ts';
import { BatchRecords } from '../../queue/batch-records.ts';
import { createCountsQueue } from '../../queue/counts-queue.ts';
import { createEventsQueue } from '../../queue/events-queue.ts';
import { queueLoadSource } from './queue-load.ts';
import { onMainRedis, queueSpecs, type QueueSpec } from '../../queue/queue-specs.ts';
import { apiRedisOptions, createRedis } from '../../queue/redis-connections.ts';
import { fenceKeyOf, replicaAck } from '../../queue/replica-ack.ts';

/**
 * How stale the load the ingest routes decide on may be: the bound may be overshot by what
 * arrives in this time, and each queue's Redis is asked twice per period however many requests come.
 */
const LOAD_SAMPLE_MAX_AGE_MS = 250;

/** One events queue as the API holds it: on its own Redis, with everything that decides on it. */
export interface ApiQueue {
  readonly name: string;
  /** For reads that never wait behind a WAIT: the load, the metrics, Bull Board. */
  readonly queue: Queue;
  /** Its rollups' queue, beside it on the same Redis (shown in Bull Board). */
  readonly countsQueue: Queue;
  readonly producer: BatchProducer;
  readonly load: LoadSampler;
  /** Its Redis connection for reads (./redis-writable.ts). */
  readonly redis: Redis;
  close(): Promise<void>;
}

export interface ApiQueueDeps {
  /** The REDIS_URL connection: the single queue of the default configuration is on it. */
  readonly redis: Redis;
  readonly onRedisError: (err: Error) => void;
  /** With replica acks: counts refusals per queue. */
  readonly refusals: Counter<'queue'> | undefined;
  readonly now: () => number;
}

/** Every events queue of the configuration (src/queue/queue-specs.ts), opened for the API. */
export function openApiQueues(config: Config, deps: ApiQueueDeps): ApiQueue[] {
  return queueSpecs(config).map((spec) => openApiQueue(config, spec, deps));
}

function openApiQueue(config: Config, spec: QueueSpec, deps: ApiQueueDeps): ApiQueue {
  const shared = onMainRedis(spec, config);
  const redis = shared
    ? deps.redis
    : createRedis(spec.target, apiRedisOptions(), deps.onRedisError);
  const queue = createEventsQueue(redis, spec.queue);
  // Connection errors are already reported by the connection's own listener.
  queue.on('error', () => undefined);
  const isConnected = () => redis.status === 'ready';
  // WAIT blocks the connection it runs on: with replica acks the adds get a connection (and a
  // Queue) of their own, so that /readyz, the load checks and the metrics never wait behind it.
  const acked = config.redis.minReplicasAck > 0;
  const enqueueRedis = acked
    ? createRedis(spec.target, apiRedisOptions(), deps.onRedisError)
    : redis;
  const enqueueQueue = acked ? createEventsQueue(enqueueRedis, spec.queue) : queue;
  enqueueQueue.on('error', () => undefined);
  // The records are read on the adds' connection too: replica acknowledgement covers what was
  // read and written on the connection it is asked on (src/queue/replica-ack.ts).
  const producer = new BatchProducer(enqueueQueue, new BatchRecords(enqueueRedis, spec.queue), {
    timeoutMs: config.queue.enqueueTimeoutMs,
    isConnected: () => isConnected() && enqueueRedis.status === 'ready',
    replicas: replicaAck(enqueueRedis, {
      minReplicas: config.redis.minReplicasAck,
      timeoutMs: config.redis.replicaAckTimeoutMs,
      fenceKey: fenceKeyOf(spec.queue),
      onRefused: () => deps.refusals?.inc({ queue: spec.queue.name }),
    }),
  });
  const load = new LoadSampler(queueLoadSource(queue, redis, isConnected), {
    maxAgeMs: LOAD_SAMPLE_MAX_AGE_MS,
    timeoutMs: config.queue.enqueueTimeoutMs,
    now: deps.now,
  });
  const countsQueue = createCountsQueue(redis, spec.queue);
  countsQueue.on('error', () => undefined);
  return {
    name: spec.queue.name,
    queue,
    countsQueue,
    producer,
    load,
    redis,
    async close() {
      await queue.close();
      await countsQueue.close();
      if (acked) {
        await enqueueQueue.close();
        enqueueRedis.disconnect();
      }
      if (!shared) redis.disconnect();
    },
  };
}
