import type { CountVector } from '../domain/count-vector.ts';
import { SECOND_MS, floorTo } from '../domain/duration.ts';
import { ttlSeconds } from '../domain/retention.ts';
import { shardOf } from '../domain/shard.ts';
import type { CassandraClient } from './cassandra-client.ts';
import { CountSeconds } from './count-seconds.ts';
import { writeGrouped, type PartitionWrite } from './partition-writes.ts';
import { readAll } from './read-all.ts';
import { toNumber } from './cql-numbers.ts';

/** Rows of the old table read per page, and requests in flight while copying. */
const PAGE_ROWS = 5000;
const CONCURRENCY = 8;

/**
 * Moves the start facts of a keyspace made before the facts were sharded (migration 0003): every
 * row of `session_starts_by_bucket` is written to `start_facts_by_shard` in its session's shard,
 * with its own TTL and its own write timestamp (its version), and the seconds of each minute are
 * counted into `start_count_seconds` per shard, at the version a recount would give them — the
 * sum of their facts' write timestamps. The minute nodes and everything above were computed from
 * the same facts at the same versions and stay as they are. Every write is idempotent, so a copy
 * interrupted half-way is simply run again. Returns the number of facts copied.
 */
export async function copyLegacyStartFacts(
  client: CassandraClient,
  keyspace: string,
  options: { shards: number; retentionMs: number; now?: () => number },
): Promise<number> {
  const now = options.now ?? Date.now;
  const seconds = new CountSeconds(client, keyspace);
  const insert =
    `INSERT INTO ${keyspace}.start_facts_by_shard ` +
    '(minute, shard, ts, session_id, country, player_id, live) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
    'USING TTL ? AND TIMESTAMP ?';
  const select =
    'SELECT minute, ts, session_id, country, player_id, live, TTL(live) AS ttl, ' +
    `WRITETIME(live) AS version FROM ${keyspace}.session_starts_by_bucket`;
  let copied = 0;
  let pageState: string | undefined;
  do {
    const page = await client.execute(select, [], {
      prepare: true,
      fetchSize: PAGE_ROWS,
      ...(pageState === undefined ? {} : { pageState }),
    });
    const writes: PartitionWrite[] = [];
    // (shard, second) → the second's counts and version, from this page's rows. A minute's rows
    // may span two pages: each page then writes part of a second's facts, and the second is
    // counted again from the new table once its minute is done (below).
    const touched = new Map<string, { shard: number; minute: number }>();
    for (const row of page.rows) {
      const ttl = row.get('ttl') as number | null;
      if (ttl === null || ttl <= 0) continue;
      const minute = (row.get('minute') as Date).getTime();
      const sessionId = row.get('session_id') as string;
      const shard = shardOf(sessionId, options.shards);
      writes.push({
        query: insert,
        params: [
          row.get('minute'),
          shard,
          row.get('ts'),
          sessionId,
          row.get('country'),
          row.get('player_id'),
          row.get('live'),
          ttl,
          toNumber(row.get('version')),
        ],
        partition: `${keyspace}.start_facts_by_shard:${minute}:${shard}`,
      });
      touched.set(`${minute}:${shard}`, { shard, minute });
      copied++;
    }
    await writeGrouped(client, writes, { concurrency: CONCURRENCY, acrossPartitions: false });
    const counted: PartitionWrite[] = [];
    for (const { shard, minute } of touched.values()) {
      for (const [second, sum] of await secondsOf(client, keyspace, minute, shard)) {
        const ttl = ttlSeconds(second, now(), options.retentionMs);
        if (ttl <= 0 || sum.version === 0) continue;
        counted.push(seconds.secondWrite(shard, second, sum.counts, sum.version, ttl));
      }
    }
    await writeGrouped(client, counted, { concurrency: CONCURRENCY, acrossPartitions: false });
    const next: unknown = page.pageState;
    pageState = typeof next === 'string' ? next : undefined;
  } while (pageState !== undefined);
  return copied;
}

/** A minute partition of the new table, counted by second: live starts per country, versions summed. */
async function secondsOf(
  client: CassandraClient,
  keyspace: string,
  minute: number,
  shard: number,
): Promise<Map<number, { counts: CountVector; version: number }>> {
  const rows = await readAll(
    client,
    `SELECT ts, country, live, WRITETIME(live) AS version FROM ${keyspace}.start_facts_by_shard ` +
      'WHERE minute = ? AND shard = ?',
    [new Date(minute), shard],
  );
  const seconds = new Map<number, { counts: CountVector; version: number }>();
  for (const row of rows) {
    const second = floorTo((row.get('ts') as Date).getTime(), SECOND_MS);
    let sum = seconds.get(second);
    if (!sum) seconds.set(second, (sum = { counts: new Map(), version: 0 }));
    const country = row.get('country') as string;
    sum.counts.set(country, (sum.counts.get(country) ?? 0) + (row.get('live') === true ? 1 : 0));
    sum.version += toNumber(row.get('version'));
  }
  return seconds;
}
