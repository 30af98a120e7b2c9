import { setTimeout as delay } from 'node:timers/promises';
import type { Config } from '../../src/config/env.ts';
import { tableOf, type RebuildableView } from '../../src/domain/generations.ts';
import {
  everyNodeHoldsEverything,
  type CassandraClient,
} from '../../src/storage/cassandra-client.ts';
import {
  COMPLETED_SESSIONS_TABLE,
  CompletedSessions,
  completedSessionsTableCql,
} from '../../src/storage/completed-sessions.ts';
import { scanFacts, type FactPage, type FactScanOptions } from '../../src/storage/fact-scan.ts';
import { KeyspaceSettings } from '../../src/storage/keyspace-settings.ts';
import { writeGrouped, type PartitionWrite } from '../../src/storage/partition-writes.ts';
import { limitRequests } from '../../src/storage/request-limit.ts';
import { SessionFacts } from '../../src/storage/session-facts.ts';
import { scanStartFacts, type StartFactPage } from '../../src/storage/start-fact-scan.ts';
import { startCountTableNames } from '../../src/storage/start-count-generations.ts';
import { ViewGenerations } from '../../src/storage/view-generations.ts';
import { CompletedPages } from './completed-pages.ts';
import { countPages } from './compose-counts.ts';
import type { RebuildCheckpoint } from './checkpoint.ts';
import { rebuildView, type RebuildDeps } from './run-rebuild.ts';

/** Requests one rebuild keeps in flight: a small share of what a worker may (1,024). */
const REBUILD_REQUESTS = 16;
const REQUEST_LIMIT = 64;
export interface RebuildOptions {
  readonly keyspace: string;
  readonly rowsPerSecond: number;
  readonly graceMs: number;
  readonly signal: AbortSignal;
  /** Facts per page of the scan (one checkpoint each); the scan's default when unset. */
  readonly pageRows?: number;
  readonly onProgress: RebuildDeps['onProgress'];
  readonly log: RebuildDeps['log'];
}

/**
 * Rebuilds one view of one keyspace (./run-rebuild.ts) over the real store. The settle time is
 * twice the age a process's view of the generations may have (GENERATIONS_MAX_AGE_MS) plus a
 * second: by then every process that reads or writes the view has read the new setting.
 */
export function runRebuild(
  config: Config,
  cassandra: CassandraClient,
  view: RebuildableView,
  options: RebuildOptions,
): Promise<RebuildCheckpoint> {
  const ks = options.keyspace;
  const client = limitRequests(cassandra, REQUEST_LIMIT);
  const acrossPartitions = everyNodeHoldsEverything(cassandra, config.cassandra.replicationFactor);
  const write = (writes: readonly PartitionWrite[]) =>
    writeGrouped(client, writes, { concurrency: REBUILD_REQUESTS, acrossPartitions });
  const retentionMs = config.events.retentionSeconds * 1000;
  const scanOptions = (fromToken: string): FactScanOptions => ({
    fromToken,
    rowsPerSecond: options.rowsPerSecond,
    signal: options.signal,
    ...(options.pageRows ? { pageRows: options.pageRows } : {}),
  });
  const common = {
    view,
    client: cassandra,
    generations: new ViewGenerations(cassandra, ks),
    settings: new KeyspaceSettings(cassandra, ks),
    settleMs: 2 * config.cassandra.generationsMaxAgeMs + 1000,
    graceMs: options.graceMs,
    now: Date.now,
    sleep: (ms: number) => delay(ms, undefined, { signal: options.signal }),
    onProgress: options.onProgress,
    log: options.log,
  };
  if (view === 'start-counts')
    return rebuildView<StartFactPage>({
      ...common,
      // Migration 0004 made both generations' tables.
      createCql: () => [],
      tables: (g) => startCountTableNames(ks, g),
      scan: (fromToken) => scanStartFacts(client, ks, scanOptions(fromToken)),
      pages: (target) =>
        countPages({
          client,
          keyspace: ks,
          target,
          write,
          startShards: new KeyspaceSettings(cassandra, ks).startShardsOnce(),
          retentionMs,
          now: Date.now,
        }),
    });
  const facts = new SessionFacts(client, ks);
  return rebuildView<FactPage & { rows: number }>({
    ...common,
    createCql: (g) => [completedSessionsTableCql(ks, g)],
    tables: (g) => [`${ks}.${tableOf(COMPLETED_SESSIONS_TABLE, g)}`],
    scan: async function* (fromToken) {
      for await (const page of scanFacts(client, ks, scanOptions(fromToken)))
        yield { ...page, rows: page.facts.length };
    },
    pages: (target) => {
      const pages = new CompletedPages({
        views: (ids) => facts.views(ids, REBUILD_REQUESTS),
        target: new CompletedSessions(client, ks, target),
        write,
        retentionMs,
        now: Date.now,
        concurrency: REBUILD_REQUESTS,
      });
      return {
        derive: (page) => pages.derive(page.facts),
        verify: (page) => pages.verify(page.facts),
      };
    },
  });
}
