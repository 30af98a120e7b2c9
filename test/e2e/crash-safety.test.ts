import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Random } from '../../ops/data/random.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { postAll } from '../helpers/client.ts';
import { expectViewsMatch } from '../helpers/compare-views.ts';
import { ViewModel } from '../helpers/model.ts';
import { ServiceProcess } from '../../ops/lib/service-process.ts';
import { OwnRedis } from '../helpers/redis-server.ts';
import { testConfig } from '../helpers/env.ts';
import { ONE_QUEUE, TWO_QUEUES_FOUR_SHARDS, type QueueSetup } from '../helpers/queue-setups.ts';
import { TestService } from '../helpers/service.ts';

const SEED = Number(
  process.argv.find((a) => a.startsWith('--seed='))?.slice(7) ?? Date.now() % 1_000_000,
);

/** Posts `sessions` sessions' worth of awkward events while `chaos` runs; returns the model of what was accepted. */
async function loadWithChaos(
  service: TestService,
  random: Random,
  sessions: number,
  chaos: (done: () => boolean) => Promise<void>,
) {
  const model = new ViewModel();
  const batches = validAwkwardBatches(random, Date.now(), sessions);
  let finished = false;
  const load = postAll(service.api.url, batches, {
    concurrency: 2,
    onAccepted: (posted) => model.addAccepted(posted),
  }).finally(() => (finished = true));
  await Promise.all([load, chaos(() => finished)]);
  return { model, events: batches.flat().length };
}

/**
 * The crash tests, on one queue and again on two queues on two Redis instances with 4 shards: a
 * worker killed holds jobs of every queue and marks of every Redis, and each Redis crashes once.
 */
function crashSuite(title: string, layout: QueueSetup) {
  describe(title, function () {
    this.timeout(600_000);
    afterEach(function () {
      if (this.currentTest?.state === 'failed')
        console.error(`\n  crash test seed: ${SEED} (rerun with --seed=${SEED})\n`);
    });

    it(`keeps both views exact while worker processes are SIGKILLed again and again (seed ${SEED})`, async () => {
      const random = new Random(SEED);
      const started = await layout.start(testConfig().redis.url);
      // Short locks, so that a killed worker's jobs come back within seconds.
      const service = await TestService.start({
        workers: 0,
        overrides: {
          WORKER_LOCK_DURATION_MS: '2000',
          WORKER_STALLED_INTERVAL_MS: '1000',
          WORKER_CONCURRENCY: '16',
          ...started.env,
        },
      }).catch(async (err: unknown) => {
        await started.stop();
        throw err;
      });
      const env = {
        REDIS_URL: service.config.redis.url,
        CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
        QUEUE_PREFIX: service.config.queue.prefix,
        WORKER_LOCK_DURATION_MS: '2000',
        WORKER_STALLED_INTERVAL_MS: '1000',
        WORKER_CONCURRENCY: '16',
        ...started.env,
      };
      const workers: ServiceProcess[] = [];
      let kills = 0;
      try {
        workers.push(
          await ServiceProcess.start('worker', env),
          await ServiceProcess.start('worker', env),
        );
        const { model, events } = await loadWithChaos(service, random, 2500, async (done) => {
          while (!done() || kills < 12) {
            await sleep(random.int(200, 1200));
            const i = random.int(0, workers.length - 1);
            const victim = workers[i]!;
            victim.kill('SIGKILL');
            const exit = await victim.exited;
            expect(exit.signal).to.equal('SIGKILL');
            kills++;
            await sleep(random.int(0, 400));
            workers[i] = await ServiceProcess.start('worker', env);
          }
        });
        expect(events).to.be.greaterThan(4000);
        expect(kills).to.be.at.least(12);
        await service.drained(300_000);
        expect(
          service.completions.perQueue().every((n) => n > 0),
          'batches on every queue',
        ).to.be.true;
        await expectViewsMatch((path) => service.get(path), model, 101);
      } finally {
        for (const w of workers) w.kill('SIGKILL');
        await service.close();
        await started.stop();
      }
    });

    it('keeps both views exact when Redis is SIGKILLed and restarted mid-load (append-only, fsync always)', async () => {
      const random = new Random(SEED + 1);
      const redis = await OwnRedis.start();
      const started = await layout.start(redis.url).catch(async (err: unknown) => {
        await redis.stop();
        throw err;
      });
      // Each crash takes down the next Redis: with two queues, each of them once.
      const servers = [redis, ...started.extraRedis];
      let service: TestService | undefined;
      let worker: ServiceProcess | undefined;
      try {
        service = await TestService.start({
          workers: 0,
          overrides: {
            REDIS_URL: redis.url,
            WORKER_LOCK_DURATION_MS: '2000',
            WORKER_STALLED_INTERVAL_MS: '1000',
            ...started.env,
          },
        });
        const env = {
          REDIS_URL: redis.url,
          CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
          QUEUE_PREFIX: service.config.queue.prefix,
          WORKER_LOCK_DURATION_MS: '2000',
          WORKER_STALLED_INTERVAL_MS: '1000',
          ...started.env,
        };
        worker = await ServiceProcess.start('worker', env);
        const running = service;
        const { model } = await loadWithChaos(running, random, 1500, async () => {
          for (let crash = 0; crash < 2; crash++) {
            const victim = servers[crash % servers.length]!;
            await sleep(random.int(800, 1500));
            await victim.kill();
            await sleep(random.int(300, 1000));
            await victim.restart();
          }
        });
        await running.drained(300_000);
        expect(worker.running, worker.log.slice(-2000)).to.be.true;
        await expectViewsMatch((path) => running.get(path), model, 51);
      } finally {
        worker?.kill('SIGKILL');
        await service?.close();
        await started.stop();
        await redis.stop();
      }
    });
  });
}

crashSuite('crash safety', ONE_QUEUE);
crashSuite(
  'crash safety over two queues on two Redis instances and 4 shards',
  TWO_QUEUES_FOUR_SHARDS,
);
