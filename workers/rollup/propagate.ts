import pMap from 'p-map';
import type { Logger } from 'pino';
import type { CountVector } from '../../src/domain/count-vector.ts';
import { isRetained, ttlSeconds } from '../../src/domain/retention.ts';
import { HOUR_LEVEL, SECOND_LEVEL, TOP_LEVEL, parentOf } from '../../src/domain/time-tree.ts';
import type { CountryHourly } from '../../src/storage/country-hourly.ts';
import type { PartitionWrite } from '../../src/storage/partition-writes.ts';
import type { Rollups } from '../../src/storage/rollups.ts';
import type { SecondCount, StartFacts } from '../../src/storage/start-facts.ts';
import type { DirtySeconds } from './dirty-seconds.ts';
import { secondReads } from './read-plan.ts';

export interface PropagateDeps {
  readonly startFacts: Pick<StartFacts, 'recountSlice' | 'recountMinutes'>;
  readonly rollups: Pick<Rollups, 'nodeWrite' | 'childSums'>;
  readonly countryHourly: Pick<CountryHourly, 'hourWrite'>;
  /** Sends writes in as few requests as the store allows (src/storage/partition-writes.ts). */
  readonly write: (writes: readonly PartitionWrite[]) => Promise<void>;
  readonly retentionMs: number;
  readonly now: () => number;
  /** Reads in flight at once on one level. */
  readonly concurrency: number;
  readonly logger: Logger;
}

/**
 * Recomputes the time tree above the given seconds, one level at a time: each second from its
 * start facts, each higher node from its children. A level is written completely before the next
 * one reads it — the read-after-write that makes concurrent rollups converge (the last reader of a
 * node's children sees all of them, and its larger version wins). At the hour level the
 * per-country hourly rows of the changed countries are written with the hour node's version.
 * Returns the number of nodes written.
 */
export async function propagate(dirty: DirtySeconds, deps: PropagateDeps): Promise<number> {
  const now = deps.now();
  let level: Map<number, Set<string>> = dirty;
  let written = 0;

  for (let depth = SECOND_LEVEL; depth <= TOP_LEVEL && level.size > 0; depth++) {
    const entries = [...level].filter(([start]) => isRetained(start, now, deps.retentionMs));
    const starts = entries.map(([start]) => start);
    const sums =
      depth === SECOND_LEVEL
        ? await recountSeconds(starts, now, deps)
        : await deps.rollups.childSums(depth, starts, deps.concurrency);
    const writes: PartitionWrite[] = [];
    for (const [start, countries] of entries) {
      const sum = sums.get(start);
      // No facts (all expired since): nothing to write, and no version to write it with.
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
  deps.logger.debug({ seconds: dirty.size, written }, 'rollup done');
  return written;
}

async function recountSeconds(
  seconds: readonly number[],
  now: number,
  deps: PropagateDeps,
): Promise<Map<number, { counts: CountVector; version: number }>> {
  const plan = secondReads(seconds, now);
  const reads: (() => Promise<Map<number, SecondCount>>)[] = [
    ...plan.slices.map(
      ({ from, to }) =>
        () =>
          deps.startFacts.recountSlice(from, to),
    ),
    ...plan.minutes.map((minutes) => () => deps.startFacts.recountMinutes(minutes)),
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

function parents(
  entries: readonly [number, Set<string>][],
  depth: number,
): Map<number, Set<string>> {
  const next = new Map<number, Set<string>>();
  for (const [start, countries] of entries) {
    const parent = parentOf({ level: depth, start }).start;
    const union = next.get(parent);
    if (union) for (const c of countries) union.add(c);
    else next.set(parent, new Set(countries));
  }
  return next;
}
