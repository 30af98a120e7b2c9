import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { waitFor } from '../../../ops/lib/process.ts';
import { inheritedEnv } from '../../../src/config/env.ts';
import { MINUTE_MS } from '../../../src/domain/duration.ts';
import { shardOf } from '../../../src/domain/shard.ts';
import { batchIdFor } from '../../../src/api/ingest/batch-producer.ts';
import { countsQueueName } from '../../../src/queue/counts-queue.ts';
import { queueIndexOf } from '../../../src/queue/queue-routing.ts';
import { composeWorker, type WorkerProcess } from '../../../workers/compose-worker.ts';
import { createEventsWorker } from '../../../workers/jobs/events-worker.ts';
import { testConfig } from '../../helpers/env.ts';
import { endEvent, startEvent, type RawEvent } from '../../helpers/events.ts';
import { OwnRedis } from '../../helpers/redis-server.ts';
import { silentLogger, TestService } from '../../helpers/service.ts';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A completed session of its own player, starting a minute ago. */
const session = (name: string, country = 'FI'): RawEvent[] => {
  const t = Date.now() - MINUTE_MS;
  return [
    startEvent(`s-${name}`, `p-${name}`, country, t),
    endEvent(`s-${name}`, `p-${name}`, t + 1000),
  ];
};

/** The first `count` Idempotency-Keys (with auth off, unscoped) whose batches go to `queue` of 2. */
function keysOnQueue(queue: number, count: number, tag: string): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++)
    if (queueIndexOf(batchIdFor(`${tag}-${i}`), 2) === queue) keys.push(`${tag}-${i}`);
  return keys;
}

/** Two queues: queue 0 on the suite's Redis, queue 1 on a Redis of the test's own. */
async function twoQueues(overrides: Record<string, string> = {}) {
  const second = await OwnRedis.start();
  const first = testConfig().redis.url;
  const service = await TestService.start({
    workers: 0,
    overrides: { QUEUE_REDIS_URLS: `${first},${second.url}`, ...overrides },
  });
  const redis = [new Redis(first), new Redis(second.url)];
  return {
    service,
    redis,
    async stop() {
      for (const r of redis) r.disconnect();
      await service.close();
      await second.stop();
    },
  };
}

