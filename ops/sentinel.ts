// npm run sentinel: a local Redis primary, one replica and three sentinels, in the foreground.
// Prints the settings that point the service at them; Ctrl-C (or SIGTERM) stops and removes them.
// For trying a failover by hand: `kill -9` the primary's pid (see `redis-cli -p <port> info server`).
// Ports: LOCAL_SENTINEL_REDIS_PORT (primary; replica +1) and LOCAL_SENTINEL_PORT (three sentinels).
import { runCli } from './lib/errors.ts';
import { loadLocalSettings } from './lib/local-settings.ts';
import { LocalSentinelRedis, SENTINEL_TIMINGS } from './lib/redis-sentinel-local.ts';

const USAGE = [
  'usage: npm run sentinel',
  'Runs a local Redis primary, one replica and three sentinels until Ctrl-C (ports: LOCAL_SENTINEL_REDIS_PORT, LOCAL_SENTINEL_PORT).',
].join('\n');

await runCli(USAGE, async () => {
  const local = loadLocalSettings();
  const redis = await LocalSentinelRedis.start({
    dataPort: local.sentinelRedisPort,
    sentinelPort: local.sentinelPort,
  });
  console.log(
    `Started a primary (port ${await redis.primaryPort()}), a replica and three sentinels in ${redis.base}`,
  );
  const t = SENTINEL_TIMINGS;
  console.log(
    `Sentinel timings: down-after-milliseconds ${t.downAfterMs}, failover-timeout ${t.failoverTimeoutMs}, parallel-syncs ${t.parallelSyncs}`,
  );
  console.log('Point the service at them with:');
  for (const [name, value] of Object.entries(redis.env)) console.log(`  export ${name}=${value}`);
  console.log('  export REDIS_MIN_REPLICAS_ACK=1');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await redis.stop();
  console.log('Stopped and removed them.');
});
