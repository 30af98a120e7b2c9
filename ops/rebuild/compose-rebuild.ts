import { setTimeout as delay } from 'node:timers/promises';
import type { Config } from '../../src/config/env.ts';
import {
  everyNodeHoldsEverything,
  type CassandraClient,
} from '../../src/storage/cassandra-client.ts';
import { CompletedSessions } from '../../src/storage/completed-sessions.ts';
import { scanFacts } from '../../src/storage/fact-scan.ts';
import { KeyspaceSettings } from '../../src/storage/keyspace-settings.ts';
import { writeGrouped, type PartitionWrite } from '../../src/storage/partition-writes.ts';
import { limitRequests } from '../../src/storage/request-limit.ts';
import { SessionFacts } from '../../src/storage/session-facts.ts';
import { ViewGenerations } from '../../src/storage/view-generations.ts';
import { CompletedPages } from './completed-pages.ts';
import type { RebuildDeps } from './run-rebuild.ts';

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
 * A rebuild's dependencies over one keyspace. The settle time is twice the age a process's view
 * of the generations may have (GENERATIONS_MAX_AGE_MS) plus a second: by then every process that
 * reads or writes read model 2 has read the new setting.
 */
export function composeRebuild(
  config: Config,
  cassandra: CassandraClient,
  options: RebuildOptions,
): RebuildDeps {
  const ks = options.keyspace;
  const client = limitRequests(cassandra, REQUEST_LIMIT);
  const acrossPartitions = everyNodeHoldsEverything(cassandra, config.cassandra.replicationFactor);
  const write = (writes: readonly PartitionWrite[]) =>
    writeGrouped(client, writes, { concurrency: REBUILD_REQUESTS, acrossPartitions });
  const facts = new SessionFacts(client, ks);
  return {
    client: cassandra,
    keyspace: ks,
    generations: new ViewGenerations(cassandra, ks),
    settings: new KeyspaceSettings(cassandra, ks),
    scan: (fromToken) =>
      scanFacts(client, ks, {
        fromToken,
        rowsPerSecond: options.rowsPerSecond,
        signal: options.signal,
        ...(options.pageRows ? { pageRows: options.pageRows } : {}),
      }),
    pages: (target) =>
      new CompletedPages({
        views: (ids) => facts.views(ids, REBUILD_REQUESTS),
        target: new CompletedSessions(client, ks, target),
        write,
        retentionMs: config.events.retentionSeconds * 1000,
        now: Date.now,
        concurrency: REBUILD_REQUESTS,
      }),
    settleMs: 2 * config.cassandra.generationsMaxAgeMs + 1000,
    graceMs: options.graceMs,
    now: Date.now,
    sleep: (ms) => delay(ms, undefined, { signal: options.signal }),
    onProgress: options.onProgress,
    log: options.log,
  };
}