describe('several queues, each on a Redis of its own', function () {
  this.timeout(120_000);

  describe('routing, processing and answering', () => {
    let setup: Awaited<ReturnType<typeof twoQueues>>;
    let service: TestService;
    let worker: WorkerProcess | undefined;
    const posted: { id: string; name: string }[] = [];

    before(async () => {
      // 4 shards: the rollups' marks of shards 0 and 2 go to queue 0's Redis, of 1 and 3 to queue 1's.
      setup = await twoQueues({
        CASSANDRA_START_SHARDS: '4',
        ADMIN_USER: 'ops',
        ADMIN_PASSWORD: 'correct horse battery',
      });
      service = setup.service;
    });
    after(async () => {
      await worker?.close();
      await setup.stop();
    });

    const recordKey = (queue: number, id: string) =>
      `${service.config.queue.prefix}:${service.queues[queue]!.name}:done:${id}`;

    it('puts each batch on the queue its id hashes to, so both queues take batches', async () => {
      for (let i = 0; i < 24; i++) {
        const name = `route-${i}`;
        const answer = await service.post(session(name));
        expect(answer.status).to.equal(202);
        posted.push({ id: String(answer.body.batch_id), name });
      }
      const perQueue = [0, 0];
      for (const { id } of posted) {
        const own = queueIndexOf(id, 2);
        perQueue[own]!++;
        expect(await service.queues[own]!.getJob(id), `batch ${id} on queue ${own}`).to.not.equal(
          undefined,
        );
        expect(await service.queues[1 - own]!.getJob(id), 'and not on the other').to.equal(
          undefined,
        );
        const status = await service.get(`/v1/batches/${id}`);
        expect(status.body).to.deep.include({ state: 'queued', accepted: 2 });
      }
      expect(perQueue[0], 'batches on queue 0').to.be.at.least(1);
      expect(perQueue[1], 'batches on queue 1').to.be.at.least(1);
    });

    it('has workers take both queues, and answers every batch done from its own queue’s record', async () => {
      worker = await composeWorker(service.config, silentLogger);
      expect(worker.workers).to.have.length(2);
      await service.drained();
      for (const { id, name } of posted) {
        const own = queueIndexOf(id, 2);
        expect(await waitFor(() => service.completions.count(id) === 1, 5000, 20)).to.be.true;
        expect(await setup.redis[own]!.get(recordKey(own, id)), 'its record').to.equal(
          '[2,null,null,1]',
        );
        expect(await setup.redis[1 - own]!.exists(recordKey(1 - own, id))).to.equal(0);
        const status = await service.get(`/v1/batches/${id}`);
        expect(status.body).to.deep.equal({ batch_id: id, state: 'done', accepted: 2 });
        const sessions = await service.get<{ sessions: unknown[] }>(
          `/v1/players/p-${name}/sessions`,
        );
        expect(sessions.body.sessions, name).to.have.length(1);
      }
      // Every start counted once, whichever Redis counted its shard.
      const starts = await service.get<{ starts: number }>('/v1/countries/FI/starts?hours=1');
      expect(starts.body.starts).to.equal(posted.length);
    });

    it('counts shard g on queue g mod 2’s Redis: each Redis holds the marks of its own shards only', async () => {
      const countsPrefix = (queue: number) =>
        `${service.config.queue.prefix}:${countsQueueName({ ...service.config.queue, name: service.queues[queue]!.name })}`;
      const shardsMarked = async (queue: number) => {
        const keys = await setup.redis[queue]!.keys(`${countsPrefix(queue)}:marked:*`);
        return keys.map((k) => Number(k.split(':').at(-1))).sort();
      };
      // Session ids are fixed, so their shards are: each Redis holds exactly its own ones' marks.
      const shards = new Set(posted.map(({ name }) => shardOf(`s-${name}`, 4)));
      expect([...shards].sort(), 'the sessions fall in every shard').to.deep.equal([0, 1, 2, 3]);
      expect(await shardsMarked(0)).to.deep.equal([0, 2]);
      expect(await shardsMarked(1)).to.deep.equal([1, 3]);
    });

    it('answers a keyed repeat from its own queue, with the first answer and nothing added', async () => {
      for (const queue of [0, 1]) {
        const [key] = keysOnQueue(queue, 1, 'repeat');
        const body = session(`keyed-${queue}`);
        const first = await service.post(body, { 'idempotency-key': key! });
        expect(first.status).to.equal(202);
        const id = String(first.body.batch_id);
        expect(queueIndexOf(id, 2)).to.equal(queue);
        await service.drained();
        expect(await waitFor(() => service.completions.count(id) === 1, 5000, 20)).to.be.true;
        const repeat = await service.post(body, { 'idempotency-key': key! });
        expect(repeat.status).to.equal(202);
        expect(repeat.body).to.deep.equal(first.body);
        for (const q of service.queues)
          expect(await q.getJob(id), 'no new job').to.equal(undefined);
        const other = await service.post(session('other'), { 'idempotency-key': key! });
        expect(other.status).to.equal(422);
      }
    });

    it('shows every events queue, its rollups’ queue and the erasures’ queue in Bull Board', async () => {
      const response = await fetch(`${service.api.url}/admin/queues/api/queues`, {
        headers: { authorization: basic('ops', 'correct horse battery') },
      });
      expect(response.status).to.equal(200);
      const body = (await response.json()) as { queues: { name: string }[] };
      expect(body.queues.map((q) => q.name)).to.deep.equal([
        'events',
        'events-counts',
        'events-1',
        'events-1-counts',
        'events-erasures', // one erasures queue, on REDIS_URL
      ]);
    });

    it('labels the queue figures of /metrics with their queue', async () => {
      const text = await (await fetch(`${service.api.url}/metrics`)).text();
      for (const queue of ['events', 'events-1']) {
        expect(text).to.match(
          new RegExp(`^queue_jobs\\{queue="${queue}",state="waiting"[^}]*\\} 0$`, 'm'),
        );
        expect(text).to.match(
          new RegExp(`^queue_backlog_jobs\\{queue="${queue}"[^}]*\\} \\d+$`, 'm'),
        );
        expect(text).to.match(
          new RegExp(`^redis_used_memory_bytes\\{queue="${queue}"[^}]*\\} [1-9]`, 'm'),
        );
      }
    });
  });

  describe('failed batches', () => {
    it('are put back on every queue by `npm run replay-failed`', async () => {
      const setup = await twoQueues({ JOB_ATTEMPTS: '1' });
      const { service } = setup;
      try {
        // Workers whose storage is "down": every attempt fails, and one attempt is all a job has.
        const connections = setup.redis.map((r) => r.duplicate({ maxRetriesPerRequest: null }));
        const failing = service.queues.map((q, i) =>
          createEventsWorker(
            connections[i]!,
            { ...service.config, queue: { ...service.config.queue, name: q.name } },
            () => Promise.reject(new Error('cassandra unavailable')),
          ),
        );
        const ids = [];
        for (const queue of [0, 1]) {
          const [key] = keysOnQueue(queue, 1, 'replay');
          const answer = await service.post(session(key!), { 'idempotency-key': key! });
          ids.push(String(answer.body.batch_id));
        }
        const failedOnBoth = async () =>
          (await Promise.all(service.queues.map((q) => q.getJobCounts('failed')))).every(
            (c) => c.failed === 1,
          );
        expect(await waitFor(failedOnBoth, 10_000, 50)).to.be.true;
        await Promise.all(failing.map((w) => w.close()));
        for (const c of connections) c.disconnect();

        const cli = spawnSync(process.execPath, ['--import', 'tsx', 'ops/replay-failed.ts'], {
          env: inheritedEnv({
            REDIS_URL: service.config.redis.url,
            QUEUE_REDIS_URLS: service.config.queue.redisUrls!.join(','),
            QUEUE_PREFIX: service.config.queue.prefix,
          }),
          encoding: 'utf8',
        });
        expect(cli.status, cli.stderr).to.equal(0);
        expect(cli.stdout).to.match(/Put 1 failed batch job\(s\) of queue events back/);
        expect(cli.stdout).to.match(/Put 1 failed batch job\(s\) of queue events-1 back/);
        for (const id of ids)
          expect((await service.get(`/v1/batches/${id}`)).body).to.deep.include({
            state: 'queued',
          });
      } finally {
        await setup.stop();
      }
    });
  });

  describe('backpressure', () => {
    it('refuses new batches of a full queue with 503 queue_full while the other queue takes its own', async () => {
      const setup = await twoQueues({ MAX_QUEUE_BACKLOG: '3' });
      const { service } = setup;
      try {
        const [a, b, c, refusedKey] = keysOnQueue(1, 4, 'full');
        const accepted: { key: string; body: RawEvent[]; id: string }[] = [];
        for (const key of [a!, b!, c!]) {
          const body = session(key);
          const answer = await service.post(body, { 'idempotency-key': key });
          expect(answer.status, key).to.equal(202);
          accepted.push({ key, body, id: String(answer.body.batch_id) });
        }
        // Once the API has read queue 1's backlog at its bound (the scrape reads the same sample).
        const full = async () => {
          const text = await (await fetch(`${service.api.url}/metrics`)).text();
          return /^queue_backlog_jobs\{queue="events-1"[^}]*\} 3$/m.test(text);
        };
        expect(await waitFor(full, 5000, 50), 'queue 1 seen full').to.be.true;

        const refused = await service.post(session('refused'), { 'idempotency-key': refusedKey! });
        expect(refused.status).to.equal(503);
        expect((refused.body.error as { code: string }).code).to.equal('queue_full');
        const [onFirst] = keysOnQueue(0, 1, 'free');
        const taken = await service.post(session(onFirst!), { 'idempotency-key': onFirst! });
        expect(taken.status, 'queue 0 still takes its batches').to.equal(202);
        const repeat = await service.post(accepted[0]!.body, {
          'idempotency-key': accepted[0]!.key,
        });
        expect(repeat.status, 'a repeat on the full queue adds nothing').to.equal(202);
        expect(repeat.body.batch_id).to.equal(accepted[0]!.id);

        const worker = await composeWorker(service.config, silentLogger);
        try {
          await service.drained();
        } finally {
          await worker.close();
        }
        for (const name of [a, b, c, onFirst]) {
          const sessions = await service.get<{ sessions: unknown[] }>(
            `/v1/players/p-${name}/sessions`,
          );
          expect(sessions.body.sessions, name).to.have.length(1);
        }
        const none = await service.get<{ sessions: unknown[] }>('/v1/players/p-refused/sessions');
        expect(none.body.sessions).to.deep.equal([]);
        const emptied = async () => {
          const text = await (await fetch(`${service.api.url}/metrics`)).text();
          return /^queue_backlog_jobs\{queue="events-1"[^}]*\} 0$/m.test(text);
        };
        expect(await waitFor(emptied, 5000, 50), 'queue 1 seen drained').to.be.true;
        const again = await service.post(session('refused'), { 'idempotency-key': refusedKey! });
        expect(again.status, 'taken once drained').to.equal(202);
      } finally {
        await setup.stop();
      }
    });
  });
});
