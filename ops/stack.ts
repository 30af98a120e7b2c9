// npm run stack -- up | down | status
// `up` leaves Redis and Cassandra running, so that later `npm start` / `npm test` runs reuse them.
import { loadConfig } from '../src/config/env.ts';
import { LocalCassandra } from './lib/cassandra-local.ts';
import { OpsError, runCli } from './lib/errors.ts';
import { loadLocalSettings } from './lib/local-settings.ts';
import { LocalRedis } from './lib/redis-local.ts';
import { ensureStack } from './lib/stack.ts';

await runCli(async () => {
  const config = loadConfig();
  const local = loadLocalSettings();
  const command = process.argv[2] ?? 'status';
  switch (command) {
    case 'up': {
      const stack = await ensureStack(config, local);
      console.log(
        `Redis:     ${stack.redisUrl}\nCassandra: ${stack.cassandraContactPoints.join(',')}`,
      );
      return;
    }
    case 'down':
      await new LocalCassandra(local).stop();
      await new LocalRedis(local).stop();
      return;
    case 'status': {
      const redis = await new LocalRedis(local).isUp();
      const cassandra = await new LocalCassandra(local).isUp();
      console.log(
        `local Redis: ${redis ? 'up' : 'down'}\nlocal Cassandra: ${cassandra ? 'up' : 'down'}`,
      );
      return;
    }
    default:
      throw new OpsError(`unknown command "${command}"`, 'usage: npm run stack -- up|down|status');
  }
});
