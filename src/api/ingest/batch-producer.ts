import { createHash, randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { v5 as uuidv5 } from 'uuid';
import type { RejectedEvent } from '../../domain/event-validation.ts';
import type { SessionEvent } from '../../domain/events.ts';
import { withTimeout } from '../../runtime/timeout.ts';
import { UnknownRecordVersionError, type BatchRecords } from '../../queue/batch-records.ts';
import type { ReplicaAck } from '../../queue/replica-ack.ts';
import {
  BATCH_JOB_NAME,
  PAYLOAD_VERSION,
  toWire,
  type BatchJobData,
} from '../../queue/events-queue.ts';

/** Redis did not take the batch in time (down, unreachable, or too slow): nothing was accepted. */
export class QueueUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the queue cannot take the batch right now', { cause });
    this.name = 'QueueUnavailableError';
  }
}

/** An Idempotency-Key came back with a different body than the first time. */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly batchId: string) {
    super('this Idempotency-Key was already used for a different request body');
    this.name = 'IdempotencyKeyReusedError';
  }
}

export type BatchState = 'queued' | 'processing' | 'done' | 'failed';

export interface EnqueuedBatch {
  readonly batchId: string;
  readonly accepted: number;
  readonly rejected: readonly RejectedEvent[];
}

/** Every batch id is a UUID, random or derived from an Idempotency-Key, in its canonical form. */
const BATCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Namespace of the name-based (v5) batch ids derived from Idempotency-Keys.
const IDEMPOTENCY_NAMESPACE = '6f1d7c1e-3b7a-5c55-9a51-2d1b8f0e4a77';

type EventsQueue = Queue<BatchJobData, void, typeof BATCH_JOB_NAME>;

/** What a request with an Idempotency-Key was told, and the body it was told it for. */
interface Told {
  readonly accepted: number;
  readonly fingerprint?: string | undefined;
  readonly rejected?: readonly RejectedEvent[] | undefined;
}

/**
 * Puts accepted batches on the queue, one job per batch, the job id being the batch id, and says
 * where a batch is: from its job while it has one, from its done record (src/queue/batch-records.ts)
 * once it is done and its job is gone. With an Idempotency-Key the batch id is derived from the
 * key, so a repeated request names the same batch and is not added again; the request's
 * fingerprint (a hash of its body) is kept with the batch, so a repeat with another body is refused
 * instead of silently answered with the first one.
 *
 * Every answer is made of what one piece of work read and wrote in Redis; with replica
 * acknowledgement (src/queue/replica-ack.ts) it is given only once enough replicas hold all of
 * that, whether this request wrote it (a new batch) or an earlier one did (a repeat answered from
 * the batch's job or record, a status): a failover cannot take back what a client was told. The
 * job and the record are read on the connection the batches are added on, the one the
 * acknowledgement is asked on.
 */
export class BatchProducer {
  constructor(
    private readonly queue: EventsQueue,
    private readonly records: Pick<BatchRecords, 'read'>,
    private readonly options: {
      timeoutMs: number;
      isConnected: () => boolean;
      /** Confirms that replicas hold what a piece of work read and wrote. */
      replicas?: ReplicaAck | undefined;
    },
  ) {}

  async enqueue(request: {
    /** From batchIdFor: random, or derived from the request's Idempotency-Key. */
    batchId: string;
    /** The request had an Idempotency-Key: the batch keeps its fingerprint and its answer. */
    keyed: boolean;
    events: readonly SessionEvent[];
    rejected: readonly RejectedEvent[];
    body: Buffer;
    acceptedAt: number;
  }): Promise<EnqueuedBatch> {
    const { batchId } = request;
    const fingerprint = request.keyed ? fingerprintOf(request.body) : undefined;
    const data: BatchJobData = {
      v: PAYLOAD_VERSION,
      events: request.events.map(toWire),
      acceptedAt: request.acceptedAt,
      ...(fingerprint === undefined ? {} : { fingerprint, rejected: request.rejected }),
    };
    const told = await this.confirmed(async () => {
      // A repeat of a batch that is done has no job any more: adding one would run the batch again.
      if (fingerprint !== undefined) {
        const done = await this.records.read(batchId);
        if (done) return done;
      }
      await this.queue.add(BATCH_JOB_NAME, data, { jobId: batchId });
      if (fingerprint === undefined) return undefined;
      // The record first: the first job may have completed and gone between the read above and
      // the add, which then made a job of this body. That first job wrote its record before it
      // went, so the record is there now and is what this key was first told (the worker drops
      // the new job: workers/jobs/batch-job-handler.ts).
      return (await this.records.read(batchId)) ?? (await this.toldOf(batchId));
    });
    if (told && fingerprint !== undefined) return answer(batchId, told, fingerprint);
    return { batchId, accepted: request.events.length, rejected: request.rejected };
  }

