import { expect } from 'chai';
import { waitFor } from '../../../ops/lib/process.ts';
import { startApiServer, type ApiServer } from '../../../src/api/server.ts';
import { MINUTE_MS } from '../../../src/domain/duration.ts';
import { BATCH_JOB_NAME, toWire } from '../../../src/queue/events-queue.ts';
import { createRedis, workerRedisOptions } from '../../../src/queue/redis-connections.ts';
import { endEvent, startEvent, toSessionEvent } from '../../helpers/events.ts';
import { testConfig } from '../../helpers/env.ts';
import { OwnRedis } from '../../helpers/redis-server.ts';
import { silentLogger, TestService, type HttpResult } from '../../helpers/service.ts';

const ACKED = { REDIS_MIN_REPLICAS_ACK: '1', REDIS_REPLICA_ACK_TIMEOUT_MS: '50' };

/** An API over the same keyspace and queue as `service`, with other settings. */
async function apiBeside(
  service: TestService,
  overrides: Record<string, string>,
): Promise<{ api: ApiServer; post: Post; get: (path: string) => Promise<HttpResult> }> {
  const config = testConfig({
    REDIS_URL: service.config.redis.url,
    CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
    QUEUE_PREFIX: service.config.queue.prefix,
    ...overrides,
  });
  const api = await startApiServer(config, silentLogger);
  const call = async (path: string, init?: RequestInit): Promise<HttpResult> => {
    const response = await fetch(`${api.url}${path}`, init);
    const body = (await response.json()) as Record<string, unknown>;
    return { status: response.status, headers: response.headers, body };
  };
  return {
    api,
    post: (body, key) =>
      call('/v1/batches', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      }),
    get: (path) => call(path),
  };
}
type Post = (body: unknown, key: string) => Promise<HttpResult>;

function expectQueueUnavailable(answer: HttpResult): void {
  expect(answer.status, JSON.stringify(answer.body)).to.equal(503);
  expect((answer.body.error as { code: string }).code).to.equal('queue_unavailable');
  expect(Number(answer.headers.get('retry-after'))).to.be.greaterThan(0);
}

