import { randomUUID } from 'node:crypto';
import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import type { Config } from '../config/env.ts';

/**
 * The queue of rollups (docs/DATA-MODEL.md, "Who counts"): the events queue's workers write facts,
 * mark the seconds they changed (src/queue/count-marks.ts) and ask for their shard to be counted
 * with a job here. Jobs of one shard are deduplicated, so at most one rollup of a shard runs at a
 * time in the whole cluster, with at most one more waiting: every shard's counts have one owner
 * at any moment, whichever worker runs it, and a hot shard is recounted once per rollup however
 * many workers write its facts.
 */

export const COUNTS_JOB_NAME = 'count';

export interface CountsJobData {
  readonly shard: number;
}

/** What a finished rollup tells the workers waiting on it (QueueEvents' `completed`). */
export interface CountsJobResult {
  readonly shard: number;
  /** Every mark of the shard numbered up to this one was counted by this rollup. */
  readonly through: number;
}

export type CountsJob = Job<CountsJobData, CountsJobResult, typeof COUNTS_JOB_NAME>;
export type CountsQueue = Queue<CountsJobData, CountsJobResult, typeof COUNTS_JOB_NAME>;

/** The rollups' queue beside an events queue: same Redis, same prefix. */
export function countsQueueName(config: Config['queue']): string {
  return `${config.name}-counts`;
}

export function createCountsQueue(
  connection: ConnectionOptions,
  config: Config['queue'],
): CountsQueue {
  return new Queue<CountsJobData, CountsJobResult, typeof COUNTS_JOB_NAME>(
    countsQueueName(config),
    {
      connection,
      prefix: config.prefix,
      defaultJobOptions: {
        // A failed rollup leaves its marks in place: the next one counts them, and the jobs that
        // waited on it are failed and retried (workers/counts/counted-waiter.ts).
        attempts: 1,
        removeOnComplete: true,
        removeOnFail: true,
      },
    },
  );
}

/**
 * A rollup job's id names its shard, so that a `failed` event — which carries the job id and not
 * its data — tells which shard's waiters to fail.
 */
export function countsJobId(shard: number): string {
  return `shard-${shard}-${randomUUID()}`;
}

export function shardOfCountsJob(jobId: string): number | undefined {
  const match = /^shard-(\d+)-/.exec(jobId);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The deduplication id of a shard's rollups: one active and one waiting at most. */
export function countsDeduplicationId(shard: number): string {
  return `shard-${shard}`;
}
