import pMap from 'p-map';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { SessionEvent } from '../src/domain/events.ts';
import { decide, type Variant } from '../src/domain/pairing.ts';
import { isRetained } from '../src/domain/retention.ts';
import type { BatchJob } from '../src/queue/events-queue.ts';
import { decodeBatch } from './decode-batch.ts';
import { mergeDirty, type DirtySeconds } from './rollup/dirty-seconds.ts';
import type { RollupScheduler } from './rollup/rollup-scheduler.ts';
import { applyDecision, type ApplyDeps } from './steps/apply-decisions.ts';
import { recordEvents } from './steps/record-events.ts';
import type { SessionFacts } from '../src/storage/session-facts.ts';

export interface ProcessorDeps extends Omit<ApplyDeps, 'now'> {
  readonly sessionFacts: Pick<SessionFacts, 'record' | 'view'>;
  readonly rollupScheduler: Pick<RollupScheduler, 'whenCounted'>;
  readonly now: () => number;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Cassandra statements one job runs at once (STATEMENTS_PER_JOB). */
  readonly concurrency: number;
}

/**
 * Processes one batch job in three steps (docs/DATA-MODEL.md, "The write path"): 1 record the
 * events, 2 decide each touched session from its view and apply the decision, 3 wait until the
 * changed counts are rolled up. Every write is idempotent and
 * versioned, so a job that runs twice — or a killed worker's job run again — changes nothing more.
 */
export type BatchProcessor = (job: Pick<BatchJob, 'data'>) => Promise<void>;

export function createBatchProcessor(deps: ProcessorDeps): BatchProcessor {
  const metrics = processorMetrics(deps.registry);
  const log = deps.logger;

  async function timed<T>(step: Step, run: () => Promise<T>): Promise<T> {
    const stop = metrics.stepDuration.startTimer({ step });
    const result = await run();
    stop();
    return result;
  }

  async function decideAndApply(
    views: Map<string, Variant[]>,
    startsInBatch: ReadonlySet<string>,
    now: number,
  ): Promise<DirtySeconds> {
    const dirty: DirtySeconds = new Map();
    await pMap(
      views,
      async ([sessionId, view]) => {
        const decision = decide(sessionId, view);
        if (decision.anomaly) {
          metrics.anomalies.inc({ kind: decision.anomaly });
          log.info({ session_id: sessionId, anomaly: decision.anomaly }, 'session anomaly');
        }
        if (decision.conflicting) metrics.anomalies.inc({ kind: 'conflicting_duplicate' });
        const changed = await applyDecision(sessionId, decision, startsInBatch.has(sessionId), {
          ...deps,
          now,
        });
        mergeDirty(dirty, changed);
      },
      { concurrency: deps.concurrency },
    );
    return dirty;
  }

  return async (job) => {
    const now = deps.now();
    const { events: all, acceptedAt } = decodeBatch(job.data);
    // An event accepted long ago may have left the retention while its job waited or retried.
    const events = all.filter((e) => isRetained(e.ts, now, deps.retentionMs));
    metrics.expiredInQueue.inc(all.length - events.length);

    const views = await timed('record', () =>
      recordEvents(events, {
        sessionFacts: deps.sessionFacts,
        retentionMs: deps.retentionMs,
        now,
        concurrency: deps.concurrency,
      }),
    );
    const startsInBatch = new Set(events.filter((e) => e.kind === 'start').map((e) => e.sessionId));
    const dirty = await timed('decide_apply', () => decideAndApply(views, startsInBatch, now));
    await timed('rollup_wait', () => deps.rollupScheduler.whenCounted(dirty));

    countProcessed(metrics, events);
    metrics.endToEnd.observe((deps.now() - acceptedAt) / 1000);
  };
}

/** The steps of a batch, each measured on its own (batch_step_duration_seconds). */
type Step = 'record' | 'decide_apply' | 'rollup_wait';

function countProcessed(
  metrics: ReturnType<typeof processorMetrics>,
  events: readonly SessionEvent[],
): void {
  for (const e of events) metrics.processed.inc({ kind: e.kind });
}

function processorMetrics(registry: Registry) {
  return {
    // The job as a whole, by result, is measured by batch-job-handler.ts.
    stepDuration: new Histogram({
      name: 'batch_step_duration_seconds',
      help: 'Time one batch job spends in each step that completed: record (write and read back the facts), decide_apply, rollup_wait',
      labelNames: ['step'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
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
    anomalies: new Counter({
      name: 'session_anomalies_total',
      help: 'Sessions seen with an end before their start, halves of different players, or conflicting duplicates',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
  };
}