describe('replica acknowledgement', function () {
  this.timeout(60_000);

  describe('on a Redis without replicas (the shared local one)', () => {
    it('answers 503 queue_unavailable with Retry-After instead of a 202 when no replica confirms the batch in time', async () => {
      const service = await TestService.start({ workers: 0, overrides: ACKED });
      try {
        const key = 'replica-ack-1';
        const first = await service.post([endEvent('s-ack', 'p-ack', Date.now())], {
          'idempotency-key': key,
        });
        expectQueueUnavailable(first);
        const metrics = await (await fetch(`${service.api.url}/metrics`)).text();
        expect(metrics).to.match(/pss_replica_ack_refusals_total\{[^}]*\} 1\b/);
      } finally {
        await service.close();
      }
    });

    it('answers 202 without waiting for replicas when REDIS_MIN_REPLICAS_ACK is 0', async () => {
      const service = await TestService.start({ workers: 0 });
      try {
        const answer = await service.post([endEvent('s-noack', 'p-noack', Date.now())]);
        expect(answer.status).to.equal(202);
      } finally {
        await service.close();
      }
    });

    it('answers a keyed repeat of a done batch, and its status, with 503 rather than from a record no replica holds', async () => {
      // The batch is made done without acks; an API with acks then finds only its record.
      const service = await TestService.start({ workers: 1 });
      const acked = await apiBeside(service, ACKED);
      try {
        const t = Date.now() - MINUTE_MS;
        const body = [startEvent('s-rec', 'p-rec', 'FI', t), endEvent('s-rec', 'p-rec', t + 1)];
        const first = await service.post(body, { 'idempotency-key': 'ack-record' });
        expect(first.status).to.equal(202);
        const id = String(first.body.batch_id);
        expect(await waitFor(() => service.completions.count(id) === 1, 10_000, 20)).to.be.true;
        expect((await service.get(`/v1/batches/${id}`)).body.state).to.equal('done');

        expectQueueUnavailable(await acked.post(body, 'ack-record'));
        expectQueueUnavailable(await acked.get(`/v1/batches/${id}`));
      } finally {
        await acked.api.close();
        await service.close();
      }
    });

    it('answers a keyed repeat while the queue is full with 503 rather than from a job no replica holds', async () => {
      // MAX_QUEUE_BACKLOG=1 and one waiting job: the API answers repeats without adding anything.
      const service = await TestService.start({
        workers: 0,
        overrides: { MAX_QUEUE_BACKLOG: '1' },
      });
      const acked = await apiBeside(service, { ...ACKED, MAX_QUEUE_BACKLOG: '1' });
      try {
        const body = [endEvent('s-full', 'p-full', Date.now())];
        const first = await service.post(body, { 'idempotency-key': 'ack-full' });
        expect(first.status).to.equal(202);
        const unacked = await service.post(body, { 'idempotency-key': 'ack-full' });
        expect(unacked.body, 'the full queue answers a repeat without acks').to.deep.equal(
          first.body,
        );
        expectQueueUnavailable(await acked.post(body, 'ack-full'));
      } finally {
        await acked.api.close();
        await service.close();
      }
    });
  });

  describe('on a primary with one replica', () => {
    let primary: OwnRedis;
    let replica: OwnRedis;
    let service: TestService;

    before(async () => {
      primary = await OwnRedis.start();
      replica = await OwnRedis.start({ replicaOf: primary });
      await primary.waitForReplica();
      // The replica is there: the wait is for it to answer, so it gets the most the setting allows
      // (50 ms once ran out in a CI rehearsal, with the lanes keeping both cores busy).
      service = await TestService.start({
        workers: 1,
        overrides: { ...ACKED, REDIS_REPLICA_ACK_TIMEOUT_MS: '900', REDIS_URL: primary.url },
      });
    });
    after(async () => {
      await service.close();
      await replica.stop();
      await primary.stop();
    });

    it('answers a new batch, its keyed repeats from its job and from its record, and its status, once the replica holds them', async () => {
      const t = Date.now() - MINUTE_MS;
      const body = [startEvent('s-rep', 'p-rep', 'SE', t), endEvent('s-rep', 'p-rep', t + 1)];
      const first = await service.post(body, { 'idempotency-key': 'ack-replica' });
      expect(first.status).to.equal(202);
      const id = String(first.body.batch_id);
      const repeat = await service.post(body, { 'idempotency-key': 'ack-replica' });
      expect(repeat.body).to.deep.equal(first.body);
      expect(await waitFor(() => service.completions.count(id) === 1, 10_000, 20)).to.be.true;
      const fromRecord = await service.post(body, { 'idempotency-key': 'ack-replica' });
      expect(fromRecord.status).to.equal(202);
      expect(fromRecord.body).to.deep.equal(first.body);
      const status = await service.get(`/v1/batches/${id}`);
      expect(status.body).to.deep.equal({ batch_id: id, state: 'done', accepted: 2 });
      const connect = (url: string) => createRedis({ url }, workerRedisOptions(), () => undefined);
      const [onPrimary, onReplica] = [connect(primary.url), connect(replica.url)];
      try {
        const record = `${service.config.queue.prefix}:${service.config.queue.name}:done:${id}`;
        const held = await onPrimary.get(record);
        expect(held).to.match(/^\[2,"/);
        expect(await onReplica.get(record), 'the record on the replica').to.equal(held);
      } finally {
        onPrimary.disconnect();
        onReplica.disconnect();
      }
    });

    it('keeps a job whose done record no replica holds, retrying it, and completes it once the replica is back', async () => {
      await replica.kill();
      const id = '3f2a4c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
      // Added straight to the queue: the API would refuse it without a replica.
      const event = endEvent('s-wait', 'p-wait', Date.now() - MINUTE_MS);
      await service.queue.add(
        BATCH_JOB_NAME,
        { events: [toWire(toSessionEvent(event))], acceptedAt: Date.now() },
        { jobId: id, attempts: 12, backoff: { type: 'exponential', delay: 200 } },
      );
      const refused = async () => ((await service.queue.getJob(id))?.attemptsMade ?? 0) >= 1;
      expect(await waitFor(refused, 20_000, 20), 'a refused attempt').to.be.true;
      const job = await service.queue.getJob(id);
      expect(job?.failedReason).to.match(/replica/);
      expect(service.completions.count(id), 'completions while alone').to.equal(0);
      expectQueueUnavailable(await service.get(`/v1/batches/${id}`));

      await replica.restart();
      await primary.waitForReplica();
      expect(await waitFor(() => service.completions.count(id) === 1, 30_000, 50)).to.be.true;
      const status = await service.get(`/v1/batches/${id}`);
      expect(status.body, JSON.stringify(status.body)).to.deep.equal({
        batch_id: id,
        state: 'done',
        accepted: 1,
      });
    });
  });
});
