import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { OpsError } from './errors.ts';
import type { LocalSettings } from './local-settings.ts';
import { readPid, run, terminate, waitFor } from './process.ts';

/**
 * A local Redis for development and tests, run from the `redis-server` on the PATH with the
 * settings the design requires of every Redis that holds the queue: append-only persistence with
 * an fsync before each write is acknowledged (a 202 means the batch is on disk), and
 * `maxmemory-policy noeviction` (a full Redis refuses writes instead of dropping jobs).
 */
export class LocalRedis {
  readonly dir: string;
  private readonly pidFile: string;

  constructor(
    private readonly local: LocalSettings,
    private readonly say: (line: string) => void = console.log,
  ) {
    this.dir = path.join(local.dir, 'redis');
    this.pidFile = path.join(this.dir, 'redis.pid');
  }

  get url(): string {
    return `redis://127.0.0.1:${this.local.redisPort}`;
  }

  async isUp(): Promise<boolean> {
    return redisAnswers(this.url);
  }

  /** Starts the server unless one already answers on the project port; returns whether it did. */
  async start(): Promise<boolean> {
    if (await this.isUp()) return false;
    fs.mkdirSync(this.dir, { recursive: true });
    const port = this.local.redisPort;
    const result = await run('redis-server', [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--dir', this.dir,
      '--daemonize', 'yes',
      '--pidfile', this.pidFile,
      '--logfile', path.join(this.dir, 'redis.log'),
      '--appendonly', 'yes',
      '--appendfsync', 'always',
      '--save', '',
      '--maxmemory-policy', 'noeviction',
    ]); // prettier-ignore
    if (result.missing) {
      throw new OpsError(
        'redis-server was not found on the PATH.',
        'Install it (Debian/Ubuntu: `sudo apt-get install redis-server`), or set REDIS_URL to a running Redis.',
      );
    }
    if (result.code !== 0) {
      throw new OpsError(`redis-server failed to start: ${result.stderr || result.stdout}`);
    }
    if (!(await waitFor(() => this.isUp(), 10_000, 100))) {
      throw new OpsError(
        `Redis did not answer on port ${port}.`,
        `See ${path.join(this.dir, 'redis.log')}.`,
      );
    }
    this.say(
      `Started the local Redis on ${this.url} (append-only, noeviction, data in ${this.dir})`,
    );
    return true;
  }

  async stop(): Promise<boolean> {
    const pid = readPid(this.pidFile);
    if (pid === undefined) return false;
    this.say(`Stopping the local Redis (pid ${pid}) ...`);
    await terminate(pid, 10_000);
    return true;
  }

  pid(): number | undefined {
    return readPid(this.pidFile);
  }
}

/** True when a Redis at `url` answers PING within a second or two. */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1500,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
