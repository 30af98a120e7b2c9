import type { types } from 'cassandra-driver';
import type { CassandraClient } from '../../src/storage/cassandra-client.ts';

const bigint = (value: unknown) => (value as types.Long).toNumber();

/** Cumulative per-table counts since the node started, as Cassandra itself keeps them. */
export interface TableCounts {
  readonly writes: ReadonlyMap<string, number>;
  readonly reads: ReadonlyMap<string, number>;
}

/**
 * Cassandra's own local write and read counts of every table of `keyspace`
 * (`system_views.local_write_latency` / `local_read_latency`, column `count`). They count what
 * the node applied: one write per partition a mutation touches (a batch over n partitions is n),
 * one read per single-partition read — statements as the store sees them, whatever the client
 * sent. A keyspace of its own makes them exact for the benchmark on a shared node.
 */
export async function tableCounts(
  cassandra: CassandraClient,
  keyspace: string,
): Promise<TableCounts> {
  const read = async (view: string) => {
    const result = await cassandra.execute(
      `SELECT table_name, count FROM system_views.${view} WHERE keyspace_name = ?`,
      [keyspace],
    );
    return new Map(result.rows.map((row) => [String(row['table_name']), bigint(row['count'])]));
  };
  return { writes: await read('local_write_latency'), reads: await read('local_read_latency') };
}

/** What each table gained between two snapshots (tables with nothing in the window left out). */
export function countsBetween(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [table, end] of [...after].sort(([a], [b]) => a.localeCompare(b))) {
    const gained = end - (before.get(table) ?? 0);
    if (gained > 0) out[table] = gained;
  }
  return out;
}

/**
 * CQL requests received per client connection (`system_views.clients`, `request_count`), keyed
 * by client port, for the connections whose port is in `ports` — the service processes' own,
 * out of everything a shared node serves.
 */
export async function clientRequests(
  cassandra: CassandraClient,
  ports: ReadonlySet<number>,
): Promise<ReadonlyMap<number, number>> {
  const result = await cassandra.execute('SELECT port, request_count FROM system_views.clients');
  return new Map(
    result.rows
      .map((row) => [Number(row['port']), bigint(row['request_count'])] as const)
      .filter(([port]) => ports.has(port)),
  );
}

/**
 * Requests between two snapshots of `clientRequests`. A connection opened in between counts all
 * of its requests; one that closed in between takes its requests with it (the view lists open
 * connections only), so those are counted as `connectionsClosed` — non-zero means the figure is
 * a lower bound. The driver keeps its pool open under steady load, so it is zero in practice.
 */
export function requestsBetween(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): { requests: number; connectionsClosed: number } {
  let requests = 0;
  for (const [port, end] of after) {
    const start = before.get(port) ?? 0;
    requests += end >= start ? end - start : end; // a port reused by a new connection
  }
  const connectionsClosed = [...before.keys()].filter((port) => !after.has(port)).length;
  return { requests, connectionsClosed };
}
