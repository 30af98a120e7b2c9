import { setTimeout as sleep } from 'node:timers/promises';
import type { CassandraClient } from '../../src/storage/cassandra-client.ts';

/**
 * Waits until Cassandra runs no compaction (its `system_views.sstable_tasks` is empty), so that a
 * phase does not measure the previous phase's background work. Resolves to the milliseconds
 * waited; gives up quietly after `timeoutMs` (the figures then carry the compaction).
 */
export async function quiesce(cassandra: CassandraClient, timeoutMs = 300_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const tasks = await cassandra.execute('SELECT kind FROM system_views.sstable_tasks');
    if (tasks.rows.length === 0) break;
    await sleep(1000);
  }
  return Date.now() - started;
}
