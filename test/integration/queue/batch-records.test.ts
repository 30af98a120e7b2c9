import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { waitFor } from '../../../ops/lib/process.ts';
import { BatchRecords } from '../../../src/queue/batch-records.ts';
import { createRedis, workerRedisOptions } from '../../../src/queue/redis-connections.ts';
import { MINUTE_MS } from '../../../src/domain/duration.ts';
import { endEvent, startEvent } from '../../helpers/events.ts';
import { uniqueName } from '../../helpers/env.ts';
import { addsByJob } from '../../helpers/queue-adds.ts';
import { TestService } from '../../helpers/service.ts';

describe('done batches: a compact record instead of the whole job', function () {
  this.timeout(30_000);
  let service: TestService;
  let redis: Redis;

  before(async () => {
    service = await TestService.start();
    redis = createRedis(service.config.redis, workerRedisOptions(), () => undefined);
  });
  after(async () => {
    redis.disconnect();
    await service.close();
  });

  const recordKey = (id: string) =>
    `${service.config.queue.prefix}:${service.config.queue.name}:done:${id}`;

  it('removes the job of a done batch and keeps a record that expires after BATCH_KEEP_DONE_SECONDS', async () => {
    const t = Date.now() - MINUTE_MS;
    const posted = await service.post([
      startEvent('s-r1', 'p-r1', 'FI', t),
      endEvent('s-r1', 'p-r1', t + 1000),
    ]);
    const id = String(posted.body.batch_id);
    await service.drained();
    expect(await waitFor(() => service.completions.count(id) === 1, 5000, 20)).to.be.true;

    expect(await service.queue.getJob(id), 'the job').to.equal(undefined);
    expect(await redis.get(recordKey(id))).to.equal('[2,null,null,1]');
    const ttl = await redis.ttl(recordKey(id));
    const window = service.config.queue.keepDoneSeconds;
    expect(ttl).to.be.within(window - 5, window);
    const status = await service.get(`/v1/batches/${id}`);
    expect(status.body).to.deep.equal({ batch_id: id, state: 'done', accepted: 2 });
  });

  it('answers a keyed repeat after the batch is done with the first answer, rejections included', async () => {
    const t = Date.now() - MINUTE_MS;
    const body = [startEvent('s-r2', 'p-r2', 'SE', t), { event: 'start' }];
    const first = await service.post(body, { 'idempotency-key': 'records-1' });
    expect(first.status).to.equal(202);
    await service.drained();
    const id = String(first.body.batch_id);
    expect(await waitFor(() => service.completions.count(id) === 1, 5000, 20)).to.be.true;

    const repeat = await service.post(body, { 'idempotency-key': 'records-1' });
    expect(repeat.status).to.equal(202);
    expect(repeat.body).to.deep.equal(first.body);
    const other = await service.post([endEvent('s-r2', 'p-r2', t + 5)], {
      'idempotency-key': 'records-1',
    });
    expect(other.status).to.equal(422);
    expect((other.body.error as { code: string }).code).to.equal('idempotency_key_reused');
    const adds = await addsByJob(service.config.redis, service.queue.keys.events);
    expect(adds.get(id), 'times the batch was queued').to.equal(1);
    expect(service.completions.count(id), 'runs of the batch').to.equal(1);
  });

  it('keeps a record for its window only: Redis expires it BATCH_KEEP_DONE_SECONDS after it is written', async () => {
    const queue = { prefix: uniqueName('test'), name: 'events', keepDoneSeconds: 600 };
    const records = new BatchRecords(redis, queue);
    const id = '0b1c6ad2-3f0e-4c57-9a8f-52ab1e1c2d3e';
    await records.markDone(id, { accepted: 4 });
    expect(await records.read(id)).to.deep.equal({ accepted: 4 });
    const ttlMs = await redis.pttl(`${queue.prefix}:${queue.name}:done:${id}`);
    expect(ttlMs).to.be.within(599_000, 600_000);
  });
});
