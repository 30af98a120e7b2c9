// npm run stack -- up | down | status [--only cassandra|redis]
// `up` leaves Redis and Cassandra running, so that later `npm start` / `npm test` runs reuse them.
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/env.ts';
import { LocalCassandra } from './lib/cassandra-local.ts';
import { OpsError, runCli } from './lib/errors.ts';
import { loadLocalSettings } from './lib/local-settings.ts';
import { LocalRedis } from './lib/redis-local.ts';
import { ensureStack } from './lib/stack.ts';

const USAGE = 'usage: npm run stack -- up|down|status [--only cassandra|redis]';

await runCli(async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { only: { type: 'string' } },
  });
  const command = positionals[0] ?? 'status';
  const only = values.only;
  if (only !== undefined && only !== 'cassandra' && only !== 'redis')
    throw new OpsError(`unknown store "${only}"`, USAGE);
  const local = loadLocalSettings();
  const redis = only === 'cassandra' ? undefined : new LocalRedis(local);
  const cassandra = only === 'redis' ? undefined : new LocalCassandra(local);

  switch (command) {
    case 'up': {
      if (only === undefined) {
        // Both, the way `npm start` finds them: the configured ones when they answer.
        const stack = await ensureStack(loadConfig(), local);
        console.log(`Redis:     ${stack.redisUrl}`);
        console.log(`Cassandra: ${stack.cassandraContactPoints.join(',')}`);
        return;
      }
      if (redis && !(await redis.start()))
        console.log(`Redis already answers on ${redis.url}; reusing it.`);
      if (cassandra && !(await cassandra.start()))
        console.log(`Cassandra already answers on ${cassandra.contactPoint}; reusing it.`);
      return;
    }
    case 'down':
      if (cassandra && !(await cassandra.stop()))
        console.log('No local Cassandra started from this checkout is running.');
      if (redis && !(await redis.stop()))
        console.log('No local Redis started from this checkout is running.');
      return;
    case 'status': {
      let allUp = true;
      if (redis) {
        const up = await redis.isUp();
        allUp &&= up;
        console.log(`Redis on ${redis.url}: ${up ? 'answers' : 'not answering'}`);
      }
      if (cassandra) {
        const up = await cassandra.isUp();
        allUp &&= up;
        const pid = cassandra.pid();
        console.log(
          `Cassandra on ${cassandra.contactPoint}: ${up ? 'answers' : 'not answering'}` +
            (pid ? ` (local node pid ${pid}, ${cassandra.dir})` : ''),
        );
      }
      if (!allUp) process.exitCode = 3;
      return;
    }
    default:
      throw new OpsError(`unknown command "${command}"`, USAGE);
  }
});
