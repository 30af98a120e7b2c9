import cassandra from 'cassandra-driver';
import { addInto, type CountVector } from '../domain/count-vector.ts';
import {
  byPartition,
  childrenOf,
  partitionOf,
  spanOf,
  type TreeNode,
} from '../domain/time-tree.ts';
import type { CassandraClient } from './cassandra-client.ts';
import { decodeCountsInto, encodeCounts } from './count-vector-codec.ts';
import { IDEMPOTENT, toNumber, writeTimestamp } from './versioned-write.ts';

/**
 * `start_count_rollups`: the nodes of the time tree (src/domain/time-tree.ts). A node is written
 * with its version as write timestamp — the sum of its children's versions — so of two
 * recomputations the one that saw more wins, in whatever order they land.
 */
export class Rollups {
  private readonly insert: string;
  private readonly selectChildren: string;
  private readonly selectNodes: string;

  constructor(
    private readonly client: CassandraClient,
    keyspace: string,
  ) {
    const table = `${keyspace}.start_count_rollups`;
    this.insert =
      `INSERT INTO ${table} (level_group, block, span, start, counts) VALUES (?, ?, ?, ?, ?) ` +
      'USING TTL ? AND TIMESTAMP ?';
    this.selectChildren =
      `SELECT counts, WRITETIME(counts) AS version FROM ${table} ` +
      'WHERE level_group = ? AND block = ? AND span = ? AND start >= ? AND start < ?';
    this.selectNodes = `SELECT counts FROM ${table} WHERE level_group = ? AND block = ? AND (span, start) IN ?`;
  }

  async write(
    node: TreeNode,
    counts: ReadonlyMap<string, number>,
    version: number,
    ttlSeconds: number,
  ): Promise<void> {
    const { group, block } = partitionOf(node);
    await this.client.execute(
      this.insert,
      [
        group,
        new Date(block),
        spanOf(node.level) / 1000,
        new Date(node.start),
        encodeCounts(counts),
        ttlSeconds,
        writeTimestamp(version),
      ],
      IDEMPOTENT,
    );
  }

  /** The sum of a node's children (their counts and versions): one slice of one partition. */
  async sumOfChildren(node: TreeNode): Promise<{ counts: CountVector; version: number }> {
    const children = childrenOf(node);
    const result = await this.client.execute(
      this.selectChildren,
      [
        children.partition.group,
        new Date(children.partition.block),
        spanOf(children.level) / 1000,
        new Date(children.from),
        new Date(children.to),
      ],
      { prepare: true },
    );
    const counts: CountVector = new Map();
    let version = 0;
    for (const row of result.rows) {
      addInto(counts, decodeCountsInto(row.get('counts') as Buffer));
      version += toNumber(row.get('version'));
    }
    return { counts, version };
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
