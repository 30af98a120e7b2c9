// npm run stack -- up | down | status [--only cassandra|redis] [--nodes N]
// `up` leaves Redis and Cassandra running, so that later `npm start` / `npm test` runs reuse them;
// `--nodes 3` makes the local Cassandra a cluster of three nodes (127.0.0.1, .2, .3).
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/env.ts';
import { LocalCassandraCluster } from './lib/cassandra-cluster.ts';
import { ringStatus } from './lib/cassandra-ring.ts';
import { OpsError, runCli } from './lib/errors.ts';
import { loadLocalSettings } from './lib/local-settings.ts';
import { LocalRedis } from './lib/redis-local.ts';
import { ensureStack } from './lib/stack.ts';

const USAGE = 'usage: npm run stack -- up|down|status [--only cassandra|redis] [--nodes N]';

await runCli(USAGE, async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { only: { type: 'string' }, nodes: { type: 'string', default: '1' } },
  });
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9)
    throw new OpsError(`--nodes must be a whole number from 1 to 9, not "${values.nodes}"`, USAGE);
  const command = positionals[0] ?? 'status';
  const only = values.only;
  if (only !== undefined && only !== 'cassandra' && only !== 'redis')
    throw new OpsError(`unknown store "${only}"`, USAGE);
  const local = loadLocalSettings();
  const redis = only === 'cassandra' ? undefined : new LocalRedis(local);
  const cassandra = only === 'redis' ? undefined : new LocalCassandraCluster(local, nodes);

  switch (command) {
    case 'up': {
      if (only === undefined) {
        // Both, the way `npm start` finds them: the configured ones when they answer.
        const stack = await ensureStack(loadConfig(), local, console.log, nodes);
        console.log(`Redis:     ${stack.redisUrl}`);
        console.log(`Cassandra: ${stack.cassandraContactPoints.join(',')}`);
        return;
      }
      if (redis && !(await redis.start()))
        console.log(`Redis already answers on ${redis.url}; reusing it.`);
      if (cassandra && !(await cassandra.start()))
        console.log(
          `Cassandra already answers on ${cassandra.contactPoints.join(',')}; reusing it.`,
        );
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
      for (const node of cassandra?.nodes ?? []) {
        const up = await node.isUp();
        allUp &&= up;
        const pid = node.pid();
        console.log(
          `Cassandra on ${node.contactPoint}: ${up ? 'answers' : 'not answering'}` +
            (pid ? ` (local node pid ${pid}, ${node.dir})` : ''),
        );
      }
      if (cassandra && cassandra.size > 1 && allUp) {
        const ring = await ringStatus(cassandra.addresses);
        allUp = ring === true;
        console.log(`Cluster: ${ring === true ? `all ${cassandra.size} nodes UN` : ring}`);
      }
      if (!allUp) process.exitCode = 3;
      return;
    }
    default:
      throw new OpsError(`unknown command "${command}"`, USAGE);
  }
});
