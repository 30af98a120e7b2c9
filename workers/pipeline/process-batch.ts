import type { Logger } from 'pino';
import type { SessionEvent } from '../../src/domain/events.ts';
import type { BatchJob } from '../../src/queue/events-queue.ts';
import type { DirtyShards } from '../counts/dirty-seconds.ts';
import { classifyFailure } from '../jobs/classify-failure.ts';
import { decode } from './decode.ts';
import type { MicroBatch } from './micro-batch.ts';
import { MicroBatcher } from './micro-batcher.ts';
import type { PipelineMetrics } from './pipeline-metrics.ts';

export interface ProcessBatchDeps {
  /** Writes the events of one or several jobs together (./micro-batch.ts). */
  readonly microBatch: MicroBatch;
  /** Step "roll up": resolves once a rollup has counted the given seconds (workers/counts/). */
  readonly rollUp: (dirty: DirtyShards) => Promise<void>;
  readonly retentionMs: number;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: Pick<
    PipelineMetrics,
    'stepDuration' | 'endToEnd' | 'processed' | 'expiredInQueue'
  >;
  /** How long the first job of a micro-batch waits for company (MICRO_BATCH_LINGER_MS). */
  readonly lingerMs: number;
  /** …unless no other job came for this long (MICRO_BATCH_QUIET_MS). */
  readonly quietMs?: number;
  /** Events at which a micro-batch starts without waiting longer (MICRO_BATCH_MAX_EVENTS). */
  readonly maxEvents: number;
  /** Micro-batches writing and reading at once (MICRO_BATCHES_RUNNING). */
  readonly maxRunning: number;
}

/**
 * A batch job through the pipeline: decode it (dropping what left the retention), write its events
 * in a micro-batch shared with the other jobs this worker holds (so that their facts are written
 * and read back in a few requests, not a few per job), then wait for the rollup of the seconds
 * they changed. Resolves once the job's events are in both views.
 */
export type ProcessBatch = (job: Pick<BatchJob, 'data'>) => Promise<void>;

export function createProcessBatch(deps: ProcessBatchDeps): ProcessBatch {
  const { metrics } = deps;
  const batcher = new MicroBatcher<SessionEvent[], DirtyShards>(
    async (groups) => {
      try {
        return await deps.microBatch(groups.flat());
      } catch (err) {
        throw groups.length > 1 ? new SharedRunError(err) : err;
      }
    },
    {
      lingerMs: deps.lingerMs,
      quietMs: deps.quietMs,
      maxWeight: deps.maxEvents,
      maxRunning: deps.maxRunning,
    },
  );

  async function write(events: SessionEvent[]): Promise<DirtyShards> {
    try {
      return await batcher.submit(events, events.length);
    } catch (err) {
      if (!(err instanceof SharedRunError)) throw err;
      // An outage fails every job of the micro-batch, and each is retried. Anything else may be
      // one job's doing: each job runs once more alone, so that only that job fails.
      if (classifyFailure(err.cause).transient) throw err.cause;
      deps.logger.warn({ err: err.cause }, 'shared micro-batch failed; running its jobs alone');
      return deps.microBatch(events);
    }
  }

  return async (job) => {
    const { events, acceptedAt, expired } = decode(job.data, deps.now(), deps.retentionMs);
    metrics.expiredInQueue.inc(expired);
    if (events.length > 0) {
      const dirty = await write(events);
      const stop = metrics.stepDuration.startTimer({ step: 'rollup_wait' });
      await deps.rollUp(dirty);
      stop();
    }
    for (const e of events) metrics.processed.inc({ kind: e.kind });
    metrics.endToEnd.observe((deps.now() - acceptedAt) / 1000);
  };
}

/** A micro-batch of several jobs failed: which job caused it is not known yet. */
class SharedRunError extends Error {
  override readonly name = 'SharedRunError';
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}
