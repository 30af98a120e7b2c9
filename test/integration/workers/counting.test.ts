import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import pMap from 'p-map';
import { createCountsQueue } from '../../../src/queue/counts-queue.ts';
import {
  bullConnection,
  createRedis,
  workerRedisOptions,
} from '../../../src/queue/redis-connections.ts';
import { composeCounting, type Counting } from '../../../workers/counts/compose-counting.ts';
import type { DirtyShards } from '../../../workers/counts/dirty-seconds.ts';
import { testConfig } from '../../helpers/env.ts';

const dirty = (shard: number, second: number, country = 'FI'): DirtyShards =>
  new Map([[shard, new Map([[second, new Set([country])]])]]);

/**
 * Counting across worker processes, with the rollups' queue on the real Redis and a recount that
 * records what it was given: at most one rollup of a shard at a time anywhere, marks shared, and
 * every wait answered only after a rollup that took its marks.
 */
describe('counting: one owner per shard, whichever worker runs it', function () {
  this.timeout(60_000);
  const config = testConfig();
  const redis = createRedis(config.redis, workerRedisOptions(), () => undefined);
  const running = new Map<number, number>();
  let overlaps = 0;
  const counted: { shard: number; seconds: number[] }[] = [];
  const rollUp = async (d: DirtyShards) => {
    for (const [shard, seconds] of d) {
      const now = (running.get(shard) ?? 0) + 1;
      running.set(shard, now);
      if (now > 1) overlaps++;
      await sleep(30); // a recount takes a while: long enough for others to try
      counted.push({ shard, seconds: [...seconds.keys()] });
      running.set(shard, now - 1);
    }
  };
  const workers: Counting[] = [];

  before(async () => {
    for (let i = 0; i < 3; i++) {
      const counting = await composeCounting({
        redis,
        marksRedis: redis,
        replicas: undefined,
        connection: bullConnection(config.redis, workerRedisOptions()),
        queue: config.queue,
        rollUp,
        intervalMs: 20,
        lingerMs: 2,
        timeoutMs: 20_000,
        concurrency: 4,
        workerName: `w${i}`,
      });
      await counting.resume();
      workers.push(counting);
    }
  });
  after(async () => {
    for (const w of workers) await w.close();
    const queue = createCountsQueue(
      bullConnection(config.redis, workerRedisOptions()),
      config.queue,
    );
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('answers every wait after a rollup that counted its seconds, and never runs a shard twice at once', async () => {
    const asked: { shard: number; second: number }[] = [];
    await pMap(
      Array.from({ length: 120 }, (_, i) => i),
      async (i) => {
        const shard = i % 3;
        const second = 1_000 * (i % 17);
        asked.push({ shard, second });
        await workers[i % workers.length]!.whenCounted(dirty(shard, second));
        // By now some rollup of that shard has counted that second.
        expect(
          counted.some((c) => c.shard === shard && c.seconds.includes(second)),
          `shard ${shard} second ${second}`,
        ).to.equal(true);
      },
      { concurrency: 40 },
    );
    expect(overlaps, 'two rollups of one shard at once').to.equal(0);
    // Many waits share each rollup.
    expect(counted.length).to.be.lessThan(asked.length);
  });

  it('fails the waits of a shard whose rollup fails, and counts the marks on the next rollup', async () => {
    let fail = true;
    const flaky = await composeCounting({
      redis,
      marksRedis: redis,
      replicas: undefined,
      connection: bullConnection(config.redis, workerRedisOptions()),
      queue: { ...config.queue, name: `${config.queue.name}-flaky` },
      rollUp: (d) => {
        if (fail) return Promise.reject(new Error('Cassandra away'));
        return rollUp(d);
      },
      intervalMs: 10,
      lingerMs: 2,
      timeoutMs: 20_000,
      concurrency: 1,
      workerName: 'flaky',
    });
    await flaky.resume();
    try {
      let error: unknown;
      await flaky.whenCounted(dirty(9, 42_000)).catch((err: unknown) => (error = err));
      expect((error as Error).name).to.equal('CountsUnavailableError');
      fail = false;
      await flaky.whenCounted(dirty(9, 43_000));
      const last = counted.filter((c) => c.shard === 9).at(-1);
      expect(last?.seconds.sort()).to.deep.equal([42_000, 43_000]);
    } finally {
      await flaky.close();
      const queue = createCountsQueue(bullConnection(config.redis, workerRedisOptions()), {
        ...config.queue,
        name: `${config.queue.name}-flaky`,
      });
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
