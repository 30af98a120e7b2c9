import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { Counter, Registry } from 'prom-client';
import {
  MetricsPublisher,
  mergedMetrics,
  snapshotsKey,
} from '../../../src/observability/metrics-exchange.ts';
import { createRedis, workerRedisOptions } from '../../../src/queue/redis-connections.ts';
import { waitFor } from '../../../ops/lib/process.ts';
import { testConfig, uniqueName } from '../../helpers/env.ts';
import { OwnRedis } from '../../helpers/redis-server.ts';

describe('the workers’ metric snapshots in Redis', () => {
  const prefix = uniqueName('test');
  let own: OwnRedis;
  let redis: Redis;
  let monitor: Awaited<ReturnType<Redis['monitor']>> | undefined;

  // A Redis of its own: MONITOR on the shared one streams the other lanes' commands from the
  // instant it is granted, and ioredis, reading one of them before it has switched the
  // connection to monitor mode, fails with "Command queue state error" (seen in a CI run).
  before(async () => {
    own = await OwnRedis.start();
  });
  after(async () => {
    await own.stop();
  });
  beforeEach(() => {
    const target = testConfig({ REDIS_URL: own.url }).redis;
    redis = createRedis(target, workerRedisOptions(), () => undefined);
  });
  afterEach(async () => {
    monitor?.disconnect();
    monitor = undefined;
    await redis.del(snapshotsKey(prefix));
    redis.disconnect();
  });

  const registryWith = (count: number) => {
    const registry = new Registry();
    registry.setDefaultLabels({ process: 'worker' });
    new Counter({ name: 'jobs_total', help: 'jobs', registers: [registry] }).inc(count);
    return registry;
  };

  it('merges every live worker’s snapshot from one hash, reading it with HGETALL and never scanning keys', async () => {
    const publishers = [3, 4].map(
      (n, i) =>
        new MetricsPublisher(redis, registryWith(n), {
          queuePrefix: prefix,
          processName: `worker-${i}`,
          intervalMs: 1000,
        }),
    );
    for (const p of publishers) await p.publish();
    expect(await redis.hlen(snapshotsKey(prefix))).to.be.at.least(1);

    monitor = await redis.monitor();
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((a) => a.startsWith(prefix))) commands.push(args[0]!.toLowerCase());
    });
    const text = await mergedMetrics(new Registry(), redis, prefix);
    // MONITOR reports commands after the fact, in the order Redis ran them: once a marker sent
    // after the merge has been reported, so has every command of the merge.
    await redis.echo(`${prefix}:merged`);
    expect(await waitFor(() => commands.includes('echo'), 5000, 10), 'the marker').to.be.true;
    // Both publishers run in this process: one field (same host and pid) per process name.
    expect(text).to.match(/jobs_total\{process="worker"\} 7/);
    expect(commands).to.include('hgetall');
    expect(commands.filter((c) => c === 'scan' || c === 'keys')).to.deep.equal([]);
  });

  it('drops snapshots past their live-until time', async () => {
    await new MetricsPublisher(redis, registryWith(5), {
      queuePrefix: prefix,
      processName: 'gone',
      intervalMs: 1000,
    }).publish();
    const later = () => Date.now() + 60_000;
    const text = await mergedMetrics(new Registry(), redis, prefix, later);
    expect(text).to.not.include('jobs_total');
    expect(await redis.hlen(snapshotsKey(prefix))).to.equal(0);
  });
});
