import { expect } from 'chai';
import { Random } from '../../ops/data/random.ts';
import { waitFor } from '../../ops/lib/process.ts';
import { kinds, LiveTraffic } from '../cluster/live-traffic.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { expectEveryAcceptedOnce } from '../helpers/accepted-once.ts';
import { OwnRedis } from '../helpers/redis-server.ts';
import { TestService } from '../helpers/service.ts';
import { SmallDisk } from '../helpers/small-disk.ts';

const WRITABLE = /^redis_writable\{[^}]*\} (\d)$/m;

/**
 * Redis's AOF directory on a small disk of its own (a tmpfs), filled under live traffic: POSTs
 * answer 503 with Retry-After — never 500, never a 202 for what Redis did not store — the
 * `redis_writable` gauge behind the RedisNotWritable alert drops to 0, and once the space is back
 * every batch that was answered 202 is in both views exactly once. Redis run as the service runs
 * it (`appendfsync always`) exits on a failed AOF write, and its supervisor (here the test)
 * restarts it once there is space; run with `everysec` it stays up and refuses writes (MISCONF),
 * then takes them again by itself.
 */
describe('a full disk under Redis, under live traffic', function () {
  this.timeout(300_000);

  const cases = [
    { fsync: 'everysec', refusal: 'POST 503 queue_not_writable', retryAfter: '5' },
    { fsync: 'always', refusal: 'POST 503 queue_unavailable', retryAfter: '1' },
  ] as const;
  for (const { fsync, refusal, retryAfter } of cases) {
    it(`answers ${refusal.slice(5)} with Retry-After ${retryAfter} while it cannot write, and loses nothing (appendfsync ${fsync})`, async function () {
      const disk = await SmallDisk.mount(16);
      if (!disk) return this.skip(); // not root here: README names the nearest test
      const redis = await OwnRedis.start({ dir: disk.dir, appendfsync: fsync });
      let service: TestService | undefined;
      let traffic: LiveTraffic | undefined;
      try {
        service = await TestService.start({
          workers: 1,
          overrides: { REDIS_URL: redis.url, JOB_BACKOFF_MS: '200', JOB_ATTEMPTS: '30' },
        });
        const svc = service;
        const writable = async () =>
          Number(WRITABLE.exec(await (await fetch(`${svc.api.url}/metrics`)).text())?.[1]);
        const batches = validAwkwardBatches(new Random(27), Date.now(), 8000);
        traffic = new LiveTraffic(svc, batches, { postIntervalMs: 20, readIntervalMs: 100 });
        const live = traffic;
        const seen = (kind: string) => () => (live.answers[kind] ?? 0) > 0;
        const accepted = () => live.answers['POST 202'] ?? 0;

        expect(await waitFor(() => accepted() >= 20, 60_000, 50), 'accepted before').to.be.true;
        expect(await writable()).to.equal(1);
        live.phase();

        disk.fill();
        expect(await waitFor(seen(refusal), 60_000, 50), 'a refusal').to.be.true;
        const direct = await svc.post(batches[0]!);
        expect(direct.status).to.equal(503);
        expect(direct.headers.get('retry-after')).to.equal(retryAfter);
        expect(await writable(), 'redis_writable while full').to.equal(0);
        if (fsync === 'always') expect(redis.running, 'Redis exits').to.be.false;

        disk.free();
        if (fsync === 'always') await redis.restart(); // its supervisor's part
        const before = accepted();
        expect(await waitFor(() => accepted() > before + 20, 120_000, 50), 'accepted after').to.be
          .true;
        expect(await writable(), 'redis_writable once freed').to.equal(1);
        const during = live.phase();
        await live.stop();

        const answered = kinds(traffic).filter((k) => !k.startsWith('GET 200'));
        expect(answered, 'what clients saw').to.include.members(['POST 202', refusal]);
        for (const kind of answered)
          expect(kind, 'never a 500').to.match(/^POST (202|503 queue_(not_writable|unavailable))$/);
        expect(
          Object.keys(during.answers).some((k) => k.startsWith('POST 5') && !k.includes('503')),
        ).to.be.false;

        await expectEveryAcceptedOnce(svc, live, 120_000);
      } finally {
        await traffic?.stop();
        await service?.close();
        await redis.kill();
        await disk.unmount();
      }
    });
  }
});
