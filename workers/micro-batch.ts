import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { SessionEvent } from '../src/domain/events.ts';
import { decide } from '../src/domain/pairing.ts';
import type { PartitionWrite } from '../src/storage/partition-writes.ts';
import type { SessionFacts } from '../src/storage/session-facts.ts';
import type { DirtyShards } from './rollup/dirty-seconds.ts';
import { decisionWrites, type DecisionDeps } from './steps/apply-decisions.ts';
import { recordWrites } from './steps/record-events.ts';

export interface MicroBatchDeps extends Omit<DecisionDeps, 'now' | 'shards'> {
  /** The keyspace's number of start-fact shards (read once from the keyspace). */
  readonly startShards: () => Promise<number>;
  readonly sessionFacts: Pick<SessionFacts, 'recordWrite' | 'views'>;
  /** Counts the changed seconds (workers/counts/): resolves once a rollup has. */
  readonly counting: { whenCounted(dirty: DirtyShards): Promise<void> };
  /** Sends writes in as few requests as the store allows (src/storage/partition-writes.ts). */
  readonly write: (writes: readonly PartitionWrite[]) => Promise<void>;
  readonly now: () => number;
  /** Reads of views in flight at once. */
  readonly concurrency: number;
  readonly logger: Logger;
  readonly registry: Registry;
}

/** The steps of a micro-batch, each measured on its own (batch_step_duration_seconds). */
type Step = 'record' | 'decide_apply' | 'rollup_wait';

/**
 * Processes the events of the jobs a worker holds together, in three steps (docs/DATA-MODEL.md,
 * "The write path"): 1 record the events and read the touched sessions back, 2 decide each
 * session from its view and apply the decision, 3 wait until the changed counts are rolled up.
 * Every write is idempotent and versioned, so a micro-batch that runs twice — or a killed
 * worker's jobs run again in other company — changes nothing more.
 */
export interface MicroBatch {
  /** Steps 1 and 2 for the events of the jobs held together; the seconds whose counts changed. */
  run(events: SessionEvent[]): Promise<DirtyShards>;
  /** Step 3, for each job once its micro-batch ran: until those seconds are rolled up. */
  waitForRollup(dirty: DirtyShards): Promise<void>;
}

export function createMicroBatch(deps: MicroBatchDeps): MicroBatch {
  const metrics = microBatchMetrics(deps.registry);

  async function timed<T>(step: Step, run: () => Promise<T>): Promise<T> {
    const stop = metrics.stepDuration.startTimer({ step });
    const result = await run();
    stop();
    return result;
  }

  async function run(events: SessionEvent[]): Promise<DirtyShards> {
    metrics.size.observe(events.length);
    const now = deps.now();
    const shards = await deps.startShards();
    const views = await timed('record', async () => {
      await deps.write(recordWrites(events, { ...deps, now }));
      const sessionIds = [...new Set(events.map((e) => e.sessionId))];
      return deps.sessionFacts.views(sessionIds, deps.concurrency);
    });

    return timed('decide_apply', async () => {
      const holdingStart = new Set(
        events.filter((e) => e.kind === 'start').map((e) => e.sessionId),
      );
      const out: { writes: PartitionWrite[]; dirty: DirtyShards } = {
        writes: [],
        dirty: new Map(),
      };
      for (const [sessionId, view] of views) {
        const decision = decide(sessionId, view);
        if (decision.anomaly) {
          metrics.anomalies.inc({ kind: decision.anomaly });
          deps.logger.info({ session_id: sessionId, anomaly: decision.anomaly }, 'session anomaly');
        }
        if (decision.conflicting) metrics.anomalies.inc({ kind: 'conflicting_duplicate' });
        decisionWrites(
          sessionId,
          decision,
          holdingStart.has(sessionId),
          { ...deps, now, shards },
          out,
        );
      }
      await deps.write(out.writes);
      return out.dirty;
    });
  }

  return {
    run,
    waitForRollup: (dirty) => timed('rollup_wait', () => deps.counting.whenCounted(dirty)),
  };
}

function microBatchMetrics(registry: Registry) {
  return {
    stepDuration: new Histogram({
      name: 'batch_step_duration_seconds',
      help: 'Time each step took that completed: record and decide_apply per micro-batch (the jobs a worker processes together), rollup_wait per job',
      labelNames: ['step'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    // How well the jobs a worker holds are grouped: the bigger, the cheaper each event.
    size: new Histogram({
      name: 'micro_batch_events',
      help: 'Events in each micro-batch (the jobs a worker processes together)',
      buckets: [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000],
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
