import type { CountVector } from '../../src/domain/count-vector.ts';
import { isRetained, ttlSeconds } from '../../src/domain/retention.ts';
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
import type { SecondCount } from '../../src/storage/start-facts.ts';
import type { DirtySeconds } from './dirty-seconds.ts';

/** The tables of one generation of read model 1, as a rollup uses them. */
export interface TreeTables {
  readonly countSeconds: Pick<CountSeconds, 'secondWrite' | 'minuteSums'>;
  readonly rollups: Pick<Rollups, 'nodeWrite' | 'childSums'>;
  readonly countryHourly: Pick<CountryHourly, 'hourWrite'>;
}

/** A second of one shard recounted from its facts, with the countries that changed in it. */
export interface CountedSecond {
  readonly shard: number;
  readonly second: number;
  readonly countries: Set<string>;
  /** Undefined when the second has no fact left. */
  readonly sum: SecondCount | undefined;
}

export interface WriteTreeDeps {
  readonly tables: TreeTables;
  /** Sends writes in as few requests as the store allows (src/storage/partition-writes.ts). */
  readonly write: (writes: readonly PartitionWrite[]) => Promise<void>;
  /** Every shard of the start facts: a minute sums its seconds over all of them. */
  readonly shards: readonly number[];
  readonly retentionMs: number;
  readonly now: number;
  /** Reads in flight at once on one level. */
  readonly concurrency: number;
}

type Sums = Map<number, { counts: CountVector; version: number }>;

/**
 * Writes recounted seconds into one generation of the tree and recomputes every node above them,
 * one level at a time: each minute from its seconds over every shard, each higher node from its
 * children. A level is written completely before the next one reads it — the read-after-write
 * that makes concurrent rollups converge (the last reader of a node's children sees all of them,
 * and its larger version wins). At the hour level the per-country hourly rows of the changed
 * countries are written with the hour node's version. Returns the number of nodes written.
 */
export async function writeTree(
  counted: readonly CountedSecond[],
  deps: WriteTreeDeps,
): Promise<number> {
  const { tables, now } = deps;
  const retained = ([start]: [number, Set<string>]) => isRetained(start, now, deps.retentionMs);
  let written = 0;
  const secondWrites: PartitionWrite[] = [];
  const touched: [number, Set<string>][] = [];
  for (const { shard, second, countries, sum } of counted) {
    touched.push([second, countries]);
    // No facts (all expired since): nothing to write, and no version to write it with.
    if (!sum || sum.version === 0) continue;
    const ttl = ttlSeconds(second, now, deps.retentionMs);
    secondWrites.push(tables.countSeconds.secondWrite(shard, second, sum.counts, sum.version, ttl));
    written++;
  }
  await deps.write(secondWrites);

  // Minutes and up, from their children.
  let level = parents(touched, SECOND_LEVEL);
  for (let depth = MINUTE_LEVEL; depth <= TOP_LEVEL && level.size > 0; depth++) {
    const entries = [...level].filter(retained);
    const starts = entries.map(([start]) => start);
    const sums: Sums =
      depth === MINUTE_LEVEL
        ? await tables.countSeconds.minuteSums(starts, deps.shards, deps.concurrency)
        : await tables.rollups.childSums(depth, starts, deps.concurrency);
    const writes: PartitionWrite[] = [];
    for (const [start, countries] of entries) {
      const sum = sums.get(start);
      if (!sum || sum.version === 0) continue;
      const ttl = ttlSeconds(start, now, deps.retentionMs);
      writes.push(tables.rollups.nodeWrite({ level: depth, start }, sum.counts, sum.version, ttl));
      if (depth === HOUR_LEVEL) {
        for (const country of countries) {
          const starts = sum.counts.get(country) ?? 0;
          writes.push(tables.countryHourly.hourWrite(country, start, starts, sum.version, ttl));
        }
      }
      written++;
    }
    await deps.write(writes);
    if (depth < TOP_LEVEL) level = parents(entries, depth);
  }
  return written;
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
