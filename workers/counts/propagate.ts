import pMap from 'p-map';
import type { Logger } from 'pino';
import type { CountVector } from '../../src/domain/count-vector.ts';
import { isRetained, ttlSeconds } from '../../src/domain/retention.ts';
import { allShards } from '../../src/domain/shard.ts';
import {
  HOUR_LEVEL,
  MINUTE_LEVEL,
  SECOND_LEVEL,
  TOP_LEVEL,
  parentOf,
} from '../../src/domain/time-tree.ts';
import type { CountSeconds } from '../../src/storage/count-seconds.ts';
import type { CountryHourly } from '../../src/storage/country-hourly.ts';
import type { PartitionWrite } from '../../src/storage/partition-writes.ts';
import type { Rollups } from '../../src/storage/rollups.ts';
import type { SecondCount, StartFacts } from '../../src/storage/start-facts.ts';
import type { DirtySeconds, DirtyShards } from './dirty-seconds.ts';
import { secondReads } from './read-plan.ts';

export interface PropagateDeps {
  readonly startFacts: Pick<StartFacts, 'recountSlice' | 'recountMinutes'>;
  readonly countSeconds: Pick<CountSeconds, 'secondWrite' | 'minuteSums'>;
  readonly rollups: Pick<Rollups, 'nodeWrite' | 'childSums'>;
  readonly countryHourly: Pick<CountryHourly, 'hourWrite'>;
  /** Sends writes in as few requests as the store allows (src/storage/partition-writes.ts). */
  readonly write: (writes: readonly PartitionWrite[]) => Promise<void>;
  /** The keyspace's number of start-fact shards: a minute sums its seconds over all of them. */
  readonly startShards: () => Promise<number>;
  readonly retentionMs: number;
  readonly now: () => number;
  /** Reads in flight at once on one level. */
  readonly concurrency: number;
  readonly logger: Logger;
}

type Sums = Map<number, { counts: CountVector; version: number }>;

/**
 * Recomputes the time tree above the given seconds, one level at a time: each shard's seconds
 * from its start facts, each minute from its seconds over every shard, each higher node from its
 * children. A level is written completely before the next one reads it — the read-after-write
 * that makes concurrent rollups converge (the last reader of a node's children sees all of them,
 * and its larger version wins). At the hour level the per-country hourly rows of the changed
 * countries are written with the hour node's version. Returns the number of nodes written.
 */
export async function propagate(dirty: DirtyShards, deps: PropagateDeps): Promise<number> {
  const now = deps.now();
  const shards = allShards(await deps.startShards());
  const retained = ([start]: [number, Set<string>]) => isRetained(start, now, deps.retentionMs);
  let written = 0;

  // The seconds of each shard, from its facts.
  const secondWrites: PartitionWrite[] = [];
  const touched: [number, Set<string>][] = [];
  await pMap(
    [...dirty],
    async ([shard, seconds]) => {
      const entries = [...seconds].filter(retained);
      const sums = await recountSeconds(shard, entries, now, deps);
      for (const [second, countries] of entries) {
        const sum = sums.get(second);
        touched.push([second, countries]);
        // No facts (all expired since): nothing to write, and no version to write it with.
        if (!sum || sum.version === 0) continue;
        const ttl = ttlSeconds(second, now, deps.retentionMs);
        secondWrites.push(
          deps.countSeconds.secondWrite(shard, second, sum.counts, sum.version, ttl),
        );
        written++;
      }
    },
    { concurrency: deps.concurrency },
  );
  await deps.write(secondWrites);

  // Minutes and up, from their children.
  let level = parents(touched, SECOND_LEVEL);
  for (let depth = MINUTE_LEVEL; depth <= TOP_LEVEL && level.size > 0; depth++) {
    const entries = [...level].filter(retained);
    const starts = entries.map(([start]) => start);
    const sums: Sums =
      depth === MINUTE_LEVEL
        ? await deps.countSeconds.minuteSums(starts, shards, deps.concurrency)
        : await deps.rollups.childSums(depth, starts, deps.concurrency);
    const writes: PartitionWrite[] = [];
    for (const [start, countries] of entries) {
      const sum = sums.get(start);
      if (!sum || sum.version === 0) continue;
      const ttl = ttlSeconds(start, now, deps.retentionMs);
      writes.push(deps.rollups.nodeWrite({ level: depth, start }, sum.counts, sum.version, ttl));
      if (depth === HOUR_LEVEL) {
        for (const country of countries) {
          const starts = sum.counts.get(country) ?? 0;
          writes.push(deps.countryHourly.hourWrite(country, start, starts, sum.version, ttl));
        }
      }
      written++;
    }
    await deps.write(writes);
    if (depth < TOP_LEVEL) level = parents(entries, depth);
  }
  deps.logger.debug({ seconds: touched.length, written }, 'rollup done');
  return written;
}

async function recountSeconds(
  shard: number,
  seconds: readonly [number, Set<string>][],
  now: number,
  deps: PropagateDeps,
): Promise<Map<number, SecondCount>> {
  const plan = secondReads(
    seconds.map(([second]) => second),
    now,
  );
  const reads: (() => Promise<Map<number, SecondCount>>)[] = [
    ...plan.slices.map(
      ({ from, to }) =>
        () =>
          deps.startFacts.recountSlice(shard, from, to),
    ),
    ...plan.minutes.map((minutes) => () => deps.startFacts.recountMinutes(shard, minutes)),
  ];
  const counted = new Map<number, SecondCount>();
  await pMap(
    reads,
    async (read) => {
      for (const [second, count] of await read()) counted.set(second, count);
    },
    { concurrency: deps.concurrency },
  );
  return counted;
}

/** The parents of the given nodes of one level, each with the union of its children's countries. */
function parents(entries: Iterable<[number, Set<string>]>, depth: number): DirtySeconds {
  const next: DirtySeconds = new Map();
  for (const [start, countries] of entries) {
    const parent = parentOf({ level: depth, start }).start;
    const union = next.get(parent);
    if (union) for (const c of countries) union.add(c);
    else next.set(parent, new Set(countries));
  }
  return next;
}
