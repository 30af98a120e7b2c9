import pMap from 'p-map';
import type { Logger } from 'pino';
import { isRetained, ttlSeconds } from '../../src/domain/retention.ts';
import {
  HOUR_LEVEL,
  SECOND_LEVEL,
  TOP_LEVEL,
  parentOf,
  type TreeNode,
} from '../../src/domain/time-tree.ts';
import type { CountryHourly } from '../../src/storage/country-hourly.ts';
import type { Rollups } from '../../src/storage/rollups.ts';
import type { StartFacts } from '../../src/storage/start-facts.ts';
import type { DirtySeconds } from './dirty-seconds.ts';

export interface PropagateDeps {
  readonly startFacts: Pick<StartFacts, 'recountSecond'>;
  readonly rollups: Pick<Rollups, 'write' | 'sumOfChildren'>;
  readonly countryHourly: Pick<CountryHourly, 'write'>;
  readonly retentionMs: number;
  readonly now: () => number;
  /** Nodes recomputed at once on one level. */
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
    await pMap(
      entries,
      async ([start, countries]) => {
        const node: TreeNode = { level: depth, start };
        const { counts, version } =
          depth === SECOND_LEVEL
            ? await deps.startFacts.recountSecond(start)
            : await deps.rollups.sumOfChildren(node);
        // No facts (all expired since): nothing to write, and no version to write it with.
        if (version === 0) return;
        const ttl = ttlSeconds(start, now, deps.retentionMs);
        await deps.rollups.write(node, counts, version, ttl);
        if (depth === HOUR_LEVEL) {
          await Promise.all(
            [...countries].map((country) =>
              deps.countryHourly.write(country, start, counts.get(country) ?? 0, version, ttl),
            ),
          );
        }
        written++;
      },
      { concurrency: deps.concurrency },
    );
    if (depth < TOP_LEVEL) level = parents(entries, depth);
  }
  deps.logger.debug({ seconds: dirty.size, written }, 'rollup done');
  return written;
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
