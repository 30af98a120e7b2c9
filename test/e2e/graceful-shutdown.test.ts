import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Random } from '../../ops/data/random.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { migratedKeyspace, type TestKeyspace } from '../helpers/cassandra.ts';
import { postAll } from '../helpers/client.ts';
import { expectViewsMatch, getter } from '../helpers/compare-views.ts';
import { testConfig } from '../helpers/env.ts';
import { ViewModel } from '../helpers/model.ts';
import { queueDrained } from '../helpers/service.ts';
import { ServiceProcess } from '../../ops/lib/service-process.ts';
import { freePort } from '../../ops/lib/free-port.ts';

/**
 * SIGTERM, as an orchestrator sends it, to real API and worker processes in the middle of a load:
 * each finishes what it holds within its deadline and exits 0, and no event the API accepted is
 * missing from the views afterwards.
 */
describe('graceful shutdown under load', function () {
  this.timeout(240_000);
  const config = testConfig();
  const model = new ViewModel();
  let ks: TestKeyspace;
  let queue: Queue;
  const running: ServiceProcess[] = [];
  let env: Record<string, string>;
  let url = '';

  before(async () => {
    ks = await migratedKeyspace(config);
    queue = new Queue(config.queue.name, {
      connection: { url: config.redis.url },
      prefix: config.queue.prefix,
    });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: config.redis.url,
      CASSANDRA_CONTACT_POINTS: config.cassandra.contactPoints.join(','),
      CASSANDRA_KEYSPACE: config.cassandra.keyspace,
      QUEUE_PREFIX: config.queue.prefix,
      WORKER_CONCURRENCY: '16',
      SHUTDOWN_TIMEOUT_MS: '15000',
    };
  });
  after(async () => {
    for (const p of running) p.kill('SIGKILL');
    await queue.obliterate({ force: true });
    await queue.close();
    await ks.drop();
  });

  const start = async (kind: 'web' | 'worker') => {
    const p = await ServiceProcess.start(kind, env);
    running.push(p);
    return p;
  };
  const stop = async (p: ServiceProcess) => {
    const started = Date.now();
    p.kill('SIGTERM');
    const exit = await p.exited;
    return { ...exit, ms: Date.now() - started };
  };

  it('loses no accepted event when the worker and then the API are stopped with SIGTERM mid-load', async () => {
    const random = new Random(20261123);
    const batches = validAwkwardBatches(random, Date.now(), 1200);

    await start('web');
    let worker = await start('worker');
    const load = postAll(() => url, batches, {
      concurrency: 4,
      onAccepted: (posted) => model.addAccepted(posted),
    });

    await new Promise((r) => setTimeout(r, 2000));
    const workerExit = await stop(worker);
    expect(workerExit, worker.log.slice(-2000)).to.deep.include({ code: 0, signal: null });
    expect(workerExit.ms).to.be.below(15_000);
    // It finished the jobs it held instead of leaving them to stall.
    expect((await queue.getJobCounts('active')).active).to.equal(0);
    worker = await start('worker');

    await new Promise((r) => setTimeout(r, 1500));
    const api = running.find((p) => p.kind === 'web' && p.running)!;
    const apiExit = await stop(api);
    expect(apiExit, api.log.slice(-2000)).to.deep.include({ code: 0, signal: null });
    await start('web');

    await load;
    await queueDrained(queue, 120_000);
    await expectViewsMatch(
      getter(() => url),
      model,
      50,
    );
    const last = await stop(worker);
    expect(last.code).to.equal(0);
  });
});
