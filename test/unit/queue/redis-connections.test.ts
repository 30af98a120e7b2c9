import { expect } from 'chai';
import {
  apiRedisOptions,
  bullConnection,
  connectionOptions,
  workerRedisOptions,
} from '../../../src/queue/redis-connections.ts';

describe('Redis connection options', () => {
  it('connect to the Redis of REDIS_URL, with its password and database, in the given profile', () => {
    const options = connectionOptions({ url: 'redis://:s%40cret@cache:6380/2' }, apiRedisOptions());
    expect(options).to.include({ host: 'cache', port: 6380, password: 's@cret', db: 2 });
    expect(options.enableOfflineQueue).to.equal(false);
    expect(options.sentinels).to.be.undefined;
  });

  it('ask the sentinels for the primary when they are configured, keeping the password, database and profile', () => {
    const options = connectionOptions(
      {
        url: 'redis://:pw@ignored:1/3',
        sentinels: [{ host: 's1', port: 26379 }],
        sentinelName: 'pss',
        sentinelPassword: 'spw',
      },
      workerRedisOptions(),
    );
    expect(options.sentinels).to.deep.equal([{ host: 's1', port: 26379 }]);
    expect(options).to.include({ name: 'pss', sentinelPassword: 'spw', password: 'pw', db: 3 });
    expect(options.host).to.be.undefined;
    expect(options.maxRetriesPerRequest).to.equal(null);
  });

  it('give BullMQ the same options without any that are present but undefined', () => {
    const options = bullConnection({ url: 'redis://127.0.0.1:6390' }, workerRedisOptions());
    expect(Object.values(options)).not.to.include(undefined);
    expect(options).to.include({ host: '127.0.0.1', port: 6390, db: 0 });
  });
});
