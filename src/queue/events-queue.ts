import os from 'node:os';
import { Queue, Worker, type ConnectionOptions, type Job, type WorkerOptions } from 'bullmq';
import type { Config } from '../config/env.ts';
import type { SessionEvent } from '../domain/events.ts';

/**
 * The queue between the API and the workers: one job per accepted batch, its id the batch id.
 * Job data stays JSON-readable (Bull Board shows it) and compact: one tuple per event.
 */

export const BATCH_JOB_NAME = 'batch';

/** [kind, session_id, player_id, ts (epoch ms), country ('' on an end)] */
export type WireEvent = readonly [
  kind: 'start' | 'end',
  sessionId: string,
  playerId: string,
  ts: number,
  country: string,
];

export interface BatchJobData {
  readonly events: readonly WireEvent[];
  /** When the API accepted the batch (epoch ms); the worker measures end-to-end latency from it. */
  readonly acceptedAt: number;
  /** With an Idempotency-Key: a hash of the request body, and what the request was told. */
  readonly fingerprint?: string;
  readonly rejected?: readonly { index: number; code: string; message: string; field?: string }[];
}

export type BatchJob = Job<BatchJobData, void, typeof BATCH_JOB_NAME>;

export function toWire(event: SessionEvent): WireEvent {
  return [event.kind, event.sessionId, event.playerId, event.ts, event.country ?? ''];
}

export function fromWire([kind, sessionId, playerId, ts, country]: WireEvent): SessionEvent {
  return { kind, sessionId, playerId, ts, country: kind === 'start' ? country : undefined };
}

export function createEventsQueue(
  connection: ConnectionOptions,
  config: Config['queue'],
): Queue<BatchJobData, void, typeof BATCH_JOB_NAME> {
  return new Queue<BatchJobData, void, typeof BATCH_JOB_NAME>(config.name, {
    connection,
    prefix: config.prefix,
    defaultJobOptions: {
      attempts: config.jobAttempts,
      backoff: { type: 'exponential', delay: config.backoffMs },
      // Done batches stay visible to GET /v1/batches/{id} for at least this long; failed ones are
      // kept until replayed (npm run replay-failed) or removed by hand in Bull Board.
      removeOnComplete: { age: config.keepDoneSeconds },
      removeOnFail: false,
    },
  });
}

export function createEventsWorker(
  connection: ConnectionOptions,
  config: Config,
  processor: (job: BatchJob, token?: string) => Promise<void>,
  options: Partial<WorkerOptions> = {},
): Worker<BatchJobData, void, typeof BATCH_JOB_NAME> {
  return new Worker<BatchJobData, void, typeof BATCH_JOB_NAME>(config.queue.name, processor, {
    connection,
    prefix: config.queue.prefix,
    // Shown in Bull Board and kept on each job (processedBy): which process handled a batch.
    name: `${os.hostname()}:${process.pid}`,
    concurrency: config.worker.concurrency,
    lockDuration: config.worker.lockDurationMs,
    stalledInterval: config.worker.stalledIntervalMs,
    // A killed worker's jobs come back as stalled; many kills in a row must not fail them for good.
    maxStalledCount: config.worker.maxStalledCount,
    autorun: true,
    ...options,
  });
}