  /**
   * What an earlier request with this Idempotency-Key (its batch id) and body was told, or
   * undefined when no such batch is known: for answering a repeat without adding anything (while
   * the queue is full).
   */
  async repeatOf(request: { batchId: string; body: Buffer }): Promise<EnqueuedBatch | undefined> {
    const { batchId } = request;
    const told = await this.confirmed(() => this.toldOf(batchId));
    return told && answer(batchId, told, fingerprintOf(request.body));
  }

  /** Where a batch is, or undefined when no such batch is known (never was, or expired). */
  async status(batchId: string): Promise<{ state: BatchState; accepted: number } | undefined> {
    // Only batch ids name batches: other keys under the queue's prefix (`stalled-check`, ...)
    // are BullMQ's own, and must never be read as a job.
    if (!BATCH_ID.test(batchId)) return undefined;
    return this.confirmed(async () => {
      const job = await this.queue.getJob(batchId);
      // A job may complete and go between the two reads: its state is then unknown, its record there.
      const state = job && STATES[await job.getState()];
      if (job && state) return { state, accepted: job.data.events.length };
      const done = await this.records.read(batchId);
      return done && { state: 'done' as const, accepted: done.accepted };
    });
  }

  /**
   * What the request that made this batch was told: from its job, or from its record once it is
   * done (the worker writes the record before the job completes and goes).
   */
  private async toldOf(batchId: string): Promise<Told | undefined> {
    const job = await this.queue.getJob(batchId);
    if (!job) return this.records.read(batchId);
    const { events, fingerprint, rejected } = job.data;
    return { accepted: events.length, fingerprint, rejected };
  }

  /** `work`, within the enqueue timeout, and with replica acknowledgement when that is on. */
  private confirmed<T>(work: () => Promise<T>): Promise<T> {
    const replicas = this.options.replicas;
    return this.withinTimeout(() => (replicas ? replicas.confirm(work) : work()));
  }

  private async withinTimeout<T>(operation: () => Promise<T>): Promise<T> {
    // Fail fast while disconnected: the API profile refuses commands then anyway, but BullMQ
    // first waits for its connection to become ready.
    if (!this.options.isConnected())
      throw new QueueUnavailableError(new Error('redis is not connected'));
    try {
      return await withTimeout(operation(), this.options.timeoutMs);
    } catch (err) {
      // A newer release's record is no outage: the client is told so (src/api/middleware/error-handler.ts).
      if (err instanceof QueueUnavailableError || err instanceof UnknownRecordVersionError)
        throw err;
      throw new QueueUnavailableError(err);
    }
  }
}

function answer(batchId: string, told: Told, fingerprint: string): EnqueuedBatch {
  if (told.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(batchId);
  return { batchId, accepted: told.accepted, rejected: told.rejected ?? [] };
}

/**
 * A new batch's id: random, or with an Idempotency-Key a name-based UUID of the key (scoped to the
 * API key's id), so that a repeat names the same batch — and lands on the same queue
 * (src/queue/queue-routing.ts). Without a scope (auth off) the id is the key's alone, as before
 * keys were scoped.
 */
export function batchIdFor(idempotencyKey: string | undefined, scope?: string): string {
  if (idempotencyKey === undefined) return randomUUID();
  const name = scope === undefined ? idempotencyKey : `${scope}\n${idempotencyKey}`;
  return uuidv5(name, IDEMPOTENCY_NAMESPACE);
}

const fingerprintOf = (body: Buffer) => createHash('sha256').update(body).digest('base64url');

const STATES: Record<string, BatchState | undefined> = {
  waiting: 'queued',
  'waiting-children': 'queued',
  prioritized: 'queued',
  delayed: 'queued', // waiting for a retry after a failed attempt
  active: 'processing',
  completed: 'done', // kept by a version that kept whole jobs (docs/DECISIONS.md)
  failed: 'failed',
};
