import fs from 'node:fs';
import { Redis } from 'ioredis';
import { LocalCassandra } from '../lib/cassandra-local.ts';
import type { LocalSettings } from '../lib/local-settings.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * The pid of the Redis behind `url`, from its own `INFO server` (`process_id`), so that it is
 * right whoever started that Redis. Only believed when Redis is on this host and /proc shows a
 * redis-server under that pid: in a container or on another host the number names nothing here.
 */
export async function redisPid(url: string): Promise<number | undefined> {
  if (!LOOPBACK.has(new URL(url).hostname)) return undefined;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on('error', () => undefined);
  let info: string;
  try {
    await redis.connect();
    info = await redis.info('server');
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
  const pid = Number(/^process_id:(\d+)\s*$/m.exec(info)?.[1]);
  if (!Number.isInteger(pid)) return undefined;
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('redis-server')
      ? pid
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pid of the Cassandra node, when it is the project's local one: from the pid file the
 * local stack writes (checked to name a live CassandraDaemon). Cassandra reports no pid of its
 * own over CQL, and a node elsewhere has none that /proc here could read.
 */
export function cassandraPid(
  local: LocalSettings,
  contactPoints: readonly string[],
): number | undefined {
  const node = new LocalCassandra(local, () => undefined);
  return contactPoints.length === 1 && contactPoints[0] === node.contactPoint
    ? node.pid()
    : undefined;
}
