import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { waitFor } from '../../../ops/lib/process.ts';
import { inheritedEnv } from '../../../src/config/env.ts';
import { createRedis, workerRedisOptions } from '../../../src/queue/redis-connections.ts';
import { createEventsWorker } from '../../../workers/jobs/events-worker.ts';
import { composeWorker } from '../../../workers/compose-worker.ts';
import { endEvent, startEvent } from '../../helpers/events.ts';
import { TestService, silentLogger } from '../../helpers/service.ts';

describe('failed batches', function () {
  this.timeout(60_000);
  let service: TestService;

  before(async () => {
    service = await TestService.start({
      workers: 0,
      overrides: { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '100' },
    });
  });
  after(async () => {
    await service.close();
  });

  it('are retried with backoff, kept when their attempts run out, and replayed by `npm run replay-failed`', async () => {
    // A worker whose storage is "down": every attempt fails.
    const connection = createRedis(service.config.redis, workerRedisOptions(), () => undefined);
    const attempts: number[] = [];
    const failing = createEventsWorker(connection, service.config, async () => {
      attempts.push(Date.now());
      await Promise.resolve();
      throw new Error('cassandra unavailable');
    });
    const t = Date.now() - 60_000;
    const posted = await service.post([
      startEvent('s-r', 'p-r', 'FI', t),
      endEvent('s-r', 'p-r', t + 5000),
    ]);
    const batchId = String(posted.body.batch_id);
    await waitFor(async () => (await service.queue.getJobCounts('failed')).failed === 1, 5000, 50);
    await failing.close();
    connection.disconnect();
    expect(attempts).to.have.length(2);
    // The backoff: the first step is 100 ms, jittered to 50–100 % of it.
    expect(attempts[1]! - attempts[0]!).to.be.at.least(50);
    expect((await service.get(`/v1/batches/${batchId}`)).body).to.deep.include({ state: 'failed' });

    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'ops/replay-failed.ts'], {
      env: inheritedEnv({
        REDIS_URL: service.config.redis.url,
        QUEUE_PREFIX: service.config.queue.prefix,
      }),
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).to.equal(0);
    expect(cli.stdout).to.match(/Put 1 failed batch job\(s\) of queue events back on the queue/);
    expect((await service.get(`/v1/batches/${batchId}`)).body).to.deep.include({ state: 'queued' });

    const worker = await composeWorker(service.config, silentLogger);
    try {
      await service.drained();
      expect((await service.get(`/v1/batches/${batchId}`)).body).to.deep.include({ state: 'done' });
      const sessions = await service.get<{ sessions: unknown[] }>('/v1/players/p-r/sessions');
      expect(sessions.body.sessions).to.have.length(1);
    } finally {
      await worker.close();
    }
  });
});
