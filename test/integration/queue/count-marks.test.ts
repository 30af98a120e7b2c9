import { expect } from 'chai';
import { CountMarks } from '../../../src/queue/count-marks.ts';
import { createRedis, workerRedisOptions } from '../../../src/queue/redis-connections.ts';
import { testConfig, uniqueName } from '../../helpers/env.ts';

describe('marks of changed seconds in Redis', () => {
  const config = testConfig();
  const redis = createRedis(config.redis, workerRedisOptions(), () => undefined);
  const marks = new CountMarks(redis, uniqueName('marks'));
  after(() => {
    redis.disconnect();
  });

  it('numbers each add, and takes every mark present with the highest number given', async () => {
    const first = await marks.add(0, ['1000|FI', '1000|SE']);
    const second = await marks.add(0, ['2000|FI']);
    expect(second).to.equal(first + 1);
    const taken = await marks.take(0);
    expect(taken.through).to.equal(second);
    expect([...taken.members].sort()).to.deep.equal(['1000|FI', '1000|SE', '2000|FI']);
  });

  it('clears what a rollup took, but keeps a mark added again after the take', async () => {
    const taken = await marks.take(0);
    await marks.add(0, ['2000|FI']); // marked again while the rollup runs
    await marks.add(0, ['3000|DE']); // new meanwhile
    await marks.clear(0, taken.through);
    expect([...(await marks.take(0)).members].sort()).to.deep.equal(['2000|FI', '3000|DE']);
  });

  it('keeps each shard’s marks and numbers apart', async () => {
    const n = await marks.add(5, ['9000|US']);
    expect(n).to.equal(1);
    expect((await marks.take(5)).members).to.deep.equal(['9000|US']);
    expect((await marks.take(6)).members).to.deep.equal([]);
  });

  it('adds thousands of marks in one call', async () => {
    const members = Array.from({ length: 3000 }, (_, i) => `${i * 1000}|FI`);
    await marks.add(7, members);
    expect((await marks.take(7)).members).to.have.length(3000);
  });
});
