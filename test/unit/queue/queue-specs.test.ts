import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/env.ts';
import { onMainRedis, queueSpecs } from '../../../src/queue/queue-specs.ts';

describe('the events queues of a configuration', () => {
  it('is one queue on REDIS_URL, with the very settings of today, without QUEUE_REDIS_URLS', () => {
    const config = loadConfig({ REDIS_URL: 'redis://main:6379' });
    const specs = queueSpecs(config);
    expect(specs).to.have.length(1);
    expect(specs[0]!.queue).to.equal(config.queue);
    expect(specs[0]!.target).to.equal(config.redis);
    expect(onMainRedis(specs[0]!, config)).to.be.true;
  });

  it('is one queue per URL of QUEUE_REDIS_URLS, queue 0 keeping the configured name', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://main:6379',
      QUEUE_NAME: 'batches',
      QUEUE_REDIS_URLS: 'redis://q0:6379,rediss://user:secret@q1:6380/2,redis://q2:6379',
    });
    const specs = queueSpecs(config);
    expect(specs.map((s) => s.queue.name)).to.deep.equal(['batches', 'batches-1', 'batches-2']);
    expect(specs.map((s) => s.target.url)).to.deep.equal([
      'redis://q0:6379',
      'rediss://user:secret@q1:6380/2',
      'redis://q2:6379',
    ]);
    expect(specs.map((s) => s.index)).to.deep.equal([0, 1, 2]);
    expect(specs.every((s) => s.queue.prefix === config.queue.prefix)).to.be.true;
    expect(specs.some((s) => onMainRedis(s, config))).to.be.false;
  });

  it('refuses a list holding anything but Redis URLs', () => {
    for (const QUEUE_REDIS_URLS of ['redis://a:1,http://b:2', 'redis://a:1,', 'a:6379'])
      expect(() => loadConfig({ QUEUE_REDIS_URLS }), QUEUE_REDIS_URLS).to.throw(
        ConfigError,
        /QUEUE_REDIS_URLS/,
      );
  });

  it('refuses several queues together with Sentinel, naming both variables', () => {
    expect(() =>
      loadConfig({
        QUEUE_REDIS_URLS: 'redis://a:6379,redis://b:6379',
        REDIS_SENTINELS: 's1:26379',
        REDIS_SENTINEL_NAME: 'pss',
      }),
    ).to.throw(ConfigError, /QUEUE_REDIS_URLS.*REDIS_SENTINELS/);
  });
});
