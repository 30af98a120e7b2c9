import { createHash, randomUUID } from 'node:crypto';
import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import type { Config } from '../config/env.ts';

/**
 * The queue of player erasures (docs/DATA-MODEL.md, "Erasing a player"): `DELETE
 * /v1/players/{id}` and `npm run erase` add a job, a worker runs it, and the job is its status.
 * The player id travels in the job only until the erasure is done: the finished job keeps its
 * SHA-256 alone.
 */

export const ERASURE_JOB_NAME = 'erase';

export interface ErasureJobData {
  /** Removed from the job once the erasure is done. */
  readonly player_id?: string;
  readonly player_sha256: string;
  /** Who asked: an API key's id, or `cli:<user>`. */
  readonly requested_by: string;
  readonly requested_at: string;
}

/** Where a running erasure's scan is: a retry of the job goes on from there. */
export interface ErasureProgress {
  readonly resume_token: string;
  readonly sessions: number;
  readonly facts: number;
}

export interface ErasureResult {
  readonly sessions: number;
  readonly facts: number;
  readonly completed_rows: number;
}

export type ErasureJob = Job<ErasureJobData, ErasureResult, typeof ERASURE_JOB_NAME>;
export type ErasuresQueue = Queue<ErasureJobData, ErasureResult, typeof ERASURE_JOB_NAME>;

/** How long a finished erasure's status can be read. */
export const ERASURE_STATUS_KEPT_SECONDS = 30 * 24 * 3600;

export function erasuresQueueName(config: Config['queue']): string {
  return `${config.name}-erasures`;
}

export function createErasuresQueue(
  connection: ConnectionOptions,
  config: Config['queue'],
): ErasuresQueue {
  return new Queue<ErasureJobData, ErasureResult, typeof ERASURE_JOB_NAME>(
    erasuresQueueName(config),
    {
      connection,
      prefix: config.prefix,
      defaultJobOptions: {
        attempts: 10,
        backoff: { type: 'exponential', delay: 5000 },
        removeOnComplete: { age: ERASURE_STATUS_KEPT_SECONDS },
        removeOnFail: { age: ERASURE_STATUS_KEPT_SECONDS },
      },
    },
  );
}

export function playerHash(playerId: string): string {
  return createHash('sha256').update(playerId, 'utf8').digest('hex');
}

/** Queues the erasure of a player; resolves to its job (the id is the erasure's id). */
export async function requestErasure(
  queue: Pick<ErasuresQueue, 'add'>,
  playerId: string,
  requestedBy: string,
  now: Date,
): Promise<ErasureJob> {
  return queue.add(
    ERASURE_JOB_NAME,
    {
      player_id: playerId,
      player_sha256: playerHash(playerId),
      requested_by: requestedBy,
      requested_at: now.toISOString(),
    },
    { jobId: `erasure-${randomUUID()}` },
  );
}

export type ErasureState = 'queued' | 'running' | 'done' | 'failed';

/** An erasure's status as the API and the CLI show it; undefined for an unknown id. */
export interface ErasureStatus {
  readonly erasure_id: string;
  readonly state: ErasureState;
  readonly player_sha256: string;
  readonly requested_at: string;
  readonly finished_at: string | null;
  readonly sessions: number | null;
  readonly facts: number | null;
  readonly completed_rows: number | null;
}

export async function erasureStatus(
  queue: Pick<ErasuresQueue, 'getJob'>,
  id: string,
): Promise<ErasureStatus | undefined> {
  const first = (await queue.getJob(id)) as ErasureJob | undefined;
  if (!first?.id) return undefined;
  const state = await first.getState();
  // The job read first may be the running one and the state read after it the finished one: its
  // result and end are then only in a fresh read (found by the erasure test, once in a while).
  const job =
    (state === 'completed' || state === 'failed') && !first.finishedOn
      ? (((await queue.getJob(id)) as ErasureJob | undefined) ?? first)
      : first;
  const result = state === 'completed' ? job.returnvalue : undefined;
  return {
    erasure_id: first.id,
    state:
      state === 'completed'
        ? 'done'
        : state === 'failed'
          ? 'failed'
          : state === 'active'
            ? 'running'
            : 'queued',
    player_sha256: job.data.player_sha256,
    requested_at: job.data.requested_at,
    finished_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    sessions: result?.sessions ?? null,
    facts: result?.facts ?? null,
    completed_rows: result?.completed_rows ?? null,
  };
}
