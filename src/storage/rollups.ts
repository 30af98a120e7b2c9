import cassandra from 'cassandra-driver';
import pMap from 'p-map';
import { addInto, type CountVector } from '../domain/count-vector.ts';
import { tableOf } from '../domain/generations.ts';
import {
  byPartition,
  childrenOf,
  nodeAt,
  partitionOf,
  spanOf,
  type TreeNode,
} from '../domain/time-tree.ts';
import type { StatementRunner } from './request-limit.ts';
import { decodeCountsInto, encodeCounts } from './count-vector-codec.ts';
import type { PartitionWrite } from './partition-writes.ts';
import { readAll } from './read-all.ts';
import { writeTimestamp } from './write-version.ts';
import { toNumber } from './cql-numbers.ts';

/** Partitions one read of children asks for (`block IN …`): one request, many partitions. */
export const PARTITIONS_PER_READ = 16;

/** The migrations' table of the tree; generation n lives in `tableOf(this, n)`. */
export const ROLLUPS_TABLE = 'start_count_rollups';

/**
 * `start_count_rollups`: the nodes of the time tree (src/domain/time-tree.ts). A node is written
 * with its version as write timestamp — the sum of its children's versions — so of two
 * recomputations the one that saw more wins, in whatever order they land. An odd generation (a
 * rebuild's) lives in the `_alt` twin.
 */
export class Rollups {
  private readonly insert: string;
  private readonly selectChildren: string;
  private readonly selectNodes: string;
  private readonly table: string;

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    keyspace: string,
    generation = 0,
  ) {
    const table = `${keyspace}.${tableOf(ROLLUPS_TABLE, generation)}`;
    this.table = table;
    this.insert =
      `INSERT INTO ${table} (level_group, block, span, start, counts) VALUES (?, ?, ?, ?, ?) ` +
      'USING TTL ? AND TIMESTAMP ?';
    this.selectChildren =
      `SELECT start, counts, WRITETIME(counts) AS version FROM ${table} ` +
      'WHERE level_group = ? AND block IN ? AND span = ? AND start >= ? AND start < ?';
    this.selectNodes = `SELECT counts FROM ${table} WHERE level_group = ? AND block = ? AND (span, start) IN ?`;
  }

  nodeWrite(
    node: TreeNode,
    counts: ReadonlyMap<string, number>,
    version: number,
    ttlSeconds: number,
  ): PartitionWrite {
    const { group, block } = partitionOf(node);
    return {
      query: this.insert,
      params: [
        group,
        new Date(block),
        spanOf(node.level) / 1000,
        new Date(node.start),
        encodeCounts(counts),
        ttlSeconds,
        writeTimestamp(version),
      ],
      partition: `${this.table}:${group}:${block}`,
    };
  }

  /**
   * The sum of the children (their counts and versions) of each given node of one level above the
   * minute (a minute's children are seconds: src/storage/count-seconds.ts). The
   * children of one node lie in one partition, one slice of it; nodes whose children share a
   * partition share a read, and up to PARTITIONS_PER_READ partitions go in one request.
   */
  async childSums(
    level: number,
    starts: readonly number[],
    concurrency: number,
  ): Promise<Map<number, { counts: CountVector; version: number }>> {
    const sums = new Map<number, { counts: CountVector; version: number }>(
      starts.map((start) => [start, { counts: new Map(), version: 0 }]),
    );
    const childLevel = level - 1;
    const byBlock = new Map<number, { group: number; from: number; to: number }>();
    for (const start of starts) {
      const { partition, from, to } = childrenOf({ level, start });
      const found = byBlock.get(partition.block);
      if (found) {
        found.from = Math.min(found.from, from);
        found.to = Math.max(found.to, to);
      } else byBlock.set(partition.block, { group: partition.group, from, to });
    }
    const reads: { group: number; blocks: number[]; from: number; to: number }[] = [];
    for (const [block, { group, from, to }] of byBlock) {
      const last = reads.at(-1);
      if (last && last.blocks.length < PARTITIONS_PER_READ) {
        last.blocks.push(block);
        last.from = Math.min(last.from, from);
        last.to = Math.max(last.to, to);
      } else reads.push({ group, blocks: [block], from, to });
    }
    await pMap(
      reads,
      async (read) => {
        const params = [
          read.group,
          read.blocks.map((b) => new Date(b)),
          spanOf(childLevel) / 1000,
          new Date(read.from),
          new Date(read.to),
        ];
        for (const row of await readAll(this.client, this.selectChildren, params)) {
          // The slice of several partitions may hold children of nodes nobody asked for.
          const parent = nodeAt(level, (row.get('start') as Date).getTime()).start;
          const sum = sums.get(parent);
          if (!sum) continue;
          addInto(sum.counts, decodeCountsInto(row.get('counts') as Buffer));
          sum.version += toNumber(row.get('version'));
        }
      },
      { concurrency },
    );
    return sums;
  }

  /** Adds the counts of the given nodes into `into`: one query per partition, all at once. */
  async sumNodes(nodes: readonly TreeNode[], into: CountVector = new Map()): Promise<CountVector> {
    const results = await Promise.all(
      byPartition(nodes).map(({ partition, nodes: stored }) =>
        this.client.execute(
          this.selectNodes,
          [
            partition.group,
            new Date(partition.block),
            stored.map((n) => new cassandra.types.Tuple(spanOf(n.level) / 1000, new Date(n.start))),
          ],
          { prepare: true },
        ),
      ),
    );
    for (const result of results) {
      for (const row of result.rows) decodeCountsInto(row.get('counts') as Buffer, into);
    }
    return into;
  }
}
