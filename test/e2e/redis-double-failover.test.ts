import { expect } from 'chai';
import pMap from 'p-map';
import { Random } from '../../ops/data/random.ts';
import { waitFor } from '../../ops/lib/process.ts';
import { LocalSentinelRedis } from '../../ops/lib/redis-sentinel-local.ts';
import { ServiceProcess } from '../../ops/lib/service-process.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import type { Posted } from '../helpers/client.ts';
import { expectViewsMatch } from '../helpers/compare-views.ts';
import {
  postUntil,
  probe,
  repeatAccepted,
  type Answer,
  type KeyedAccepted,
} from '../helpers/failover-traffic.ts';
import { ViewModel } from '../helpers/model.ts';
import { TestService } from '../helpers/service.ts';

const SEED = Number(
  process.argv.find((a) => a.startsWith('--seed='))?.slice(7) ?? Date.now() % 1_000_000,
);

function expectRefused(answer: Answer, what: string): void {
  expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).to.equal(503);
  expect(answer.code, what).to.equal('queue_unavailable');
  expect(Number(answer.retryAfter), what).to.be.greaterThan(0);
}

/**
 * The failover that lost a batch's status in issue 22, forced: the primary (A) is SIGKILLed, the
 * sentinels promote the replica (B), and B stalls (SIGSTOP) right after its promotion, before A is
 * back. A restarts with what it had; the sentinels find B down and promote A, which never saw
 * anything B took. B resumes, still a primary for a few seconds with whatever it took meanwhile,
 * until the sentinels make it A's replica and it discards all of that. The sentinels run with the
 * production timings (ops/lib/sentinel-nodes.ts), so each failover takes several seconds.
 */
describe('redis double failover', function () {
  this.timeout(300_000);

  it(`answers no 202 while no node has a replica, and keeps every 202'd batch done and in both views exactly once, when the promoted replica stalls and Sentinel fails back to the old primary (seed ${SEED})`, async () => {
    const redis = await LocalSentinelRedis.start();
    const settings = {
      ...redis.env,
      REDIS_MIN_REPLICAS_ACK: '1',
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
    };
    let service: TestService | undefined;
    let worker: ServiceProcess | undefined;
    let paused: number | undefined;
    try {
      service = await TestService.start({ workers: 0, overrides: settings });
      const running = service;
      const url = running.api.url;
      worker = await ServiceProcess.start('worker', {
        ...settings,
        CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
        QUEUE_PREFIX: service.config.queue.prefix,
      });

      const model = new ViewModel();
      const accepted: Posted[] = [];
      const keyed: KeyedAccepted[] = [];
      const take = (posted: Posted) => {
        model.addAccepted(posted);
        accepted.push(posted);
      };
      let recoveredAt = Infinity;
      // Traffic goes on for a while after the replica is back in sync.
      const stop = () => Date.now() > recoveredAt + 5000;
      const now = Date.now();
      const pool = (seed: number, sessions: number) =>
        validAwkwardBatches(new Random(seed), now, sessions);
      const pick = new Random(SEED + 3);
      const lanes = { concurrency: 2, paceMs: 100, stop, onAccepted: take };
      const unkeyed = postUntil(url, pool(SEED, 4000), { keyed: false, ...lanes });
      const keyedLoad = postUntil(url, pool(SEED + 1, 4000), { keyed: true, ...lanes });
      const probing = probe(
        url,
        pool(SEED + 2, 2000),
        (p) => {
          take(p);
          keyed.push(p);
        },
        stop,
      );
      const repeating = repeatAccepted(
        url,
        () => (keyed.length > 0 ? keyed[pick.int(0, keyed.length - 1)] : undefined),
        stop,
      );

      expect(await waitFor(() => keyed.length >= 10, 30_000, 50), 'keyed batches before').to.be
        .true;
      // From the moment A is gone: asking the sentinels which node is the primary takes a while
      // on a busy machine, and until the SIGKILL A still takes batches, rightly.
      const a = await redis.killPrimary();
      const killedAt = Date.now();
      const b = await redis.waitForPrimaryOtherThan(a);
      redis.pause(b);
      paused = b;
      const pausedAt = Date.now();
      await redis.restart(a);
      expect(await redis.waitForPrimaryOtherThan(b), 'the primary after B stalled').to.equal(a);
      const failedBackAt = Date.now();
      redis.resume(b);
      paused = undefined;
      // The last moment at which A was seen without a replica in sync: no WAIT can succeed before.
      let aloneUntil = failedBackAt;
      const inSync = async () => {
        const asked = Date.now();
        if (await redis.inSync(a)) return true;
        aloneUntil = asked;
        return false;
      };
      expect(await waitFor(inSync, 120_000, 100), 'B back as the replica of A').to.be.true;
      recoveredAt = Date.now();

      await Promise.all([unkeyed, keyedLoad]);
      const firstTries = await probing;
      const repeats = await repeating;
      await running.drained(120_000);
      console.log(
        `    A killed → B promoted ${((pausedAt - killedAt) / 1000).toFixed(1)} s → B stalled, A promoted ${((failedBackAt - pausedAt) / 1000).toFixed(1)} s → B resumed, in sync ${((recoveredAt - failedBackAt) / 1000).toFixed(1)} s; ${accepted.length} batches accepted, ${repeats.length} repeats`,
      );

      // No node had a replica from A's death until B was A's in-sync replica: nothing sent in
      // that time may have been told 202 — a new batch, or a repeat answered from a job or record.
      const alone = [...firstTries, ...repeats.map((r) => r.answer)].filter(
        (x) => x.sentAt > killedAt && x.at < aloneUntil,
      );
      expect(alone.length, 'answers while no node had a replica').to.be.greaterThan(10);
      for (const answer of alone) expectRefused(answer, 'while no node had a replica');

      // A repeat is told what the first request was, or to come back later.
      for (const { repeated, answer } of repeats) {
        if (answer.status !== 202) expectRefused(answer, 'a repeat');
        else {
          expect(answer.body.batch_id).to.equal(repeated.batchId);
          expect(answer.body.accepted).to.equal(repeated.accepted);
        }
      }
      expect(repeats.filter((r) => r.answer.sentAt < killedAt && r.answer.status === 202)).not.to.be
        .empty;
      const after = [...firstTries, ...repeats.map((r) => r.answer)].filter(
        (x) => x.sentAt > recoveredAt + 1000,
      );
      expect(after.length, 'answers after recovery').to.be.greaterThan(0);
      for (const answer of after) expect(answer.status, 'after recovery').to.equal(202);

      // Every 202'd batch is known, and done.
      const states = await pMap(
        accepted,
        async (p) => {
          const status = await running.get(`/v1/batches/${p.batchId}`);
          return `${status.status} ${String(status.body.state)}`;
        },
        { concurrency: 8 },
      );
      expect(states.filter((s) => s !== '200 done')).to.deep.equal([]);
      expect(worker.running, worker.log.slice(-2000)).to.equal(true);
      await expectViewsMatch((path) => running.get(path), model, 101);
    } finally {
      if (paused !== undefined) redis.resume(paused);
      worker?.kill('SIGKILL');
      await service?.close();
      await redis.stop();
    }
  });
});
