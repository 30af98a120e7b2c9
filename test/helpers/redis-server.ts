import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../ops/lib/free-port.ts';
import { waitFor } from '../../ops/lib/process.ts';
import { redisAnswers } from '../../ops/lib/redis-local.ts';
import { createRedis, workerRedisOptions } from '../../src/queue/redis-connections.ts';

/**
 * A redis-server of the test's own, on a free port, with append-only persistence in a temporary
 * directory: for tests that stop, kill and restart Redis without touching the shared one.
 */
export class OwnRedis {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
    /** The primary's port, for a replica. */
    private readonly replicaOf: number | undefined,
    private readonly appendfsync: 'always' | 'everysec',
  ) {}

  /**
   * `dir`: where its data goes (a temporary directory unless given, e.g. a small disk);
   * `appendfsync`: `always` as the service runs Redis, `everysec` for what a Redis run so does.
   */
  static async start(
    options: { replicaOf?: OwnRedis; dir?: string; appendfsync?: 'always' | 'everysec' } = {},
  ): Promise<OwnRedis> {
    const redis = new OwnRedis(
      await freePort(),
      options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pss-redis-')),
      options.replicaOf?.port,
      options.appendfsync ?? 'always',
    );
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on the same port and data directory. */
  async restart(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes',
        '--appendfsync', this.appendfsync, '--save', '', '--maxmemory-policy', 'noeviction',
        // A replica asking for a copy gets it at once instead of after the default 5 s.
        '--repl-diskless-sync-delay', '0',
        ...(this.replicaOf === undefined ? [] : ['--replicaof', '127.0.0.1', String(this.replicaOf)])],
      { stdio: 'ignore' },
    ); // prettier-ignore
    if (!(await waitFor(() => redisAnswers(this.url), 10_000, 50)))
      throw new Error('own redis did not start');
  }

  /** Waits until a replica of this primary is in sync (a `WAIT 1` can then succeed). */
  async waitForReplica(timeoutMs = 10_000): Promise<void> {
    const client = createRedis(
      { url: this.url },
      { ...workerRedisOptions(), lazyConnect: true },
      () => undefined,
    );
    try {
      // "online" is not yet acknowledging: after a diskless full sync the primary lists the replica
      // online before its first REPLCONF ACK starts the stream (up to a second later), and a WAIT
      // in between runs out. In sync is when a write of this connection is acknowledged.
      const online = async () => /slave\d+:.*state=online/.test(await client.info('replication'));
      const acknowledges = async () => {
        await client.incr('own-redis:sync-probe');
        return Number(await client.call('WAIT', '1', '200')) >= 1;
      };
      const synced = async () => (await online()) && (await acknowledges());
      if (!(await waitFor(synced, timeoutMs, 50))) throw new Error('no replica came in sync');
    } finally {
      client.disconnect();
    }
  }

  /** Whether the server is still running (a Redis with `appendfsync always` exits on a full disk). */
  get running(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  /** SIGKILL: no chance to flush anything that append-only persistence has not already written. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
