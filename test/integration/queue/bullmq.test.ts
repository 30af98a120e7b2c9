import { expect } from 'chai';
import { QueueEvents } from 'bullmq';
import { createEventsQueue, type BatchJob } from '../../../src/queue/events-queue.ts';
import {
  apiRedisOptions,
  bullConnection,
  createRedis,
  workerRedisOptions,
} from '../../../src/queue/redis-connections.ts';
import { createEventsWorker } from '../../../workers/jobs/events-worker.ts';
import { testConfig } from '../../helpers/env.ts';

describe('BullMQ on the real Redis', function () {
  this.timeout(20_000);
  const config = testConfig();
  const noop = () => undefined;

  it('delivers a job enqueued by the API profile to a worker, which completes and removes it', async () => {
    const producer = createRedis(config.redis, apiRedisOptions(), noop);
    const consumer = createRedis(config.redis, workerRedisOptions(), noop);
    const queue = createEventsQueue(producer, config.queue);
    const seen: BatchJob[] = [];
    const worker = createEventsWorker(consumer, config, async (job) => {
      seen.push(job);
      await Promise.resolve();
    });
    const events = new QueueEvents(config.queue.name, {
      connection: bullConnection(config.redis, workerRedisOptions()),
      prefix: config.queue.prefix,
    });
    try {
      await events.waitUntilReady();
      const job = await queue.add(
        'batch',
        { events: [['start', 's-1', 'p-1', 1_700_000_000_000, 'FI']], acceptedAt: Date.now() },
        { jobId: 'batch-1' },
      );
      await job.waitUntilFinished(events, 10_000);
      expect(seen.map((j) => j.id)).to.deep.equal(['batch-1']);
      expect(seen[0]?.data.events[0]).to.deep.equal([
        'start',
        's-1',
        'p-1',
        1_700_000_000_000,
        'FI',
      ]);
      // Done, the job is gone at once: what is left of a batch is its record (batch-records.ts).
      expect(await queue.getJobState('batch-1')).to.equal('unknown');
      expect(await queue.getJobCounts('completed', 'waiting')).to.deep.equal({
        completed: 0,
        waiting: 0,
      });
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
      producer.disconnect();
      consumer.disconnect();
    }
  });
});
