import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { migrate } from '../../../src/storage/migrator.ts';
import { composeWorker, type WorkerProcess } from '../../../workers/compose-worker.ts';
import { waitFor } from '../../../ops/lib/process.ts';
import { endEvent, startEvent } from '../../helpers/events.ts';
import { captureLogs } from '../../helpers/log-lines.ts';
import { TestService } from '../../helpers/service.ts';

/** A worker whose log lines are kept, for the test to read. */
async function watchedWorker(service: TestService) {
  const { logger, lines } = captureLogs('worker');
  const worker = await composeWorker(service.config, logger);
  return { worker, lines };
}

async function metric(worker: WorkerProcess, name: string): Promise<number> {
  const found = (await worker.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return found?.values[0]?.value ?? NaN;
}

const session = (id: string, player: string) => {
  const t = Date.now() - 120_000;
  return [startEvent(id, player, 'FI', t), endEvent(id, player, t + 60_000)];
};

/**
 * A lost keyspace or table is not an outage to retry through: the worker stops taking jobs, says
 * why (log, metrics, /readyz), marks nothing done and spends no attempt, and takes jobs again by
 * itself once `migrate` has put the schema back.
 */
// The worker looks at the schema every half second (5 s by default): the wait for it to come
// back is then the migration's, not the recheck period's.
const RECHECK_SOON = { WORKER_SCHEMA_RECHECK_MS: '500' };

describe('a worker whose schema is missing', function () {
  this.timeout(60_000);

  it('stops taking jobs when a table disappears, marks nothing done, and resumes once the schema is migrated back', async () => {
    const service = await TestService.start({ workers: 0, overrides: RECHECK_SOON });
    const { worker, lines } = await watchedWorker(service);
    try {
      // The statements are prepared by a first batch, so the table vanishes from under them.
      const first = await service.post(session('s-first', 'p-schema'));
      await service.drained();
      await service.ks.client.execute(
        `DROP TABLE ${service.ks.keyspace}.completed_sessions_by_player`,
      );

      const second = await service.post(session('s-second', 'p-schema'));
      const id = second.body.batch_id as string;
      expect(await waitFor(() => worker.worker.isPaused(), 20_000, 50)).to.be.true;
      expect(await metric(worker, 'worker_schema_ready')).to.equal(0);
      expect(await metric(worker, 'worker_schema_missing_total')).to.be.at.least(1);
      const error = lines.find((l) => l.level === 50 && l.batch_id === id);
      expect(error?.reason).to.equal(
        `keyspace ${service.ks.keyspace} lacks table(s) completed_sessions_by_player`,
      );
      const ready = await service.get('/readyz');
      expect(ready.status).to.equal(503);
      expect((ready.body.error as { message: string }).message).to.contain(
        'lacks table(s) completed_sessions_by_player',
      );
      // Queued, not done and not failed, and no attempt spent on it.
      expect((await service.get(`/v1/batches/${id}`)).body.state).to.equal('queued');
      expect((await service.queue.getJob(id))?.attemptsMade).to.equal(0);

      await migrate(service.ks.client, {
        keyspace: service.ks.keyspace,
        localDataCenter: service.config.cassandra.localDataCenter,
        replicationFactor: 1,
      });
      expect(
        await waitFor(
          async () => (await service.get(`/v1/batches/${id}`)).body.state === 'done',
          30_000,
          200,
        ),
      ).to.be.true;
      expect(worker.worker.isPaused()).to.be.false;
      expect(await metric(worker, 'worker_schema_ready')).to.equal(1);
      const sessions = await service.get<{ sessions: { session_id: string }[] }>(
        '/v1/players/p-schema/sessions',
      );
      expect(sessions.body.sessions.map((s) => s.session_id)).to.deep.equal(['s-second']);
      expect(first.status).to.equal(202);
    } finally {
      await worker.close();
      await service.close();
    }
  });

  it('takes no job while its keyspace does not exist, and starts once it is migrated', async () => {
    const service = await TestService.start({ workers: 0, overrides: RECHECK_SOON });
    await service.ks.client.execute(`DROP KEYSPACE ${service.ks.keyspace}`);
    const { worker, lines } = await watchedWorker(service);
    try {
      const posted = await service.post(session('s-late', 'p-late'));
      const id = posted.body.batch_id as string;
      expect(await metric(worker, 'worker_schema_ready')).to.equal(0);
      expect(lines.some((l) => l.level === 50 && String(l.reason).includes('does not exist'))).to.be
        .true;
      // Not a synchronisation: a second in which a worker that took the job would have done it.
      await sleep(1000);
      expect((await service.get(`/v1/batches/${id}`)).body.state).to.equal('queued');

      await migrate(service.ks.client, {
        keyspace: service.ks.keyspace,
        localDataCenter: service.config.cassandra.localDataCenter,
        replicationFactor: 1,
      });
      expect(
        await waitFor(
          async () => (await service.get(`/v1/batches/${id}`)).body.state === 'done',
          30_000,
          200,
        ),
      ).to.be.true;
    } finally {
      await worker.close();
      await service.close();
    }
  });
});
