import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from './process.ts';
import { redisAnswers } from './redis-local.ts';

/**
 * The processes of the local Sentinel setup (ops/lib/redis-sentinel-local.ts), one at a time, and
 * the questions asked of them.
 */
export const SENTINEL_NAME = 'pss';

/**
 * What the sentinels run with, here as in production (README, Running at scale → Redis, says why):
 * a primary is down after 5 s without an answer, a failover attempt gets 60 s before another may
 * start, and replicas move to a new primary one at a time.
 */
export const SENTINEL_TIMINGS = {
  downAfterMs: 5000,
  failoverTimeoutMs: 60_000,
  parallelSyncs: 1,
} as const;

export interface SentinelNode {
  readonly port: number;
  readonly dir: string;
  child?: ChildProcess;
}

/** Starts a data node with the queue's settings, as a replica of `replicaOf` when given. */
export async function startDataNode(node: SentinelNode, replicaOf?: number): Promise<void> {
  node.child = spawn(
    'redis-server',
    ['--port', String(node.port), '--bind', '127.0.0.1', '--dir', node.dir,
      '--appendonly', 'yes', '--appendfsync', 'always', '--save', '',
      '--maxmemory-policy', 'noeviction',
      // A node coming back resyncs at once instead of after the default 5 s.
      '--repl-diskless-sync-delay', '0',
      '--logfile', path.join(node.dir, 'redis.log'),
      ...(replicaOf === undefined ? [] : ['--replicaof', '127.0.0.1', String(replicaOf)])],
    { stdio: 'ignore' },
  ); // prettier-ignore
  const url = `redis://127.0.0.1:${node.port}`;
  if (!(await waitFor(() => redisAnswers(url), 10_000, 50)))
    throw new Error(`redis on ${node.port} did not start (is the port taken?)`);
}

/** Starts a sentinel watching the primary on `primaryPort`, with a quorum of 2. */
export async function startSentinelNode(node: SentinelNode, primaryPort: number): Promise<void> {
  // Sentinel rewrites its config file with what it learns, so each has its own.
  const file = path.join(node.dir, 'sentinel.conf');
  fs.writeFileSync(
    file,
    [
      `port ${node.port}`,
      'bind 127.0.0.1',
      `dir ${node.dir}`,
      `logfile ${path.join(node.dir, 'sentinel.log')}`,
      `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primaryPort} 2`,
      `sentinel down-after-milliseconds ${SENTINEL_NAME} ${SENTINEL_TIMINGS.downAfterMs}`,
      `sentinel failover-timeout ${SENTINEL_NAME} ${SENTINEL_TIMINGS.failoverTimeoutMs}`,
      `sentinel parallel-syncs ${SENTINEL_NAME} ${SENTINEL_TIMINGS.parallelSyncs}`,
      '',
    ].join('\n'),
  );
  node.child = spawn('redis-server', [file, '--sentinel'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${node.port}`;
  if (!(await waitFor(() => redisAnswers(url), 10_000, 50)))
    throw new Error(`sentinel on ${node.port} did not start (is the port taken?)`);
}

/** A client that gives up on a node after a second: a paused node takes connections, never answers. */
function briefClient(port: number): Redis {
  const client = new Redis({
    port,
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: 1000,
    commandTimeout: 1000,
  });
  client.on('error', () => undefined);
  return client;
}

/** The port of the node the first sentinel that answers calls the primary. */
export async function primaryPortOf(sentinels: readonly SentinelNode[]): Promise<number> {
  for (const s of sentinels) {
    const client = briefClient(s.port);
    try {
      await client.connect();
      const reply = (await client.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_NAME)) as
        string[] | null;
      if (reply) return Number(reply[1]);
    } catch {
      // this sentinel is away: ask the next one
    } finally {
      client.disconnect();
    }
  }
  throw new Error('no sentinel answered');
}

/** Whether the node on `port` is a primary with a replica in sync. */
export async function primaryInSync(port: number): Promise<boolean> {
  const client = briefClient(port);
  try {
    await client.connect();
    const info = await client.info('replication');
    return /^role:master/m.test(info) && /slave\d+:.*state=online/.test(info);
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
