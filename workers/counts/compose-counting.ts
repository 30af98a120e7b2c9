import { QueueEvents, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../src/config/env.ts';
import { CountMarks } from '../../src/queue/count-marks.ts';
import type { ReplicaAck } from '../../src/queue/replica-ack.ts';
import {
  COUNTS_JOB_NAME,
  countsQueueName,
  createCountsQueue,
  type CountsJobData,
  type CountsJobResult,
} from '../../src/queue/counts-queue.ts';
import type { DirtyShards } from './dirty-seconds.ts';
import { coalesceRequests } from './coalesced-requests.ts';
import { createCountRequests } from './count-requests.ts';
import { CountedWaiter } from './counted-waiter.ts';
import { createCountsJobHandler } from './counts-job-handler.ts';

export interface CountingDeps {
  /** A connection of the worker's (retry-forever profile) for the queue's adds. */
  readonly redis: Redis;
  /** The connection the marks are written on: the one replica acknowledgements WAIT on. */
  readonly marksRedis: Redis;
  readonly replicas: ReplicaAck | undefined;
  /** Options for the connections BullMQ makes itself (the events listener, the rollups' worker). */
  readonly connection: ConnectionOptions;
  readonly queue: Config['queue'];
  /** Recounts the given seconds and the tree above them. */
  readonly rollUp: (dirty: DirtyShards) => Promise<void>;
  readonly intervalMs: number;
  /** How long the first request waits for the others of its micro-batch (ROLLUP_LINGER_MS). */
  readonly lingerMs: number;
  readonly timeoutMs: number;
  /** Rollups of different shards this process runs at once. */
  readonly concurrency: number;
  readonly workerName: string;
}

export interface Counting {
  /** Resolves once a rollup has counted the given seconds (the micro-batch's last step). */
  whenCounted(dirty: DirtyShards): Promise<void>;
  /** Stops taking rollups (those running finish). */
  pause(): Promise<void>;
  /** Starts taking rollups (held back until the schema is known to be there). */
  resume(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Counting in a worker process: the side that asks for rollups and waits for them, and the side
 * that runs them (a BullMQ worker on the rollups' queue). Every worker process has both; which one
 * runs a given shard's rollup is BullMQ's choice, one at a time per shard.
 */
export async function composeCounting(deps: CountingDeps): Promise<Counting> {
  const marks = new CountMarks(
    deps.marksRedis,
    `${deps.queue.prefix}:${countsQueueName(deps.queue)}`,
  );
  const queue = createCountsQueue(deps.connection, deps.queue);
  queue.on('error', () => undefined); // the connection's own listener reports it
  const events = new QueueEvents(countsQueueName(deps.queue), {
    connection: deps.connection,
    prefix: deps.queue.prefix,
  });
  events.on('error', () => undefined);
  await events.waitUntilReady();
  const waiter = new CountedWaiter(events, deps.timeoutMs);
  const worker = new Worker<CountsJobData, CountsJobResult, typeof COUNTS_JOB_NAME>(
    countsQueueName(deps.queue),
    createCountsJobHandler({ marks, rollUp: deps.rollUp }),
    {
      connection: deps.connection,
      prefix: deps.queue.prefix,
      name: deps.workerName,
      concurrency: deps.concurrency,
      autorun: false,
    },
  );
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  const requests = createCountRequests({
    marks,
    queue,
    waiter,
    replicas: deps.replicas,
    intervalMs: deps.intervalMs,
  });
  // The jobs of one micro-batch finish together and ask for the same seconds: one round for all.
  const whenCounted = coalesceRequests((dirty) => requests.whenCounted(dirty), deps.lingerMs);
  return {
    whenCounted,
    pause: () => worker.pause(true),
    resume: () => worker.resume(),
    async close() {
      await worker.close();
      waiter.close();
      await events.close();
      await queue.close();
    },
  };
}
