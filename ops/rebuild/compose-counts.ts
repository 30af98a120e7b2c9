import { CountSeconds } from '../../src/storage/count-seconds.ts';
import { CountryHourly } from '../../src/storage/country-hourly.ts';
import type { StatementRunner } from '../../src/storage/request-limit.ts';
import type { PartitionWrite } from '../../src/storage/partition-writes.ts';
import { Rollups } from '../../src/storage/rollups.ts';
import type { StartFactPage } from '../../src/storage/start-fact-scan.ts';
import { StartFacts } from '../../src/storage/start-facts.ts';
import { storedNodes } from '../../src/storage/stored-nodes.ts';
import { checkHourlyRows } from './count-hours.ts';
import { CountPages } from './count-pages.ts';
import type { RebuildPages } from './run-rebuild.ts';

/** Reads in flight at once on one step of a rebuild of read model 1. */
const COUNT_REQUESTS = 16;

/** The pages of a rebuild of read model 1 into generation `target`, over the real store. */
export function countPages(deps: {
  readonly client: StatementRunner;
  readonly keyspace: string;
  readonly target: number;
  readonly write: (writes: readonly PartitionWrite[]) => Promise<void>;
  readonly startShards: () => Promise<number>;
  readonly retentionMs: number;
  readonly now: () => number;
}): RebuildPages<StartFactPage> {
  const { client, keyspace, target } = deps;
  // The rebuild writes its target alone, whatever the setting says.
  const tables = {
    countSeconds: new CountSeconds(client, keyspace, target),
    rollups: new Rollups(client, keyspace, target),
    countryHourly: new CountryHourly(client, keyspace, target),
  };
  const stored = (nodes: Parameters<typeof storedNodes>[3]) =>
    storedNodes(client, keyspace, target, nodes);
  const pages = new CountPages({
    startFacts: new StartFacts(client, keyspace),
    target: tables,
    storedNodes: stored,
    write: deps.write,
    startShards: deps.startShards,
    retentionMs: deps.retentionMs,
    now: deps.now,
    concurrency: COUNT_REQUESTS,
  });
  return {
    derive: (page) => pages.derive(page),
    verify: (page) => pages.verify(page),
    verifyRest: () =>
      checkHourlyRows({
        countryHourly: tables.countryHourly,
        storedNodes: stored,
        write: deps.write,
        retentionMs: deps.retentionMs,
        now: deps.now,
        concurrency: COUNT_REQUESTS,
      }),
  };
}
