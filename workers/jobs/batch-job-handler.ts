import { DelayedError, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import { UnknownRecordVersionError, type BatchRecords } from '../../src/queue/batch-records.ts';
import type { BatchJob } from '../../src/queue/events-queue.ts';
import type { ProcessBatch } from '../pipeline/process-batch.ts';
import { recordDone, type RecordDoneDeps } from '../pipeline/record-done.ts';
import { classifyFailure, RETRIED, type FailureReason } from './classify-failure.ts';
import type { SchemaGuard } from './schema-guard.ts';

export interface JobHandlerDeps extends RecordDoneDeps {
  /** Writes the done record, and reads it: a keyed job whose batch is done is not run again. */
  readonly records: Pick<BatchRecords, 'markDone' | 'read'>;
  /** Decode, write, roll up: the pipeline up to its last step (workers/pipeline/). */
  readonly processBatch: ProcessBatch;
  readonly guard: Pick<SchemaGuard, 'confirmMissing'>;
  readonly logger: Logger;
  /** The process's (jobHandlerMetrics), shared by the handlers of every queue. */
  readonly metrics: JobHandlerMetrics;
  /** How long a job that met a missing schema waits before it is offered again. */
  readonly schemaRecheckMs: number;
  /** How long a job of a newer payload version waits before this worker sees it again. */
  readonly newerPayloadDelayMs: number;
}

/** What the handler uses of a BullMQ job. */
export type HandledJob = Pick<BatchJob, 'id' | 'data' | 'attemptsMade' | 'opts' | 'moveToDelayed'>;

/** What became of one run of a job: `retry` and `requeued` ones run again, later. */
type JobResult = 'done' | 'retry' | 'failed' | 'requeued' | 'already_done';

/**
 * Runs one batch job through the pipeline, records it done, and sorts its failure (./classify-failure.ts): a missing schema pauses
 * the worker and gives the job back without spending an attempt; a job of a newer payload version
 * (a rolling upgrade) goes back to wait for a newer worker, also without spending one; an outage is thrown on, for
 * BullMQ to retry with backoff; anything else fails the job at once (BullMQ's UnrecoverableError),
 * logged with its batch id and counted, since every further attempt would fail the same way.
 */
export function createBatchJobHandler(
  deps: JobHandlerDeps,
): (job: HandledJob, token?: string) => Promise<void> {
  const { metrics } = deps;
  return async (job, token) => {
    const stopTimer = metrics.duration.startTimer();
    const finish = (result: JobResult) => stopTimer({ result });
    try {
      if (await alreadyDone(job, deps)) {
        finish('already_done');
        deps.logger.info({ batch_id: job.id }, 'batch already done; this job of its key dropped');
        return;
      }
      await deps.processBatch(job);
      await recordDone(job, deps);
      finish('done');
    } catch (err) {
      const failure = classifyFailure(err);
      if (failure.reason === 'schema_missing' && (await deps.guard.confirmMissing(err, job.id))) {
        finish('requeued');
        // Nothing is wrong with the batch: back to the queue, without spending an attempt, until
        // the schema is back.
        await job.moveToDelayed(Date.now() + deps.schemaRecheckMs, token);
        throw new DelayedError();
      }
      if (failure.reason === 'newer_payload') {
        // A newer release's job (a rolling upgrade): left waiting for one of its workers, without
        // spending an attempt — never failed, never read as this release's format.
        metrics.failures.inc({ reason: failure.reason, result: 'requeued' });
        finish('requeued');
        deps.logger.warn(
          { batch_id: job.id, err: messageOf(err) },
          'batch written by a newer release; left waiting for a worker that reads it',
        );
        await job.moveToDelayed(Date.now() + deps.newerPayloadDelayMs, token);
        throw new DelayedError();
      }
      if (failure.transient) {
        const result = job.attemptsMade + 1 >= (job.opts.attempts ?? 1) ? 'failed' : 'retry';
        metrics.failures.inc({ reason: failure.reason, result });
        finish(result);
        throw err;
      }
      metrics.failures.inc({ reason: failure.reason, result: 'failed' });
      finish('failed');
      deps.logger.error(
        { batch_id: job.id, reason: failure.reason, attempt: job.attemptsMade + 1, err },
        'batch failed for good, not retried: running it again would fail the same way',
      );
      throw new UnrecoverableError(`${failure.reason}: ${messageOf(err)}`);
    }
  };
}

/**
 * A keyed batch's job added after the batch's first job had completed and gone (the API read no
 * record, then the first job finished, then the add made a new job): the record says the batch is
 * done, and the client was told what the record says (src/api/ingest/batch-producer.ts), so this
 * job's events — another body, or the same one again — are not written. A redelivered job whose
 * record was written before it could complete is done too. A record of a newer release counts.
 */
async function alreadyDone(
  job: Pick<BatchJob, 'id' | 'data'>,
  deps: Pick<JobHandlerDeps, 'records' | 'replicas'>,
): Promise<boolean> {
  const id = job.id;
  if (job.data.fingerprint === undefined || id === undefined) return false;
  const held = () =>
    deps.records.read(id).then(
      (record) => record !== undefined,
      (err: unknown) => {
        if (err instanceof UnknownRecordVersionError) return true;
        throw err;
      },
    );
  if (!(await held())) return false;
  // As for a record this job writes (../pipeline/record-done.ts): the replicas hold it before the
  // job completes and goes.
  if (deps.replicas) await deps.replicas.confirm(held);
  return true;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export type JobHandlerMetrics = ReturnType<typeof jobHandlerMetrics>;

/** The handlers' metrics, registered once per process. */
export function jobHandlerMetrics(registry: Registry) {
  const metrics = {
    duration: new Histogram({
      name: 'batch_processing_duration_seconds',
      help: 'Time a worker spends on one run of a batch job, by result (done, retry, failed, requeued, already_done)',
      labelNames: ['result'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    failures: new Counter({
      name: 'batch_job_failures_total',
      help: 'Failed runs of batch jobs, by reason and by result (retry: attempted again later; failed: kept as failed; requeued: back to the queue without spending an attempt)',
      labelNames: ['reason', 'result'] as const,
      registers: [registry],
    }),
  };
  // Every label set a run can produce starts at 0 (a healthy worker's panels show 0, not "No
  // data"): a retried reason fails with retry or failed, any other only with failed; a newer
  // release's job is only ever requeued.
  for (const [reason, retried] of Object.entries(RETRIED) as [FailureReason, boolean][])
    for (const result of reason === 'newer_payload'
      ? ['requeued']
      : retried
        ? ['retry', 'failed']
        : ['failed'])
      metrics.failures.inc({ reason, result }, 0);
  return metrics;
}
