import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Config } from '../../../src/config/env.ts';
import type { Registry } from '../../../src/observability/metrics.ts';
import { createEventsQueue } from '../../../src/queue/events-queue.ts';
import { bullConnection, workerRedisOptions } from '../../../src/queue/redis-connections.ts';
import { composeWorker } from '../../../workers/compose-worker.ts';
import { waitFor } from '../../../ops/lib/process.ts';
import { endEvent, startEvent } from '../../helpers/events.ts';
import { captureLogs } from '../../helpers/log-lines.ts';
import { TestService } from '../../helpers/service.ts';
import { TcpProxy } from '../../helpers/tcp-proxy.ts';

/** A worker whose log lines are kept, for the test to read. */
async function watchedWorker(config: Config) {
  const { logger, lines } = captureLogs('worker');
  const worker = await composeWorker(config, logger);
  return { worker, lines };
}

async function sample(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return value?.value ?? 0;
}

const session = (id: string, player: string) => {
  const t = Date.now() - 120_000;
  return [startEvent(id, player, 'FI', t), endEvent(id, player, t + 60_000)];
};

/**
 * A worker retries only what waiting can fix: a job that can never succeed fails on its first
 * attempt, while one that met a storage outage is retried until the store is back.
 */
describe('a worker sorting its failures', function () {
  this.timeout(60_000);
  let service: TestService;

  beforeEach(async () => {
    service = await TestService.start({
      workers: 0,
      overrides: { JOB_ATTEMPTS: '10', JOB_BACKOFF_MS: '100', METRICS_PUBLISH_INTERVAL_MS: '200' },
    });
  });
  afterEach(async () => {
    await service.close();
  });

  it('fails a job whose payload does not decode on its first attempt, logs its batch id and counts it', async () => {
    const { worker, lines } = await watchedWorker(service.config);
    // Enqueued as the API would, with its attempts and backoff, but with a ts that is not a number.
    const queue = createEventsQueue(
      bullConnection(service.config.redis, workerRedisOptions()),
      service.config.queue,
    );
    const id = randomUUID();
    try {
      await queue.add(
        'batch',
        {
          acceptedAt: Date.now(),
          events: [['start', 's-poison', 'p-poison', 'noon' as never, 'FI']],
        },
        { jobId: id },
      );
      const failed = await waitFor(
        async () => (await queue.getJobState(id)) === 'failed',
        20_000,
        50,
      );
      expect(failed).to.be.true;
      const job = await queue.getJob(id);
      expect(job?.opts.attempts).to.equal(10);
      expect(job?.attemptsMade).to.equal(1);
      expect(job?.failedReason).to.match(/^invalid_payload: events\[0\]: ts is not/);
      expect((await service.get(`/v1/batches/${id}`)).body.state).to.equal('failed');

      const logged = lines.find((l) => l.level === 50 && l.batch_id === id);
      expect(logged?.reason).to.equal('invalid_payload');
      expect(
        await sample(worker.registry, 'batch_job_failures_total', {
          reason: 'invalid_payload',
          result: 'failed',
        }),
      ).to.equal(1);

      // The worker's counters reach the API's /metrics within a publish interval or two.
      let text = '';
      await waitFor(
        async () => {
          text = await (await fetch(`${service.api.url}/metrics`)).text();
          // Every label set is there from the start at 0: wait for this one's count.
          return text.includes(
            'batch_job_failures_total{reason="invalid_payload",result="failed",process="worker"} 1',
          );
        },
        5000,
        100,
      );
      expect(text).to.match(
        /^batch_job_failures_total\{reason="invalid_payload",result="failed",process="worker"\} 1$/m,
      );
      expect(text).to.match(
        /^batch_processing_duration_seconds_count\{result="failed",process="worker"\} 1$/m,
      );
    } finally {
      await queue.close();
      await worker.close();
    }
  });

  it('leaves a job of a newer payload version waiting, never failed nor spending an attempt, and a version-1 job beside it done', async () => {
    const { worker, lines } = await watchedWorker(service.config);
    const queue = createEventsQueue(
      bullConnection(service.config.redis, workerRedisOptions()),
      service.config.queue,
    );
    const [newer, known] = [randomUUID(), randomUUID()];
    try {
      // A payload as a later release might write it: its events in a form this one cannot read.
      await queue.add(
        'batch',
        { v: 2, acceptedAt: Date.now(), events: { columns: ['kind'], rows: [] } as never },
        { jobId: newer },
      );
      await queue.add(
        'batch',
        {
          acceptedAt: Date.now(),
          events: session('s-v1', 'p-v1').map(
            (e) => [e.event, e.session_id, e.player_id, Date.parse(e.ts), e.country ?? ''] as const,
          ),
        },
        { jobId: known },
      );
      expect(await waitFor(() => service.completions.count(known) === 1, 20_000, 50)).to.be.true;
      const requeued = await waitFor(
        () =>
          sample(worker.registry, 'batch_job_failures_total', {
            reason: 'newer_payload',
            result: 'requeued',
          }).then((n) => n >= 1),
        20_000,
        50,
      );
      expect(requeued).to.be.true;
      expect(await queue.getJobState(newer)).to.equal('delayed');
      const job = await queue.getJob(newer);
      expect(job?.attemptsMade, 'attempts spent').to.equal(0);
      expect(job?.data.events, 'the payload, untouched').to.deep.equal({
        columns: ['kind'],
        rows: [],
      });
      expect((await service.get(`/v1/batches/${newer}`)).body.state).to.equal('queued');
      expect(lines.some((l) => l.level === 40 && l.batch_id === newer)).to.be.true;
    } finally {
      await queue.close();
      await worker.close();
    }
  });

  it('retries a job while Cassandra cannot be reached, with jittered backoff, and completes it once it is back', async function () {
    this.timeout(120_000);
    const [host = '', port = '9042'] = service.config.cassandra.contactPoints[0]!.split(':');
    const proxy = await TcpProxy.start({ host, port: Number(port) });
    const config: Config = {
      ...service.config,
      cassandra: { ...service.config.cassandra, contactPoints: [proxy.address] },
    };
    const { worker } = await watchedWorker(config);
    try {
      await proxy.cut();
      const posted = await service.post(session('s-outage', 'p-outage'));
      const id = posted.body.batch_id as string;
      const retried = await waitFor(
        async () => ((await service.queue.getJob(id))?.attemptsMade ?? 0) >= 2,
        20_000,
        50,
      );
      expect(retried).to.be.true;
      const job = await service.queue.getJob(id);
      expect(job?.opts.backoff).to.deep.include({ type: 'exponential', jitter: 0.5 });
      expect(await service.queue.getJobState(id)).to.not.equal('failed');
      expect(
        await sample(worker.registry, 'batch_job_failures_total', {
          reason: 'storage_unavailable',
          result: 'retry',
        }),
      ).to.be.at.least(2);

      await proxy.restore();
      // Two schedules meet here: the driver tries to reconnect 0.5, 1, 2, 4, 8, 10, 10… s after
      // the cut (src/storage/cassandra-client.ts), and the job is attempted again 0.1, 0.2, 0.4…
      // s after each failure, so the first attempt after the reconnection comes up to as long
      // after it as the outage had lasted. On a loaded machine (a CI run) that outage is seconds
      // long, and 30 s once did not cover both.
      const done = await waitFor(
        async () => (await service.get(`/v1/batches/${id}`)).body.state === 'done',
        75_000,
        100,
      );
      expect(done).to.be.true;
      const sessions = await service.get<{ sessions: { session_id: string }[] }>(
        '/v1/players/p-outage/sessions',
      );
      expect(sessions.body.sessions.map((s) => s.session_id)).to.deep.equal(['s-outage']);
      expect(
        await sample(worker.registry, 'batch_job_failures_total', { result: 'failed' }),
      ).to.equal(0);
    } finally {
      await worker.close();
      await proxy.close();
    }
  });
});
