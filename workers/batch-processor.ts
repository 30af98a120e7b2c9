import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { SessionEvent } from '../src/domain/events.ts';
import { isRetained } from '../src/domain/retention.ts';
import type { BatchJob } from '../src/queue/events-queue.ts';
import { classifyFailure } from './classify-failure.ts';
import { decodeBatch } from './decode-batch.ts';
import type { MicroBatch } from './micro-batch.ts';
import { MicroBatcher } from './micro-batcher.ts';
import type { DirtyShards } from './rollup/dirty-seconds.ts';

export interface ProcessorDeps {
  /** Processes the events of one or several jobs together (workers/micro-batch.ts). */
  readonly microBatch: MicroBatch;
  readonly retentionMs: number;
  readonly now: () => number;
  readonly logger: Logger;
  readonly registry: Registry;
  /** How long the first job of a micro-batch waits for company (MICRO_BATCH_LINGER_MS). */
  readonly lingerMs: number;
  /** Events at which a micro-batch starts without waiting longer (MICRO_BATCH_MAX_EVENTS). */
  readonly maxEvents: number;
  /** Micro-batches writing and reading at once (MICRO_BATCHES_RUNNING). */
  readonly maxRunning: number;
}

/**
 * Processes one batch job: decodes it, drops what left the retention, and hands its events to a
 * micro-batch shared with the other jobs this worker holds (so that their facts are written and
 * read back in a few requests, not a few per job). The job completes when its micro-batch has.
 */
export type BatchProcessor = (job: Pick<BatchJob, 'data'>) => Promise<void>;

export function createBatchProcessor(deps: ProcessorDeps): BatchProcessor {
  const metrics = processorMetrics(deps.registry);
  const batcher = new MicroBatcher<SessionEvent[], DirtyShards>(
    async (groups) => {
      try {
        return await deps.microBatch.run(groups.flat());
      } catch (err) {
        throw groups.length > 1 ? new SharedRunError(err) : err;
      }
    },
    { lingerMs: deps.lingerMs, maxWeight: deps.maxEvents, maxRunning: deps.maxRunning },
  );

  async function run(events: SessionEvent[]): Promise<void> {
    let dirty: DirtyShards;
    try {
      dirty = await batcher.submit(events, events.length);
    } catch (err) {
      if (!(err instanceof SharedRunError)) throw err;
      // An outage fails every job of the micro-batch, and each is retried. Anything else may be
      // one job's doing: each job runs once more alone, so that only that job fails.
      if (classifyFailure(err.cause).transient) throw err.cause;
      deps.logger.warn({ err: err.cause }, 'shared micro-batch failed; running its jobs alone');
      dirty = await deps.microBatch.run(events);
    }
    await deps.microBatch.waitForRollup(dirty);
  }

  return async (job) => {
    const now = deps.now();
    const { events: all, acceptedAt } = decodeBatch(job.data);
    // An event accepted long ago may have left the retention while its job waited or retried.
    const events = all.filter((e) => isRetained(e.ts, now, deps.retentionMs));
    metrics.expiredInQueue.inc(all.length - events.length);
    if (events.length > 0) await run(events);

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

function processorMetrics(registry: Registry) {
  return {
    // The job as a whole, by result, is measured by batch-job-handler.ts; its steps by micro-batch.ts.
    endToEnd: new Histogram({
      name: 'batch_end_to_end_seconds',
      help: 'Time from the 202 for a batch to the moment its events are in both views',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    processed: new Counter({
      name: 'events_processed_total',
      help: 'Events written to the views, by kind (a retried job counts again)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    expiredInQueue: new Counter({
      name: 'events_expired_in_queue_total',
      help: 'Accepted events dropped because they left the retention before a worker got to them',
      registers: [registry],
    }),
  };
}
