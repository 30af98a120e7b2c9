import { Queue } from 'bullmq';
import { loadConfig } from '../../src/config/env.ts';
import { onMainRedis, queueSpecs } from '../../src/queue/queue-specs.ts';
import { createCassandraClient } from '../../src/storage/cassandra-client.ts';
import { dropKeyspace, keyspaceOptionsOf, migrate } from '../../src/storage/migrator.ts';
import { freePort } from '../lib/free-port.ts';
import { QueueGroup } from '../lib/queue-group.ts';
import { loadLocalSettings, type LocalSettings } from '../lib/local-settings.ts';
import { ServiceProcess } from '../lib/service-process.ts';
import { ensureStack } from '../lib/stack.ts';
import { SCOPES } from '../../src/auth/api-key.ts';
import { ApiKeys } from '../../src/storage/api-keys.ts';
import { createKey } from '../lib/api-keys.ts';
import { BenchClient } from './http-client.ts';
import type { CostProbes } from './cost-window.ts';
import { ThreadMeter } from './proc-threads.ts';
import { clockTicksPerSecond, CpuMeter } from './proc-cpu.ts';
import { ownedPorts } from './proc-sockets.ts';
import { quiesce } from './quiesce.ts';
import { RssSampler } from './rss.ts';
import { cassandraPid, redisPid } from './service-pids.ts';
import type { BenchTarget } from './target.ts';
import { bullConnection, workerRedisOptions } from '../../src/queue/redis-connections.ts';

/** How often the bench's worker publishes its metrics (default 5 s): windows wait for it twice. */
const METRICS_PUBLISH_INTERVAL_MS = 1000;

export interface BenchOptions {
  readonly say?: (line: string) => void;
  /** Where the run writes; dropped before and after. */
  readonly keyspace?: string;
  readonly queuePrefix?: string;
  /** Cassandra nodes: 1, or a local cluster of this many with as many replicas (`--nodes 3`). */
  readonly nodes?: number;
}

/** What a run's phases work with, and what it records around each of them. */
export interface Harness {
  readonly target: BenchTarget;
  readonly local: LocalSettings;
  readonly costProbes: CostProbes;
  /** Runs a phase once Cassandra is quiet, recording its peak memory and the wait. */
  readonly phase: <T>(name: string, body: () => Promise<T>) => Promise<T>;
  readonly memoryMiB: Record<string, Record<string, number>>;
  readonly quiescedMs: Record<string, number>;
  /** The pids of the service's processes, by name (`api`, `worker`). */
  readonly services: ReadonlyMap<string, number>;
  /** The environment the service's processes run with (keyspace, queue prefix, stack). */
  readonly serviceEnv: Readonly<Record<string, string>>;
}

/**
 * Redis and Cassandra as `npm start` brings them up, the API and one worker as separate
 * processes as the Procfile runs them (default settings, access logs included), a fresh keyspace
 * and queue; `body` runs phases against them, and everything is torn down after.
 */
export async function withHarness<T>(
  options: BenchOptions,
  body: (harness: Harness) => Promise<T>,
): Promise<T> {
  const say = options.say ?? console.log;
  const keyspace = options.keyspace ?? 'pss_bench';
  const queuePrefix = options.queuePrefix ?? 'pss_bench';
  const config = loadConfig();
  const local = loadLocalSettings();
  const nodes = options.nodes ?? 1;
  const stack = await ensureStack(config, local, say, nodes);
  const cassandra = createCassandraClient({
    ...config.cassandra,
    contactPoints: stack.cassandraContactPoints,
  });
  const processes: ServiceProcess[] = [];
  // Every events queue (QUEUE_REDIS_URLS), watched as one: drained means every queue drained.
  const queues = queueSpecs(config).map((spec) => {
    const target = onMainRedis(spec, config) ? stack.redis : spec.target;
    const q = new Queue(spec.queue.name, {
      connection: bullConnection(target, workerRedisOptions()),
      prefix: queuePrefix,
    });
    q.on('error', () => undefined);
    return q;
  });
  const queue = new QueueGroup(queues);
  let client: BenchClient | undefined;
  let rss: RssSampler | undefined;
  try {
    say(`Fresh keyspace ${keyspace} and queue prefix ${queuePrefix}`);
    await dropKeyspace(cassandra, keyspace);
    await migrate(cassandra, { ...keyspaceOptionsOf(config), keyspace, replicationFactor: nodes });
    for (const q of queues) await q.obliterate({ force: true });
    // The service runs as deployed, keys checked (unless the caller's environment says AUTH=off).
    const { key } = await createKey(new ApiKeys(cassandra, keyspace), 'bench', SCOPES);

    const port = await freePort();
    const env = {
      ...stack.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CASSANDRA_KEYSPACE: keyspace,
      QUEUE_PREFIX: queuePrefix,
      CASSANDRA_REPLICATION_FACTOR: String(nodes),
      // The cost windows read the worker's micro-batch and rollup figures from /metrics.
      METRICS_PUBLISH_INTERVAL_MS: String(METRICS_PUBLISH_INTERVAL_MS),
    };
    const api = await ServiceProcess.start('web', env);
    const worker = await ServiceProcess.start('worker', env);
    processes.push(api, worker);
    client = new BenchClient(`http://127.0.0.1:${port}`, 256, key);
    const services = new Map([
      ['api', api.pid],
      ['worker', worker.pid],
    ]);
    const sampler = new RssSampler(() => services).start();
    rss = sampler;
    const target: BenchTarget = {
      client,
      queue,
      redisUrl: stack.redisUrl,
      cassandra,
      keyspace,
      rss: sampler,
      runId: `${Date.now()}`,
      say,
    };
    const ticks = await clockTicksPerSecond();
    const cassandraProcess = cassandraPid(local, stack.cassandraContactPoints);
    const cpu = new CpuMeter(
      new Map<string, number | undefined>([
        ...services,
        ['redis', await redisPid(stack.redisUrl)],
        ['cassandra', cassandraProcess],
      ]),
      ticks,
    );
    const servicePorts = () => new Set([...ownedPorts(api.pid), ...ownedPorts(worker.pid)]);
    const memoryMiB: Record<string, Record<string, number>> = {};
    const quiescedMs: Record<string, number> = {};
    return await body({
      target,
      local,
      costProbes: {
        cpu,
        servicePorts,
        cassandraThreads: new ThreadMeter(cassandraProcess, ticks),
        metricsPublishIntervalMs: METRICS_PUBLISH_INTERVAL_MS,
      },
      memoryMiB,
      quiescedMs,
      services,
      serviceEnv: env,
      phase: async (name, run) => {
        say(`\n== ${name}`);
        quiescedMs[name] = await quiesce(cassandra);
        sampler.takePeaks();
        const result = await run();
        memoryMiB[name] = sampler.takePeaks();
        return result;
      },
    });
  } finally {
    rss?.stop();
    await client?.close();
    for (const p of processes) p.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    for (const q of queues) await q.close();
    await dropKeyspace(cassandra, keyspace).catch(() => undefined);
    await cassandra.shutdown();
    await stack.stopStarted();
  }
}
