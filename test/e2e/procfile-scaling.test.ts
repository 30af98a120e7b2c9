import { ensureBuilt } from '../../ops/lib/build.ts';
import { spawn } from 'node:child_process';
import { setTimeout } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Random } from '../../ops/data/random.ts';
import { waitFor } from '../../ops/lib/process.ts';
import { inheritedEnv } from '../../src/config/env.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { migratedKeyspace, type TestKeyspace } from '../helpers/cassandra.ts';
import { postAll } from '../helpers/client.ts';
import { expectViewsMatch, getter } from '../helpers/compare-views.ts';
import { testConfig } from '../helpers/env.ts';
import { ViewModel } from '../helpers/model.ts';
import { queueDrained } from '../../ops/lib/queue-drained.ts';
import { freePort } from '../../ops/lib/free-port.ts';
import { bullConnection, workerRedisOptions } from '../../src/queue/redis-connections.ts';

const NF = fileURLToPath(import.meta.resolve('foreman/nf.js'));

/**
 * The Procfile run by its runner (foreman's `nf`, as `npm start` does) with three workers: the
 * batches spread over several worker processes, and the views stay exact.
 */
describe('the Procfile with several workers', function () {
  this.timeout(240_000);
  const config = testConfig();
  let ks: TestKeyspace;
  let queue: Queue;

  before(async () => {
    await ensureBuilt(); // the Procfile runs dist/
    ks = await migratedKeyspace(config);
    queue = new Queue(config.queue.name, {
      connection: bullConnection(config.redis, workerRedisOptions()),
      prefix: config.queue.prefix,
    });
  });
  after(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await ks.drop();
  });

  it('spreads the batches over the workers and keeps both views exact (web=1,worker=3)', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let output = '';
    const runner = spawn(
      process.execPath,
      [NF, '--port', String(port), 'start', 'web=1,worker=3'],
      {
        env: inheritedEnv({
          HOST: '127.0.0.1',
          REDIS_URL: config.redis.url,
          CASSANDRA_KEYSPACE: config.cassandra.keyspace,
          QUEUE_PREFIX: config.queue.prefix,
          WORKER_CONCURRENCY: '8',
          LOG_LEVEL: 'warn',
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    runner.stdout.on('data', (c: Buffer) => (output += c.toString()));
    runner.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise((r) => runner.once('exit', r));
    try {
      const up = await waitFor(
        async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200,
        60_000,
        200,
      );
      expect(up, output).to.be.true;
      expect(await queue.getWorkers().then((w) => w.length)).to.equal(3);

      const model = new ViewModel();
      const batches = validAwkwardBatches(new Random(99), Date.now(), 1000);
      // Done jobs are removed at once, so who ran them is seen while they run.
      const processedBy = new Set<string>();
      const loaded = new AbortController();
      const sampling = (async () => {
        while (!loaded.signal.aborted) {
          for (const job of await queue.getActive())
            if (job.processedBy) processedBy.add(job.processedBy);
          await setTimeout(10);
        }
      })();
      await postAll(url, batches, {
        concurrency: 6,
        onAccepted: (posted) => model.addAccepted(posted),
      });
      await queueDrained(queue, 120_000);
      loaded.abort();
      await sampling;

      expect(processedBy.size, [...processedBy].join(', ')).to.equal(3);
      await expectViewsMatch(
        getter(() => url),
        model,
        51,
      );
    } finally {
      runner.kill('SIGINT');
      await exited;
    }
  });
});
