import cassandra from 'cassandra-driver';
import type { CountVector } from '../domain/count-vector.ts';
import { tableOf } from '../domain/generations.ts';
import { LEVELS, byPartition, spanOf, type TreeNode } from '../domain/time-tree.ts';
import { decodeCountsInto } from './count-vector-codec.ts';
import { toNumber } from './cql-numbers.ts';
import type { StatementRunner } from './request-limit.ts';
import { ROLLUPS_TABLE } from './rollups.ts';

/** A node's key in the maps `storedNodes` returns. */
export function nodeKey(node: TreeNode): string {
  return `${node.level}:${node.start}`;
}

const LEVEL_OF_SPAN = new Map(LEVELS.map((l, level) => [l.spanMs / 1000, level]));

/**
 * The stored counts and version of each given node of one generation of the tree, keyed by
 * `nodeKey`; a node not stored is absent. What a rebuild's verification reads (ops/rebuild/), not
 * the API: one query per partition, all at once.
 */
export async function storedNodes(
  client: Pick<StatementRunner, 'execute'>,
  keyspace: string,
  generation: number,
  nodes: readonly TreeNode[],
): Promise<Map<string, { counts: CountVector; version: number }>> {
  const query =
    'SELECT span, start, counts, WRITETIME(counts) AS version ' +
    `FROM ${keyspace}.${tableOf(ROLLUPS_TABLE, generation)} ` +
    'WHERE level_group = ? AND block = ? AND (span, start) IN ?';
  const found = new Map<string, { counts: CountVector; version: number }>();
  await Promise.all(
    byPartition(nodes).map(async ({ partition, nodes: inPartition }) => {
      const result = await client.execute(
        query,
        [
          partition.group,
          new Date(partition.block),
          inPartition.map(
            (n) => new cassandra.types.Tuple(spanOf(n.level) / 1000, new Date(n.start)),
          ),
        ],
        { prepare: true },
      );
      for (const row of result.rows) {
        const level = LEVEL_OF_SPAN.get(row.get('span') as number) ?? -1;
        found.set(nodeKey({ level, start: (row.get('start') as Date).getTime() }), {
          counts: decodeCountsInto(row.get('counts') as Buffer),
          version: toNumber(row.get('version')),
        });
      }
    }),
  );
  return found;
}
