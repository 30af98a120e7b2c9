import { Queue, type ConnectionOptions, type Job } from 'bullmq';
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

/**
 * The version of the job payload this release writes and the newest it reads (docs/DECISIONS.md,
 * "Versioned queue payloads"). A payload without `v` was written by 0.1.0 and is version 1. A
 * release reads every version up to its own, and writes only a version the previous release reads:
 * a job of a newer version than it knows is left waiting, never failed nor guessed at
 * (workers/pipeline/decode.ts). Version 1 is the tuple format below; 0.1.0 ignores the `v` field,
 * so it processes the payloads of this release exactly as its own.
 */
export const PAYLOAD_VERSION = 1;

export interface BatchJobData {
  /** The payload's version; absent on payloads written by 0.1.0 (= 1). */
  readonly v?: number;
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

/**
 * An outage fails the jobs of every worker at about the same moment; retried after the same
 * delays, they would all come back together and meet the recovering store as one burst, again and
 * again. With jitter each retry waits a random 50–100 % of its exponential step, which spreads them.
 */
export const BACKOFF_JITTER = 0.5;

export function createEventsQueue(
  connection: ConnectionOptions,
  config: Config['queue'],
): Queue<BatchJobData, void, typeof BATCH_JOB_NAME> {
  return new Queue<BatchJobData, void, typeof BATCH_JOB_NAME>(config.name, {
    connection,
    prefix: config.prefix,
    defaultJobOptions: {
      attempts: config.jobAttempts,
      backoff: { type: 'exponential', delay: config.backoffMs, jitter: BACKOFF_JITTER },
      // A done batch lives on as its small record (src/queue/batch-records.ts), not as its job;
      // failed ones are kept until replayed (npm run replay-failed) or removed in Bull Board.
      removeOnComplete: true,
      removeOnFail: false,
    },
  });
}
