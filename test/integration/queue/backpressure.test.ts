import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { expect } from 'chai';
import { waitFor } from '../../../ops/lib/process.ts';
import { queueDrained } from '../../../ops/lib/queue-drained.ts';
import { Completions } from '../../helpers/completions.ts';
import { startApiServer, type ApiServer } from '../../../src/api/server.ts';
import type { Config } from '../../../src/config/env.ts';
import { MINUTE_MS } from '../../../src/domain/duration.ts';
import {
  bullConnection,
  createRedis,
  workerRedisOptions,
} from '../../../src/queue/redis-connections.ts';
import { composeWorker } from '../../../workers/compose-worker.ts';
import { migratedKeyspace, type TestKeyspace } from '../../helpers/cassandra.ts';
import { testConfig } from '../../helpers/env.ts';
import { endEvent, startEvent, type RawEvent } from '../../helpers/events.ts';
import { OwnRedis } from '../../helpers/redis-server.ts';
import { silentLogger } from '../../helpers/service.ts';

/** `sessions` completed sessions of one player, two events each. */
function sessionsOf(player: string, sessions: number): RawEvent[] {
  const t = Date.now() - 10 * MINUTE_MS;
  return Array.from({ length: sessions }, (_, i) => [
    startEvent(`${player}-s${i}`, player, 'FI', t + i),
    endEvent(`${player}-s${i}`, player, t + i + MINUTE_MS),
  ]).flat();
}

/** An API (no worker yet) on its own keyspace and queue, with a queue for the test to look at. */
async function apiWithoutWorkers(overrides: Record<string, string>) {
  const config = testConfig(overrides);
  const ks = await migratedKeyspace(config);
  const api = await startApiServer(config, silentLogger);
  const queue = new Queue(config.queue.name, {
    connection: bullConnection(config.redis, workerRedisOptions()),
    prefix: config.queue.prefix,
  });
  queue.on('error', () => undefined);
  const completions = await Completions.watch(config);
  return { config, ks, api, queue, completions };
}

async function post(api: ApiServer, path: string, body: unknown, key?: string) {
  const response = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { batch_id?: string; error?: { code: string } };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), json };
}

/** Starts a worker, waits for the drain, and returns how many sessions each player has. */
async function drainAndCount(
  parts: { config: Config; api: ApiServer; queue: Queue },
  players: readonly string[],
): Promise<Map<string, number>> {
  const worker = await composeWorker(parts.config, silentLogger);
  try {
    await queueDrained(parts.queue, 60_000);
  } finally {
    await worker.close();
  }
  const counts = new Map<string, number>();
  for (const player of players) {
    const response = await fetch(`${parts.api.url}/v1/players/${player}/sessions`);
    counts.set(player, ((await response.json()) as { sessions: unknown[] }).sessions.length);
  }
  return counts;
}

async function cleanUp(parts: {
  ks: TestKeyspace;
  api: ApiServer;
  queue: Queue;
  completions: Completions;
}) {
  await parts.api.close();
  await parts.completions.close();
  await parts.queue.obliterate({ force: true });
  await parts.queue.close();
  await parts.ks.drop();
}

