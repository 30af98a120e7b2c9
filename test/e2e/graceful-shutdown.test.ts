import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Random } from '../../ops/data/random.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { migratedKeyspace, type TestKeyspace } from '../helpers/cassandra.ts';
import { Completions } from '../helpers/completions.ts';
import { postAll } from '../helpers/client.ts';
import { expectViewsMatch, getter } from '../helpers/compare-views.ts';
import { testConfig, processEnv } from '../helpers/env.ts';
import { ViewModel } from '../helpers/model.ts';
import { queueDrained } from '../../ops/lib/queue-drained.ts';
import { ServiceProcess } from '../../ops/lib/service-process.ts';
import { freePort } from '../../ops/lib/free-port.ts';
import { waitFor } from '../../ops/lib/process.ts';
import { bullConnection, workerRedisOptions } from '../../src/queue/redis-connections.ts';

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
  let completions: Completions;
  const running: ServiceProcess[] = [];
  let env: Record<string, string>;
  let url = '';

  before(async () => {
    ks = await migratedKeyspace(config);
    queue = new Queue(config.queue.name, {
      connection: bullConnection(config.redis, workerRedisOptions()),
      prefix: config.queue.prefix,
    });
    completions = await Completions.watch(config);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = {
      ...processEnv(config, port),
      WORKER_CONCURRENCY: '16',
      SHUTDOWN_TIMEOUT_MS: '15000',
    };
  });
  after(async () => {
    for (const p of running) p.kill('SIGKILL');
    await completions.close();
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
    let accepted = 0;
    const post = (part: typeof batches) =>
      postAll(url, part, {
        concurrency: 2,
        onAccepted: (posted) => {
          model.addAccepted(posted);
          accepted++;
        },
      });
    // A backlog first, so that the worker, once it runs, always holds jobs.
    const half = Math.floor(batches.length / 2);
    await post(batches.slice(0, half));
    let worker = await start('worker');

    // SIGTERM while the worker holds jobs: it must finish them, not drop them to stall.
    let held: string[] = [];
    const holding = await waitFor(
      async () => {
        held = (await queue.getActive()).map((job) => job.id!);
        return held.length > 0;
      },
      30_000,
      5,
    );
    expect(holding, 'the worker took jobs').to.be.true;
    const sigtermAt = Date.now();
    const workerExit = await stop(worker);
    expect(workerExit, worker.log.slice(-2000)).to.deep.include({ code: 0, signal: null });
    expect(workerExit.ms).to.be.below(15_000);
    expect((await queue.getJobCounts('active')).active).to.equal(0);
    expect(
      await waitFor(() => held.every((id) => completions.count(id) === 1), 5000, 20),
      'every held job completed, once',
    ).to.be.true;
    // At least one of them was still in hand when the signal came, and finished after it.
    expect(held.some((id) => (completions.completedAt(id) ?? 0) >= sigtermAt)).to.be.true;
    worker = await start('worker');

    // SIGTERM to the API while clients are posting: requests in flight are answered, the rest
    // retried by the clients against the next API process.
    const before = accepted;
    const load = post(batches.slice(half));
    expect(await waitFor(() => accepted >= before + 20, 60_000, 5)).to.be.true;
    const api = running.find((p) => p.kind === 'web' && p.running)!;
    expect(accepted, 'the load is still going').to.be.below(batches.length);
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
