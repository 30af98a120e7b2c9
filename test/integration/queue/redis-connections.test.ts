import { expect } from 'chai';
import {
  apiRedisOptions,
  createRedis,
  redisAnswers,
} from '../../../src/queue/redis-connections.ts';
import { testConfig } from '../../helpers/env.ts';

describe('the API profile’s Redis check', function () {
  this.timeout(10_000);
  const noop = () => undefined;

  // Found by CI: /readyz asked right after start reported Redis down while it was connecting.
  it('waits for a first connection still being made instead of reporting Redis down', async () => {
    const redis = createRedis(testConfig().redis, apiRedisOptions(), noop);
    try {
      expect(redis.status).to.equal('connecting');
      expect(await redisAnswers(redis)).to.equal(true);
    } finally {
      redis.disconnect();
    }
  });

  it('reports a Redis where nothing listens as down, without hanging', async () => {
    const redis = createRedis({ url: 'redis://127.0.0.1:1' }, apiRedisOptions(), noop);
    try {
      const started = Date.now();
      expect(await redisAnswers(redis)).to.equal(false);
      expect(Date.now() - started).to.be.below(1500);
      expect(await redisAnswers(redis), 'asked again while reconnecting').to.equal(false);
    } finally {
      redis.disconnect();
    }
  });
});
