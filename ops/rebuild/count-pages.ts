import pMap from 'p-map';
import type { CountVector } from '../../src/domain/count-vector.ts';
import { MINUTE_MS, floorTo } from '../../src/domain/duration.ts';
import { isRetained } from '../../src/domain/retention.ts';
import { allShards } from '../../src/domain/shard.ts';
import { MINUTE_LEVEL, TOP_LEVEL, nodeAt, type TreeNode } from '../../src/domain/time-tree.ts';
import type { CountSeconds } from '../../src/storage/count-seconds.ts';
import type { PartitionWrite } from '../../src/storage/partition-writes.ts';
import type { StartFactPage, StartFactPartition } from '../../src/storage/start-fact-scan.ts';
import type { StartFacts } from '../../src/storage/start-facts.ts';
import { nodeKey } from '../../src/storage/stored-nodes.ts';
import { writeTree, type CountedSecond, type TreeTables } from '../../workers/counts/write-tree.ts';
import {
  countDifferences,
  describeNode,
  minuteReads,
  type Versioned,
} from './count-differences.ts';
import type { RebuildPages } from './run-rebuild.ts';

/** Nodes this close to leaving the retention are not checked: they may expire meanwhile. */
export const RETENTION_EDGE_MS = 60_000;
/**
 * Times a page found wrong is written again and checked: live traffic keeps the newest minutes
 * changing, and a rollup caught between writing a node's children and the node looks like a
 * difference once; a difference that survives every round is a real one.
 */
export const REPAIR_ROUNDS = 3;

export interface CountPagesDeps {
  readonly startFacts: Pick<StartFacts, 'recountMinutes'>;
  /** Read model 1 in the generation being built. */
  readonly target: TreeTables & { readonly countSeconds: Pick<CountSeconds, 'secondsOf'> };
  /** The stored nodes of the target generation (src/storage/stored-nodes.ts). */
  readonly storedNodes: (
    nodes: readonly TreeNode[],
  ) => Promise<Map<string, { counts: CountVector; version: number }>>;
  readonly write: (writes: readonly PartitionWrite[]) => Promise<void>;
  readonly startShards: () => Promise<number>;
  readonly retentionMs: number;
  readonly now: () => number;
  readonly concurrency: number;
}

/**
 * One page of the start facts' scan into the new generation of read model 1, and its check. The
 * page's partitions (a minute of one shard each) are recounted whole from the facts — a page may
 * cut one, a worker may have added a fact since — and written with the tree above them exactly
 * as a rollup writes them (workers/counts/write-tree.ts), every country of every second included:
 * the target starts empty, so every count in it is new.
 */
export class CountPages implements RebuildPages<StartFactPage> {
  constructor(private readonly deps: CountPagesDeps) {}

  async derive(page: StartFactPage): Promise<number> {
    const now = this.deps.now();
    const counted = await this.recount(page.partitions, now);
    return writeTree(counted, {
      tables: this.deps.target,
      write: this.deps.write,
      shards: allShards(await this.deps.startShards()),
      retentionMs: this.deps.retentionMs,
      now,
      concurrency: this.deps.concurrency,
    });
  }

  /**
   * Checks the page's seconds against a fresh count of their facts, and every node above them
   * against the sum of its children in the target (count-differences.ts says what is wrong). A
   * page found wrong is derived again (a worker may have been mid-write) and checked again, up to
   * REPAIR_ROUNDS times; what is still wrong then is returned.
   */
  async verify(page: StartFactPage): Promise<{ repaired: number; wrong: string[] }> {
    const first = await this.differences(page.partitions);
    let wrong = first;
    for (let round = 0; wrong.length > 0 && round < REPAIR_ROUNDS; round++) {
      await this.derive(page);
      wrong = await this.differences(page.partitions);
    }
    return { repaired: first.length, wrong };
  }

  private async recount(
    partitions: readonly StartFactPartition[],
    now: number,
  ): Promise<CountedSecond[]> {
    const counted: CountedSecond[] = [];
    await pMap(
      minuteReads(partitions),
      async ({ shard, minutes }) => {
        for (const [second, sum] of await this.deps.startFacts.recountMinutes(shard, minutes))
          if (isRetained(second, now, this.deps.retentionMs))
            counted.push({ shard, second, countries: new Set(sum.counts.keys()), sum });
      },
      { concurrency: this.deps.concurrency },
    );
    return counted;
  }

  private async differences(partitions: readonly StartFactPartition[]): Promise<string[]> {
    const now = this.deps.now();
    const edge = (start: number) =>
      !isRetained(start, now + RETENTION_EDGE_MS, this.deps.retentionMs);
    const expected = new Map<string, Versioned>();
    for (const c of await this.recount(partitions, now))
      if (c.sum) expected.set(`${c.shard}:${c.second}`, c.sum);
    const stored = new Map<string, Versioned>();
    await pMap(
      minuteReads(partitions),
      async ({ shard, minutes }) => {
        const seconds = await this.deps.target.countSeconds.secondsOf(shard, minutes);
        for (const [second, count] of seconds) stored.set(`${shard}:${second}`, count);
      },
      { concurrency: this.deps.concurrency },
    );
    const keyOf = (key: string) => key.split(':').map(Number) as [number, number];
    const lines = countDifferences(
      expected,
      stored,
      (key) => `shard ${keyOf(key)[0]} ${describeNode(0, keyOf(key)[1])}`,
      (key) => edge(keyOf(key)[1]),
    );
    return [...lines, ...(await this.treeDifferences(partitions, edge))];
  }

  /** Every node above the partitions' minutes against the sum of its children in the target. */
  private async treeDifferences(
    partitions: readonly StartFactPartition[],
    edge: (start: number) => boolean,
  ): Promise<string[]> {
    const { target, concurrency } = this.deps;
    const shards = allShards(await this.deps.startShards());
    const lines: string[] = [];
    let starts = [...new Set(partitions.map((p) => floorTo(p.minute, MINUTE_MS)))];
    for (let level = MINUTE_LEVEL; level <= TOP_LEVEL; level++) {
      starts = [...new Set(starts.map((s) => nodeAt(level, s).start))].filter((s) => !edge(s));
      if (starts.length === 0) break;
      const sums =
        level === MINUTE_LEVEL
          ? await target.countSeconds.minuteSums(starts, shards, concurrency)
          : await target.rollups.childSums(level, starts, concurrency);
      const stored = await this.deps.storedNodes(starts.map((start) => ({ level, start })));
      const expected = new Map<number, Versioned>();
      const have = new Map<number, Versioned>();
      for (const start of starts) {
        const sum = sums.get(start);
        if (sum && sum.version > 0) expected.set(start, sum);
        const node = stored.get(nodeKey({ level, start }));
        if (node) have.set(start, node);
      }
      lines.push(...countDifferences(expected, have, (start) => describeNode(level, start)));
    }
    return lines;
  }
}
