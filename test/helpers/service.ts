import { Queue } from 'bullmq';
import { QueueGroup } from '../../ops/lib/queue-group.ts';
import { queueDrained } from '../../ops/lib/queue-drained.ts';
import { createKey } from '../../ops/lib/api-keys.ts';
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import type { Scope } from '../../src/auth/api-key.ts';
import { ApiKeys } from '../../src/storage/api-keys.ts';
import type { Config } from '../../src/config/env.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createCountsQueue } from '../../src/queue/counts-queue.ts';
import { queueSpecs } from '../../src/queue/queue-specs.ts';
import { bullConnection, workerRedisOptions } from '../../src/queue/redis-connections.ts';
import { composeWorker, type WorkerProcess } from '../../workers/compose-worker.ts';
import { migratedKeyspace, type TestKeyspace } from './cassandra.ts';
import { Completions } from './completions.ts';
import { testConfig } from './env.ts';

export const silentLogger = createLogger({ level: 'silent', name: 'test' });

export interface HttpResult<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** The service as a client sees it: API and workers in this process, on a throwaway keyspace and queues. */
export class TestService {
  private constructor(
    readonly config: Config,
    readonly ks: TestKeyspace,
    readonly api: ApiServer,
    readonly workers: WorkerProcess[],
    /** Every events queue (one unless QUEUE_REDIS_URLS lists several), in routing order. */
    readonly queues: readonly Queue[],
    /** Every batch job that completed, from BullMQ's event stream (done jobs are not kept). */
    readonly completions: Completions,
  ) {}

  static async start(
    options: { overrides?: Record<string, string>; workers?: number } = {},
  ): Promise<TestService> {
    const config = testConfig(options.overrides);
    const ks = await migratedKeyspace(config);
    const api = await startApiServer(config, silentLogger);
    const workers = await Promise.all(
      Array.from({ length: options.workers ?? 1 }, () => composeWorker(config, silentLogger)),
    );
    const queues = queueSpecs(config).map((spec) => {
      const queue = new Queue(spec.queue.name, {
        connection: bullConnection(spec.target, workerRedisOptions()),
        prefix: spec.queue.prefix,
      });
      queue.on('error', () => undefined); // tests that kill Redis make this connection fail on purpose
      return queue;
    });
    const completions = await Completions.watch(config);
    return new TestService(config, ks, api, workers, queues, completions);
  }

  /** The first events queue: the only one, by default. */
  get queue(): Queue {
    const [first] = this.queues;
    if (!first) throw new Error('no events queue');
    return first;
  }

  async post(
    body: unknown,
    headers: Record<string, string> = {},
    path = '/v1/batches',
  ): Promise<HttpResult> {
    const response = await fetch(`${this.api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  async get<T = Record<string, unknown>>(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const response = await fetch(`${this.api.url}${path}`, { headers });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as T,
    };
  }

  /** A new API key with these scopes, as `Authorization` headers (the service must run AUTH=on). */
  async keyHeaders(...scopes: Scope[]): Promise<Record<string, string>> {
    const { key } = await createKey(this.keys, `test ${scopes.join(',')}`, scopes);
    return { authorization: `Bearer ${key}` };
  }

  get keys(): ApiKeys {
    return new ApiKeys(this.ks.client, this.ks.keyspace);
  }

  /** Waits until no events queue holds a job that is waiting, active or waiting for a retry. */
  async drained(timeoutMs = 30_000): Promise<void> {
    await queueDrained(new QueueGroup(this.queues), timeoutMs);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await this.api.close();
    await this.completions.close();
    for (const queue of this.queues) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    for (const spec of queueSpecs(this.config)) {
      const counts = createCountsQueue(
        bullConnection(spec.target, workerRedisOptions()),
        spec.queue,
      );
      await counts.obliterate({ force: true });
      await counts.close();
    }
    await this.ks.drop();
  }
}
