import { POLICY, REDIS, SETTINGS } from './measured.ts';

export interface RedisInput {
  readonly eventsPerSecond: number;
  readonly eventsPerBatch: number;
  /** Rollup jobs (one per rollup, deduplicated per shard), spread over the same primaries. */
  readonly rollupJobsPerSecond: number;
  /** Given by --queues; chosen from capacity when undefined. */
  readonly queues: number | undefined;
  readonly keepDoneSeconds: number;
  readonly memoryBytesPerPrimary: number;
}

export interface RedisFigures {
  readonly batchesPerSecond: number;
  readonly addsPerSecond: number;
  readonly completionsPerSecond: number;
  readonly queuesForThroughput: number;
  readonly queuesForMemory: number;
  readonly queues: number;
  readonly chosen: boolean;
  /** The busier of adds and completions against a primary's measured capacity. */
  readonly utilisation: number;
  readonly doneRecordBytesPerPrimary: number;
  readonly backlogBytesPerPrimary: number;
}

/** Adds/s a primary may take: its measured capacity with the headroom POLICY keeps. */
export const ADDS_PER_PRIMARY = REDIS.addsPerSecond * POLICY.redisHeadroom;
export const COMPLETIONS_PER_PRIMARY = REDIS.completionsPerSecond * POLICY.redisHeadroom;

/**
 * One BullMQ job per batch (and per rollup) is one add and one completion on the primary of its
 * queue (hash of the batch id mod Q: even). Queues: enough primaries for the adds and completions
 * at POLICY.redisHeadroom, and for the done records of BATCH_KEEP_DONE_SECONDS (keyed: the larger
 * record) beside a full backlog of MAX_QUEUE_BACKLOG waiting batches, in the memory one may fill.
 */
export function redisFigures(input: RedisInput): RedisFigures {
  const batchesPerSecond = input.eventsPerSecond / input.eventsPerBatch;
  const adds = batchesPerSecond + input.rollupJobsPerSecond;
  const queuesForThroughput = Math.max(
    1,
    Math.ceil(adds / ADDS_PER_PRIMARY),
    Math.ceil(adds / COMPLETIONS_PER_PRIMARY),
  );
  const doneBytes = batchesPerSecond * input.keepDoneSeconds * REDIS.doneRecordBytesKeyed;
  const backlogBytes = SETTINGS.maxQueueBacklog * REDIS.waitingBatchBytes;
  const room = input.memoryBytesPerPrimary - backlogBytes;
  const queuesForMemory = room > 0 ? Math.max(1, Math.ceil(doneBytes / room)) : Infinity;
  const queues = input.queues ?? Math.max(queuesForThroughput, queuesForMemory);
  return {
    batchesPerSecond,
    addsPerSecond: adds,
    completionsPerSecond: adds,
    queuesForThroughput,
    queuesForMemory,
    queues,
    chosen: input.queues === undefined,
    utilisation: Math.max(
      adds / queues / REDIS.addsPerSecond,
      adds / queues / REDIS.completionsPerSecond,
    ),
    doneRecordBytesPerPrimary: doneBytes / queues,
    backlogBytesPerPrimary: backlogBytes,
  };
}
