import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';
import { waitFor } from './process.ts';
import { redisAnswers } from './redis-local.ts';

/**
 * A local Redis with automatic failover, for tests and trials: a primary, one replica and three
 * sentinels (`redis-server --sentinel`, so no package beyond redis-server), each on a free port
 * with a directory of its own, the data nodes with the queue's settings (append-only, fsync
 * always, noeviction). The sentinels decide quickly (down after 1 s) so a failover takes seconds.
 * Nodes are child processes of this one: `stop()` ends them and removes their directories.
 */
export const SENTINEL_NAME = 'pss';

interface Node {
  readonly port: number;
  readonly dir: string;
  child?: ChildProcess;
}

export class LocalSentinelRedis {
  private constructor(
    readonly base: string,
    /** The two data nodes: the first starts as the primary. */
    private readonly data: readonly [Node, Node],
    private readonly sentinels: readonly Node[],
  ) {}

  static async start(): Promise<LocalSentinelRedis> {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-sentinel-'));
    const node = async (name: string): Promise<Node> => {
      const dir = path.join(base, name);
      fs.mkdirSync(dir);
      return { port: await freePort(), dir };
    };
    const data = [await node('primary'), await node('replica')] as const;
    const sentinels = [await node('s1'), await node('s2'), await node('s3')];
    const local = new LocalSentinelRedis(base, data, sentinels);
    await local.startData(data[0]);
    await local.startData(data[1], data[0].port);
    for (const s of sentinels) await local.startSentinel(s, data[0].port);
    await local.waitForReplica();
    return local;
  }

  /** The environment that points the service at this setup. */
  get env(): Record<string, string> {
    return {
      REDIS_SENTINELS: this.sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
      REDIS_SENTINEL_NAME: SENTINEL_NAME,
    };
  }

  /** The port of the node the sentinels call the primary now. */
  async primaryPort(): Promise<number> {
    for (const s of this.sentinels) {
      const client = new Redis({ port: s.port, lazyConnect: true, retryStrategy: () => null });
      client.on('error', () => undefined);
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

  /** SIGKILLs the current primary; returns its port (to restart it with `restart`). */
  async killPrimary(): Promise<number> {
    const port = await this.primaryPort();
    const node = this.data.find((n) => n.port === port);
    if (!node?.child) throw new Error(`primary on ${port} is not one of ours`);
    const child = node.child;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    return port;
  }

  /** Starts a killed data node again: the sentinels make it a replica of the new primary. */
  async restart(port: number): Promise<void> {
    const node = this.data.find((n) => n.port === port);
    if (!node) throw new Error(`no data node on ${port}`);
    await this.startData(node);
  }

  /** Waits until the primary has a replica that is in sync (a 202 with WAIT 1 is possible). */
  async waitForReplica(timeoutMs = 30_000): Promise<void> {
    const synced = async () => {
      const client = new Redis({
        port: await this.primaryPort(),
        lazyConnect: true,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const info = await client.info('replication');
        return /^role:master/m.test(info) && /slave\d+:.*state=online/.test(info);
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    };
    if (!(await waitFor(synced, timeoutMs, 100))) throw new Error('no replica came in sync');
  }

  async stop(): Promise<void> {
    for (const node of [...this.sentinels, ...this.data]) {
      const child = node.child;
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
    }
    fs.rmSync(this.base, { recursive: true, force: true });
  }

  private async startData(node: Node, replicaOf?: number): Promise<void> {
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
      throw new Error(`redis on ${node.port} did not start`);
  }

  private async startSentinel(node: Node, primaryPort: number): Promise<void> {
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
        `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
        `sentinel failover-timeout ${SENTINEL_NAME} 5000`,
        `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
        '',
      ].join('\n'),
    );
    node.child = spawn('redis-server', [file, '--sentinel'], { stdio: 'ignore' });
    const url = `redis://127.0.0.1:${node.port}`;
    if (!(await waitFor(() => redisAnswers(url), 10_000, 50)))
      throw new Error(`sentinel on ${node.port} did not start`);
  }
}
