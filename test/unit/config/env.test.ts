import { expect } from 'chai';
import { loadLocalSettings } from '../../../ops/lib/local-settings.ts';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../../src/config/env.ts';

describe('config', () => {
  it('gives every setting its documented default when the environment is empty', () => {
    const config = loadConfig({});
    expect(config.http.port).to.equal(3000);
    expect(config.redis.url).to.equal('redis://127.0.0.1:6390');
    expect(config.redis.configured).to.be.false;
    expect(config.cassandra.contactPoints).to.deep.equal(['127.0.0.1:9042']);
    expect(config.cassandra.localDataCenter).to.equal('datacenter1');
    expect(config.cassandra.keyspace).to.equal('player_sessions');
    expect(config.events.maxBatchEvents).to.equal(10);
    expect(config.events.retentionSeconds).to.equal(365 * 24 * 3600);
    expect(config.events.maxFutureSkewSeconds).to.equal(300);
    expect(config.admin.password).to.be.undefined;
  });

  it('converts numbers and splits the contact point list', () => {
    const config = loadConfig({
      PORT: '8080',
      CASSANDRA_CONTACT_POINTS: '10.0.0.1:9042,10.0.0.2:9042',
      REDIS_URL: 'redis://cache:6379/2',
      WORKER_CONCURRENCY: '8',
    });
    expect(config.http.port).to.equal(8080);
    expect(config.cassandra.contactPoints).to.deep.equal(['10.0.0.1:9042', '10.0.0.2:9042']);
    expect(config.cassandra.configured).to.be.true;
    expect(config.redis.url).to.equal('redis://cache:6379/2');
    expect(config.redis.configured).to.be.true;
    expect(config.worker.concurrency).to.equal(8);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '' }).http.port).to.equal(3000);
  });

  it('names every invalid variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        REDIS_URL: 'http://nope',
        CASSANDRA_KEYSPACE: 'Bad-Name',
        MAX_BATCH_EVENTS: '0',
      });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).to.match(/PORT/);
    expect(problems).to.match(/REDIS_URL/);
    expect(problems).to.match(/CASSANDRA_KEYSPACE/);
    expect(problems).to.match(/MAX_BATCH_EVENTS/);
  });

  it('reads the sentinel list and the primary name, and refuses one without the other', () => {
    const config = loadConfig({
      REDIS_SENTINELS: 's1:26379,10.0.0.2:26380',
      REDIS_SENTINEL_NAME: 'pss',
      REDIS_MIN_REPLICAS_ACK: '1',
    });
    expect(config.redis.sentinels).to.deep.equal([
      { host: 's1', port: 26379 },
      { host: '10.0.0.2', port: 26380 },
    ]);
    expect(config.redis.sentinelName).to.equal('pss');
    expect(config.redis.minReplicasAck).to.equal(1);
    expect(loadConfig({}).redis.minReplicasAck).to.equal(0);
    expect(() => loadConfig({ REDIS_SENTINELS: 's1:26379' })).to.throw(
      ConfigError,
      /REDIS_SENTINEL_NAME/,
    );
    expect(() => loadConfig({ REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'pss' })).to.throw(
      ConfigError,
      /REDIS_SENTINELS/,
    );
  });

  it('refuses an admin password shorter than eight characters', () => {
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short' })).to.throw(ConfigError, /ADMIN_PASSWORD/);
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', SOMETHING_ELSE: 'x' })).not.to.throw();
  });

  it('reads the local stack settings apart, with its directory resolved against the working directory', () => {
    const local = loadLocalSettings({}, '/srv/app');
    expect(local.dir).to.equal('/srv/app/.local');
    expect(local.redisPort).to.equal(6390);
    expect(local.javaHome).to.be.undefined;
    expect(() => loadLocalSettings({ LOCAL_REDIS_PORT: 'x' })).to.throw(
      ConfigError,
      /LOCAL_REDIS_PORT/,
    );
  });

  it('leaves the local stack settings out of the service configuration', () => {
    expect(
      CONFIG_VARIABLES.filter((name) => name.startsWith('LOCAL_') || name === 'JAVA_HOME'),
    ).to.deep.equal([]);
  });
});

describe('config of access and hardening', () => {
  it('keeps API keys and rate limits on unless set to exactly off', () => {
    expect(loadConfig({}).auth.enabled).to.be.true;
    expect(loadConfig({}).rateLimit.enabled).to.be.true;
    expect(loadConfig({ AUTH: 'off', RATE_LIMIT: 'off' }).auth.enabled).to.be.false;
    for (const AUTH of ['false', '0', 'no', 'OFF '])
      expect(() => loadConfig({ AUTH }), AUTH).to.throw(ConfigError, /AUTH/);
  });

  it('trusts no proxy by default, and reads how many hops to trust and their header', () => {
    expect(loadConfig({}).proxy).to.deep.equal({ trustedHops: 0, ipHeader: 'X-Forwarded-For' });
    expect(loadConfig({ TRUST_PROXY_HOPS: '2', PROXY_IP_HEADER: 'X-Real-IP' }).proxy).to.deep.equal(
      { trustedHops: 2, ipHeader: 'X-Real-IP' },
    );
    for (const TRUST_PROXY_HOPS of ['-1', '1.5', 'true', 'all'])
      expect(() => loadConfig({ TRUST_PROXY_HOPS }), TRUST_PROXY_HOPS).to.throw(ConfigError);
    for (const PROXY_IP_HEADER of ['X Forwarded', 'X-Forwarded-For:', 'a,b'])
      expect(() => loadConfig({ PROXY_IP_HEADER }), PROXY_IP_HEADER).to.throw(ConfigError);
  });

  it('refuses a request timeout shorter than the headers timeout', () => {
    expect(() =>
      loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '1000' }),
    ).to.throw(ConfigError, /HTTP_REQUEST_TIMEOUT_MS/);
  });
});
