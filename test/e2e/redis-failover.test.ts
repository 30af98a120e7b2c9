import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Random } from '../../ops/data/random.ts';
import { LocalSentinelRedis } from '../../ops/lib/redis-sentinel-local.ts';
import { ServiceProcess } from '../../ops/lib/service-process.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { postAll } from '../helpers/client.ts';
import { expectViewsMatch } from '../helpers/compare-views.ts';
import { probe } from '../helpers/failover-traffic.ts';
import { ViewModel } from '../helpers/model.ts';
import { TestService } from '../helpers/service.ts';

const SEED = Number(
  process.argv.find((a) => a.startsWith('--seed='))?.slice(7) ?? Date.now() % 1_000_000,
);

describe('redis failover', function () {
  this.timeout(180_000);

  it(`keeps every 202'd batch in both views exactly once when the Redis primary is SIGKILLed and a replica promoted (seed ${SEED})`, async () => {
    const random = new Random(SEED);
    const redis = await LocalSentinelRedis.start();
    const settings = {
      ...redis.env,
      REDIS_MIN_REPLICAS_ACK: '1',
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
    };
    let service: TestService | undefined;
    let worker: ServiceProcess | undefined;
    try {
      service = await TestService.start({ workers: 0, overrides: settings });
      const running = service;
      worker = await ServiceProcess.start('worker', {
        ...settings,
        CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
        QUEUE_PREFIX: service.config.queue.prefix,
      });
      const model = new ViewModel();
      const now = Date.now();
      const batches = validAwkwardBatches(random, now, 1200);
      const probes = validAwkwardBatches(new Random(SEED + 1), now, 2000);

      let finished = false;
      let replicatedAt = Infinity;
      // Probing goes on for a while after the replica is back, however soon the load is done.
      const probesDone = () => finished && Date.now() > replicatedAt + 3000;
      const load = postAll(running.api.url, batches, {
        concurrency: 2,
        onAccepted: (posted) => model.addAccepted(posted),
      }).finally(() => (finished = true));
      const probing = probe(running.api.url, probes, (p) => model.addAccepted(p), probesDone);

      await sleep(2000);
      // From the moment the primary is gone: asking the sentinels which node it is takes a while
      // on a busy machine, and until the SIGKILL it still takes batches, rightly.
      const oldPrimary = await redis.killPrimary();
      const killedAt = Date.now();
      await redis.waitForPrimaryOtherThan(oldPrimary);
      const promotedAt = Date.now();
      // The old primary comes back (as a supervisor would restart it) and becomes the replica:
      // until then no second copy exists, and the API refuses rather than answer a 202.
      await redis.restart(oldPrimary);
      await redis.waitForReplica();
      replicatedAt = Date.now();
      const replicated = replicatedAt;

      await load;
      const answers = await probing;
      await running.drained(120_000);
      console.log(
        `    primary killed → replica promoted ${((promotedAt - killedAt) / 1000).toFixed(1)} s → old primary back in sync ${((replicated - promotedAt) / 1000).toFixed(1)} s`,
      );

      const before = answers.filter((a) => a.at < killedAt);
      const during = answers.filter((a) => a.at > killedAt + 200 && a.at < promotedAt);
      const after = answers.filter((a) => a.at > replicated + 1000);
      expect(before.map((a) => a.status)).to.include(202);
      expect(during.length, 'probes while the primary was away').to.be.greaterThan(0);
      for (const a of during) {
        expect(a.status).to.equal(503);
        expect(a.code).to.equal('queue_unavailable');
        expect(Number(a.retryAfter)).to.be.greaterThan(0);
      }
      expect(after.length, 'probes after the replica came back').to.be.greaterThan(0);
      expect(after.every((a) => a.status === 202)).to.equal(true);
      expect(worker.running, worker.log.slice(-2000)).to.equal(true);
      await expectViewsMatch((path) => running.get(path), model, 101);
    } finally {
      worker?.kill('SIGKILL');
      await service?.close();
      await redis.stop();
    }
  });
});
