import type { Config } from '../src/config/env.ts';
import type { Logger } from '../src/observability/logger.ts';
import type { Registry } from '../src/observability/metrics.ts';
import { everyNodeHoldsEverything, type CassandraClient } from '../src/storage/cassandra-client.ts';
import { CompletedSessionGenerations } from '../src/storage/completed-sessions.ts';
import { KeyspaceSettings } from '../src/storage/keyspace-settings.ts';
import { writeGrouped, type PartitionWrite } from '../src/storage/partition-writes.ts';
import { limitRequests, type StatementRunner } from '../src/storage/request-limit.ts';
import { scanFacts } from '../src/storage/fact-scan.ts';
import { PlayerErasure } from '../src/storage/player-erasure.ts';
import { SessionFacts } from '../src/storage/session-facts.ts';
import { StartCountGenerations } from '../src/storage/start-count-generations.ts';
import { StartFacts } from '../src/storage/start-facts.ts';
import { followGenerations, ViewGenerations } from '../src/storage/view-generations.ts';
import type { DirtyShards } from './counts/dirty-seconds.ts';
import { createStartCountRollup } from './counts/start-count-rollup.ts';
import type { ErasePlayerDeps } from './erasure/erase-player.ts';
import { createMicroBatch } from './pipeline/micro-batch.ts';
import { pipelineMetrics } from './pipeline/pipeline-metrics.ts';
import { createProcessBatch, type ProcessBatch } from './pipeline/process-batch.ts';
import {
  MAX_REQUESTS_IN_FLIGHT,
  MICRO_BATCH_LINGER_MS,
  MICRO_BATCH_QUIET_MS,
  MICRO_BATCH_MAX_EVENTS,
  MICRO_BATCHES_RUNNING,
  REQUESTS_PER_STEP,
  ROLLUP_REQUESTS_PER_LEVEL,
} from './tuning.ts';

/**
 * The write pipeline over the repositories of one keyspace, without a queue of its own: the
 * batch processing (decode → record facts → decide pairs → write completed sessions → roll up;
 * the job handler adds the last step, record done) and one shard's rollup, which the rollups'
 * queue runs (workers/counts/).
 */

function writerOf(config: Config, cassandra: CassandraClient, concurrency: number) {
  const client = limitRequests(cassandra, MAX_REQUESTS_IN_FLIGHT);
  const acrossPartitions = everyNodeHoldsEverything(cassandra, config.cassandra.replicationFactor);
  const write = (writes: readonly PartitionWrite[]) =>
    writeGrouped(client, writes, { concurrency, acrossPartitions });
  return { client, write };
}

/** A batch job through the pipeline, up to the rollup of its seconds. */
export function composeProcessBatch(
  config: Config,
  cassandra: CassandraClient,
  registry: Registry,
  logger: Logger,
  rollUp: (dirty: DirtyShards) => Promise<void>,
  now: () => number = () => Date.now(),
): ProcessBatch {
  const ks = config.cassandra.keyspace;
  const retentionMs = config.events.retentionSeconds * 1000;
  const { client, write } = writerOf(config, cassandra, REQUESTS_PER_STEP);
  const metrics = pipelineMetrics(registry);
  const completed = completedSessionGenerations(config, cassandra, client);
  const microBatch = createMicroBatch({
    sessionFacts: new SessionFacts(client, ks),
    startFacts: new StartFacts(client, ks),
    completedSessions: () => completed.writers(),
    startShards: new KeyspaceSettings(cassandra, ks).startShardsOnce(),
    write,
    retentionMs,
    now,
    concurrency: REQUESTS_PER_STEP,
    logger: logger.child({ module: 'micro-batch' }),
    metrics,
  });
  return createProcessBatch({
    microBatch,
    rollUp,
    retentionMs,
    now,
    logger: logger.child({ module: 'pipeline' }),
    metrics,
    lingerMs: MICRO_BATCH_LINGER_MS,
    quietMs: MICRO_BATCH_QUIET_MS,
    maxEvents: MICRO_BATCH_MAX_EVENTS,
    maxRunning: MICRO_BATCHES_RUNNING,
  });
}

/** Read model 2 in the generations the keyspace names (rebuilds change them, see ops/rebuild/). */
export function completedSessionGenerations(
  config: Config,
  cassandra: CassandraClient,
  client: StatementRunner = cassandra,
): CompletedSessionGenerations {
  return new CompletedSessionGenerations(
    client,
    config.cassandra.keyspace,
    followCompleted(config, cassandra),
  );
}

function followCompleted(config: Config, cassandra: CassandraClient) {
  return followGenerations(
    new ViewGenerations(cassandra, config.cassandra.keyspace),
    'completed-sessions',
    config.cassandra.generationsMaxAgeMs,
  );
}

/** One shard's rollup over the repositories of one keyspace (the rollups' job). */
export function composeRollUp(
  config: Config,
  cassandra: CassandraClient,
  registry: Registry,
  logger: Logger,
  now: () => number = () => Date.now(),
): (dirty: DirtyShards) => Promise<void> {
  const ks = config.cassandra.keyspace;
  const { client, write } = writerOf(config, cassandra, ROLLUP_REQUESTS_PER_LEVEL);
  // Every write generation of read model 1: two while a rebuild runs (ops/rebuild/).
  const counts = new StartCountGenerations(
    client,
    ks,
    followGenerations(
      new ViewGenerations(cassandra, ks),
      'start-counts',
      config.cassandra.generationsMaxAgeMs,
    ),
  );
  return createStartCountRollup(
    {
      startFacts: new StartFacts(client, ks),
      generations: () => counts.writers(),
      startShards: new KeyspaceSettings(cassandra, ks).startShardsOnce(),
      write,
      retentionMs: config.events.retentionSeconds * 1000,
      now,
      concurrency: ROLLUP_REQUESTS_PER_LEVEL,
      logger: logger.child({ module: 'rollup' }),
    },
    registry,
  );
}

/** What an erasure needs (workers/erasure/): the paced scan, the views, the deletions, the recount. */
export function composeErasure(
  config: Config,
  cassandra: CassandraClient,
  whenCounted: (dirty: DirtyShards) => Promise<void>,
): ErasePlayerDeps {
  const ks = config.cassandra.keyspace;
  const { client } = writerOf(config, cassandra, REQUESTS_PER_STEP);
  const facts = new SessionFacts(client, ks);
  const generations = followCompleted(config, cassandra);
  return {
    scan: (fromToken) =>
      scanFacts(client, ks, {
        ...(fromToken === undefined ? {} : { fromToken }),
        rowsPerSecond: config.worker.erasureScanRowsPerSecond,
      }),
    views: (ids) => facts.views(ids, REQUESTS_PER_STEP),
    erasure: new PlayerErasure(client, ks, new KeyspaceSettings(cassandra, ks).startShardsOnce()),
    whenCounted,
    completedGenerations: async () => (await generations()).write,
  };
}
