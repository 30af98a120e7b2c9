import pMap from 'p-map';
import type { Logger } from 'pino';
import { isRetained } from '../../src/domain/retention.ts';
import { allShards } from '../../src/domain/shard.ts';
import type { PartitionWrite } from '../../src/storage/partition-writes.ts';
import type { SecondCount, StartFacts } from '../../src/storage/start-facts.ts';
import type { DirtyShards } from './dirty-seconds.ts';
import { secondReads } from './read-plan.ts';
import { writeTree, type CountedSecond, type TreeTables } from './write-tree.ts';

export interface PropagateDeps {
  readonly startFacts: Pick<StartFacts, 'recountSlice' | 'recountMinutes'>;
  /**
   * The tables of every generation of read model 1 a rollup must write now (one, or two while a
   * rebuild runs: src/storage/start-count-generations.ts), asked after the facts were read.
   */
  readonly generations: () => Promise<readonly TreeTables[]>;
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

/**
 * Recounts the given seconds of each shard from its start facts, then writes them and recomputes
 * the time tree above them in every write generation (./write-tree.ts), one generation after the
 * other. The generations are asked for after the facts were read, as a micro-batch does
 * (docs/DATA-MODEL.md, "Generations and rebuilds"): a rollup that still writes the old generation
 * alone counted facts that were stored before the rebuild's scan began. Returns the number of
 * nodes written.
 */
export async function propagate(dirty: DirtyShards, deps: PropagateDeps): Promise<number> {
  const now = deps.now();
  const shards = allShards(await deps.startShards());
  const counted: CountedSecond[] = [];
  await pMap(
    [...dirty],
    async ([shard, seconds]) => {
      const entries = [...seconds].filter(([start]) => isRetained(start, now, deps.retentionMs));
      const sums = await recountSeconds(shard, entries, now, deps);
      for (const [second, countries] of entries)
        counted.push({ shard, second, countries, sum: sums.get(second) });
    },
    { concurrency: deps.concurrency },
  );
  let written = 0;
  for (const tables of await deps.generations())
    written += await writeTree(counted, {
      tables,
      write: deps.write,
      shards,
      retentionMs: deps.retentionMs,
      now,
      concurrency: deps.concurrency,
    });
  deps.logger.debug({ seconds: counted.length, written }, 'rollup done');
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
