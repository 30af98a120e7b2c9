import type { Logger } from 'pino';
import type { SessionEvent } from '../../src/domain/events.ts';
import type { DirtyShards } from '../counts/dirty-seconds.ts';
import { decidePairs, type SessionDecision } from './decide-pairs.ts';
import type { PipelineMetrics } from './pipeline-metrics.ts';
import { recordFacts, type RecordFactsDeps } from './record-facts.ts';
import { writeSessions, type WriteSessionsDeps } from './write-sessions.ts';

export interface MicroBatchDeps
  extends
    Omit<RecordFactsDeps, 'now'>,
    Omit<WriteSessionsDeps, 'now' | 'shards' | 'completedSessions'> {
  /**
   * Read model 2 in each generation to write (src/storage/view-generations.ts), asked for once
   * the facts are read back, just before the writes: a rebuild's target is written by every
   * micro-batch that reads its sessions after the rebuild's setting reached the worker.
   */
  readonly completedSessions: () => Promise<WriteSessionsDeps['completedSessions']>;
  /** The keyspace's number of start-fact shards (read once from the keyspace). */
  readonly startShards: () => Promise<number>;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: Pick<PipelineMetrics, 'stepDuration' | 'microBatchSize' | 'anomalies'>;
}

/** The steps of a micro-batch, each measured on its own (batch_step_duration_seconds). */
type Step = 'record' | 'decide_apply';

/**
 * The write steps for the events of the jobs a worker holds together (docs/DATA-MODEL.md, "The
 * write path"): record the facts and read the sessions back, decide the pairs, write the completed
 * sessions and start facts. Resolves to the seconds whose counts changed, for the rollup. Every
 * write is idempotent and versioned, so a micro-batch that runs twice — or a killed worker's jobs
 * run again in other company — changes nothing more.
 */
export type MicroBatch = (events: SessionEvent[]) => Promise<DirtyShards>;

export function createMicroBatch(deps: MicroBatchDeps): MicroBatch {
  const { metrics } = deps;

  async function timed<T>(step: Step, run: () => Promise<T>): Promise<T> {
    const stop = metrics.stepDuration.startTimer({ step });
    const result = await run();
    stop();
    return result;
  }

  return async (events) => {
    metrics.microBatchSize.observe(events.length);
    const now = deps.now();
    const shards = await deps.startShards();
    const views = await timed('record', () => recordFacts(events, { ...deps, now }));
    return timed('decide_apply', async () => {
      const decisions = decidePairs(events, views);
      report(decisions);
      const completedSessions = await deps.completedSessions();
      return writeSessions(decisions, { ...deps, now, shards, completedSessions });
    });
  };

  function report(decisions: readonly SessionDecision[]): void {
    for (const { sessionId, decision } of decisions) {
      if (decision.anomaly) {
        metrics.anomalies.inc({ kind: decision.anomaly });
        deps.logger.info({ session_id: sessionId, anomaly: decision.anomaly }, 'session anomaly');
      }
      if (decision.conflicting) metrics.anomalies.inc({ kind: 'conflicting_duplicate' });
    }
  }
}
