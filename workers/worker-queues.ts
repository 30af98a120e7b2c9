import type { Redis } from 'ioredis';
import type { Config } from '../src/config/env.ts';
import { onMainRedis, queueSpecs, type QueueSpec } from '../src/queue/queue-specs.ts';
import { createRedis, workerRedisOptions } from '../src/queue/redis-connections.ts';
import { fenceKeyOf, replicaAck, type ReplicaAck } from '../src/queue/replica-ack.ts';

/** One events queue's Redis as a worker process holds it. */
export interface WorkerQueue {
  readonly spec: QueueSpec;
  /** Retry-forever profile: the queue's worker, the rollups' adds. */
  readonly redis: Redis;
  /** Done records and count marks: the connection replica acknowledgements WAIT on. */
  readonly recordsRedis: Redis;
  readonly replicas: ReplicaAck | undefined;
  /** Closes the connections this opened (not the shared REDIS_URL one). */
  disconnect(): void;
}

/**
 * The connections to every events queue's Redis (src/queue/queue-specs.ts). The single queue of
 * the default configuration shares the process's REDIS_URL connection, as it always did.
 */
export function openWorkerQueues(
  config: Config,
  redis: Redis,
  onRedisError: (err: Error) => void,
): WorkerQueue[] {
  return queueSpecs(config).map((spec) => {
    const shared = onMainRedis(spec, config);
    const own = shared ? redis : createRedis(spec.target, workerRedisOptions(), onRedisError);
    // WAIT blocks the connection it runs on: with replica acks the done records are written on a
    // connection of their own, so that lock renewals and job fetches never wait behind it.
    const acked = config.redis.minReplicasAck > 0;
    const recordsRedis = acked ? createRedis(spec.target, workerRedisOptions(), onRedisError) : own;
    return {
      spec,
      redis: own,
      recordsRedis,
      replicas: replicaAck(recordsRedis, {
        minReplicas: config.redis.minReplicasAck,
        timeoutMs: config.redis.replicaAckTimeoutMs,
        fenceKey: fenceKeyOf(spec.queue),
      }),
      disconnect() {
        if (acked) recordsRedis.disconnect();
        if (!shared) own.disconnect();
      },
    };
  });
}
