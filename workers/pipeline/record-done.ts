import type { BatchRecords, DoneRecord } from '../../src/queue/batch-records.ts';
import type { BatchJob } from '../../src/queue/events-queue.ts';
import type { ReplicaAck } from '../../src/queue/replica-ack.ts';

export interface RecordDoneDeps {
  readonly records: Pick<BatchRecords, 'markDone'>;
  /** With REDIS_MIN_REPLICAS_ACK: confirms that replicas hold the done record. */
  readonly replicas: ReplicaAck | undefined;
}

/**
 * Step "record done": the batch's done record (src/queue/batch-records.ts), written before its job
 * completes and is removed, so that a batch without a job is always a done one; with replica acks,
 * held by the replicas before then too, so that no failover can keep the job's removal and lose
 * its record (docs/DECISIONS.md, Redis failover).
 */
export async function recordDone(
  job: Pick<BatchJob, 'id' | 'data'>,
  deps: RecordDoneDeps,
): Promise<void> {
  const markDone = () => deps.records.markDone(job.id ?? '', doneRecordOf(job.data));
  await (deps.replicas ? deps.replicas.confirm(markDone) : markDone());
}

/** What the contract's answers need of a done batch (its record). */
export function doneRecordOf(data: BatchJob['data']): DoneRecord {
  const { events, fingerprint, rejected } = data;
  return fingerprint === undefined
    ? { accepted: events.length }
    : { accepted: events.length, fingerprint, rejected: rejected ?? [] };
}
