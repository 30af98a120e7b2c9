// npm run stack -- up | down | status [--only cassandra|redis|prometheus] [--nodes N]
// `up` leaves Redis and Cassandra running, so that later `npm start` / `npm test` runs reuse them;
// `--nodes 3` makes the local Cassandra a cluster of three nodes (127.0.0.1, .2, .3).
// `up --only prometheus` starts Debian's Prometheus on the running API's /metrics with the shipped
// alert rules: the monitoring of a run without Docker (README, Monitoring).
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/env.ts';
import { LocalCassandraCluster } from './lib/cassandra-cluster.ts';
import { ringStatus } from './lib/cassandra-ring.ts';
import { OpsError, runCli } from './lib/errors.ts';
import { loadLocalSettings } from './lib/local-settings.ts';
import { localScrapeTarget } from './lib/prometheus-config.ts';
import { LocalPrometheus } from './lib/prometheus-local.ts';
import { LocalRedis } from './lib/redis-local.ts';
import { ensureStack } from './lib/stack.ts';

const USAGE = [
  'usage: npm run stack -- up|down|status [--only cassandra|redis|prometheus] [--nodes N]',
  '       npm run stack -- up --only prometheus [--target HOST:PORT] [--key-file FILE]',
  'Prometheus scrapes the API of `npm start` (ADMIN_PORT, or PORT with the key in .local/dev-api-key) unless --target names another; --key-file holds an admin key.',
].join('\n');
const STORES = ['cassandra', 'redis', 'prometheus'];

await runCli(USAGE, async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      only: { type: 'string' },
      nodes: { type: 'string', default: '1' },
      target: { type: 'string' },
      'key-file': { type: 'string' },
    },
  });
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9)
    throw new OpsError(`--nodes must be a whole number from 1 to 9, not "${values.nodes}"`, USAGE);
  const command = positionals[0] ?? 'status';
  const only = values.only;
  if (only !== undefined && !STORES.includes(only))
    throw new OpsError(`unknown store "${only}"`, USAGE);
  if ((values.target ?? values['key-file']) !== undefined && only !== 'prometheus')
    throw new OpsError('--target and --key-file are for --only prometheus', USAGE);
  const local = loadLocalSettings();
  const store = (name: string) => only === undefined || only === name;
  const redis = store('redis') ? new LocalRedis(local) : undefined;
  const cassandra = store('cassandra') ? new LocalCassandraCluster(local, nodes) : undefined;
  const prometheus = new LocalPrometheus(local);

  switch (command) {
    case 'up': {
      if (only === 'prometheus') {
        const target = localScrapeTarget(loadConfig(), local.dir, {
          ...(values.target !== undefined ? { address: values.target } : {}),
          ...(values['key-file'] !== undefined ? { keyFile: values['key-file'] } : {}),
        });
        await prometheus.start(target);
        return;
      }
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
      if (store('prometheus') && !(await prometheus.stop()) && only === 'prometheus')
        console.log('No local Prometheus started from this checkout is running.');
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
      // Without --only, Prometheus is listed when it runs: the stores do not need it.
      const prometheusPid = prometheus.pid();
      if (only === 'prometheus' || (only === undefined && prometheusPid !== undefined)) {
        const up = await prometheus.isUp();
        allUp &&= up;
        console.log(
          `Prometheus on ${prometheus.url}: ${up ? 'ready' : 'not answering'}` +
            (prometheusPid ? ` (pid ${prometheusPid}, ${prometheus.dir})` : ''),
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
