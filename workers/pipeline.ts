import type { Config } from '../src/config/env.ts';
import type { Logger } from '../src/observability/logger.ts';
import type { Registry } from '../src/observability/metrics.ts';
import type { CassandraClient } from '../src/storage/cassandra-client.ts';
import { CompletedSessions } from '../src/storage/completed-sessions.ts';
import { CountryHourly } from '../src/storage/country-hourly.ts';
import { Rollups } from '../src/storage/rollups.ts';
import { SessionFacts } from '../src/storage/session-facts.ts';
import { StartFacts } from '../src/storage/start-facts.ts';
import { createBatchProcessor, type BatchProcessor } from './batch-processor.ts';
import type { RollupScheduler } from './rollup/rollup-scheduler.ts';
import { createStartCountRollup } from './rollup/start-count-rollup.ts';

const STATEMENTS_PER_JOB = 16;
const NODES_PER_LEVEL = 32;

export interface Pipeline {
  readonly process: BatchProcessor;
  readonly rollups: RollupScheduler;
}

/** The batch processor and its rollup, over the repositories of one keyspace. */
export function createPipeline(
  config: Config,
  cassandra: CassandraClient,
  registry: Registry,
  logger: Logger,
  now: () => number = () => Date.now(),
): Pipeline {
  const ks = config.cassandra.keyspace;
  const retentionMs = config.events.retentionSeconds * 1000;
  const startFacts = new StartFacts(cassandra, ks);
  const rollups = createStartCountRollup(
    {
      startFacts,
      rollups: new Rollups(cassandra, ks),
      countryHourly: new CountryHourly(cassandra, ks),
      retentionMs,
      now,
      concurrency: NODES_PER_LEVEL,
      logger: logger.child({ module: 'rollup' }),
    },
    registry,
  );
  const process = createBatchProcessor({
    sessionFacts: new SessionFacts(cassandra, ks),
    startFacts,
    completedSessions: new CompletedSessions(cassandra, ks),
    rollups,
    retentionMs,
    now,
    logger: logger.child({ module: 'processor' }),
    registry,
    concurrency: STATEMENTS_PER_JOB,
  });
  return { process, rollups };
}