describe('backpressure: a full queue refuses batches before Redis fills up', function () {
  this.timeout(120_000);

  it('refuses past the backlog bound with 503 queue_full, processes every 202 once, then accepts again', async () => {
    const parts = await apiWithoutWorkers({ MAX_QUEUE_BACKLOG: '5' });
    try {
      const accepted: string[] = [];
      const refused: string[] = [];
      let keyed: { key: string; body: RawEvent[]; batchId: string } | undefined;
      for (let i = 0; i < 60 && refused.length < 3; i++) {
        const player = `p-bp-${i}`;
        const body = sessionsOf(player, 1);
        const key = i === 0 ? 'bp-first' : undefined;
        const answer = await post(parts.api, '/v1/batches', body, key);
        if (answer.status === 202) {
          accepted.push(player);
          if (key) keyed = { key, body, batchId: answer.json.batch_id! };
        } else {
          expect(answer.status).to.equal(503);
          expect(answer.json.error?.code).to.equal('queue_full');
          expect(answer.retryAfter).to.equal('5');
          refused.push(player);
        }
        await sleep(50); // past a sample period now and then, as real traffic would be
      }
      expect(refused, 'refused batches').to.have.length(3);
      expect(accepted.length).to.be.at.least(5);

      const bulk = await post(parts.api, '/v1/batches/bulk', sessionsOf('p-bp-bulk', 2));
      expect(bulk.status).to.equal(503);
      expect(bulk.json.error?.code).to.equal('queue_full');
      const repeat = await post(parts.api, '/v1/batches', keyed!.body, keyed!.key);
      expect(repeat.status, 'a repeat of an accepted batch').to.equal(202);
      expect(repeat.json.batch_id).to.equal(keyed!.batchId);
      expect((await fetch(`${parts.api.url}/readyz`)).status, 'still ready').to.equal(200);
      const metrics = await (await fetch(`${parts.api.url}/metrics`)).text();
      // Each figure is its queue's: the one queue here is `events`.
      expect(metrics).to.match(/^queue_backlog_jobs\{queue="events",process="api"\} [1-9]\d*$/m);
      expect(metrics).to.match(/^batches_refused_total\{reason="backlog",process="api"\} 4$/m);
      expect(metrics).to.match(
        /^redis_used_memory_bytes\{queue="events",process="api"\} [1-9]\d*$/m,
      );

      const counts = await drainAndCount(parts, [...accepted, ...refused, 'p-bp-bulk']);
      for (const player of accepted) expect(counts.get(player), player).to.equal(1);
      for (const player of [...refused, 'p-bp-bulk'])
        expect(counts.get(player), player).to.equal(0);
      expect(await waitFor(() => parts.completions.total() >= accepted.length, 5000, 20)).to.be
        .true;
      expect(parts.completions.total(), 'one job per 202').to.equal(accepted.length);

      const again = await waitFor(
        async () =>
          (await post(parts.api, '/v1/batches', sessionsOf('p-bp-after', 1))).status === 202,
        5000,
        100,
      );
      expect(again, 'accepted again once drained').to.be.true;
    } finally {
      await cleanUp(parts);
    }
  });

  it('refuses with 503 under a flood into a Redis with a small maxmemory, and loses no 202', async () => {
    const redis = await OwnRedis.start();
    const admin = createRedis({ url: redis.url }, workerRedisOptions(), () => undefined);
    // In a Redis this small, what the workers add while they drain (a done record per batch,
    // BullMQ's event stream growing to 10,000 entries) is a large share of it: half stays free.
    const parts = await apiWithoutWorkers({
      REDIS_URL: redis.url,
      REDIS_MEMORY_REFUSE_FRACTION: '0.5',
    });
    try {
      // Once the API's connection is up (a first POST may find it still connecting).
      const warm = () => post(parts.api, '/v1/batches/bulk', sessionsOf('p-mem-warm', 20), 'warm');
      expect(await waitFor(async () => (await warm()).status === 202, 5000, 50)).to.be.true;
      const used = Number(/^used_memory:(\d+)/m.exec(await admin.info('memory'))![1]);
      await admin.config('SET', 'maxmemory', String(used + 4 * 1024 * 1024));
      const accepted = ['p-mem-warm'];
      const codes = new Map<string, number>();
      let next = 0;
      const flood = async () => {
        while (codes.size === 0 || [...codes.values()].reduce((a, b) => a + b) < 20) {
          const player = `p-mem-${next++}`;
          const answer = await post(parts.api, '/v1/batches/bulk', sessionsOf(player, 20));
          if (answer.status === 202) accepted.push(player);
          else {
            expect(answer.status).to.equal(503);
            const code = answer.json.error!.code;
            codes.set(code, (codes.get(code) ?? 0) + 1);
          }
        }
      };
      await Promise.all([flood(), flood()]);
      expect(codes.get('queue_full'), 'refused by the memory check').to.be.at.least(1);
      expect(accepted.length).to.be.at.least(10);
      const metrics = await (await fetch(`${parts.api.url}/metrics`)).text();
      expect(metrics).to.match(/^batches_refused_total\{reason="memory",process="api"\} [1-9]/m);
      expect(metrics).to.match(/^redis_maxmemory_bytes\{queue="events",process="api"\} [1-9]\d*$/m);

      // The refuse fraction leaves the workers the room to take and finish every job.
      const counts = await drainAndCount(parts, accepted);
      for (const player of accepted) expect(counts.get(player), player).to.equal(20);
    } finally {
      await admin.config('SET', 'maxmemory', '0'); // room for obliterate's bookkeeping
      await cleanUp(parts);
      admin.disconnect();
      await redis.stop();
    }
  });
});
