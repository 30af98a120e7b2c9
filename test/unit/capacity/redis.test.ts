import { expect } from 'chai';
import { POLICY, REDIS, SETTINGS } from '../../../ops/capacity/measured.ts';
import { redisFigures } from '../../../ops/capacity/redis.ts';

const input = {
  eventsPerBatch: 10,
  rollupJobsPerSecond: 0,
  queues: undefined,
  keepDoneSeconds: 3_600,
  memoryBytesPerPrimary: 16 * 2 ** 30,
};
const backlog = SETTINGS.maxQueueBacklog * REDIS.waitingBatchBytes;

describe('the capacity model: Redis', () => {
  it('needs one queue while one primary takes the load within its headroom', () => {
    const r = redisFigures({ ...input, eventsPerSecond: 10_000 });
    expect(r.batchesPerSecond).to.equal(1_000);
    expect(r.queues).to.equal(1);
    expect(r.utilisation).to.be.closeTo(1_000 / REDIS.completionsPerSecond, 1e-9);
  });

  it('takes as many queues as the slower of adds and completions needs at the stated headroom', () => {
    const r = redisFigures({ ...input, eventsPerSecond: 1_000_000, rollupJobsPerSecond: 400 });
    expect(r.addsPerSecond).to.equal(100_400);
    const perPrimary =
      Math.min(REDIS.addsPerSecond, REDIS.completionsPerSecond) * POLICY.redisHeadroom;
    expect(r.queuesForThroughput).to.equal(Math.ceil(100_400 / perPrimary));
    expect(r.queues).to.equal(r.queuesForThroughput);
    expect(r.utilisation).to.be.at.most(POLICY.redisHeadroom);
  });

  it('takes more queues when a day of done records does not fit in the primaries’ memory', () => {
    const hour = redisFigures({ ...input, eventsPerSecond: 1_000_000 });
    const day = redisFigures({ ...input, eventsPerSecond: 1_000_000, keepDoneSeconds: 86_400 });
    const dayOfRecords = 100_000 * 86_400 * REDIS.doneRecordBytesKeyed;
    expect(day.queuesForMemory).to.equal(
      Math.ceil(dayOfRecords / (input.memoryBytesPerPrimary - backlog)),
    );
    expect(day.queues).to.equal(day.queuesForMemory);
    expect(day.queues).to.be.above(hour.queues);
    expect(day.doneRecordBytesPerPrimary + backlog).to.be.at.most(input.memoryBytesPerPrimary);
  });

  it('spreads done records evenly over the queues it was given', () => {
    const r = redisFigures({ ...input, eventsPerSecond: 100_000, queues: 4 });
    expect(r.chosen).to.be.false;
    expect(r.queues).to.equal(4);
    expect(r.doneRecordBytesPerPrimary).to.equal((10_000 * 3_600 * REDIS.doneRecordBytesKeyed) / 4);
  });
});
