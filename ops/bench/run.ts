import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { loadConfig } from '../../src/config/env.ts';
import { createCassandraClient } from '../../src/storage/cassandra-client.ts';
import { dropKeyspace, migrate } from '../../src/storage/migrator.ts';
import { freePort } from '../lib/free-port.ts';
import { run } from '../lib/process.ts';
import { ServiceProcess } from '../lib/service-process.ts';
import { loadLocalSettings, type LocalSettings } from '../lib/local-settings.ts';
import { ensureStack } from '../lib/stack.ts';
import { BenchClient } from './http-client.ts';
import { freshness } from './phases/freshness.ts';
import { getLatency } from './phases/get-latency.ts';
import { ingestRate } from './phases/ingest-rate.ts';
import { postLatency } from './phases/post-latency.ts';
import { rawWrites } from './phases/raw-writes.ts';
import { storedLoad } from './phases/stored-load.ts';
import type { BenchProfile } from './profiles.ts';
import { quiesce } from './quiesce.ts';
import { RssSampler } from './rss.ts';
import type { BenchTarget } from './target.ts';

export interface BenchOptions {
  readonly say?: (line: string) => void;
  /** Where the run writes; dropped before and after. */
  readonly keyspace?: string;
  readonly queuePrefix?: string;
}

/**
 * The benchmark: Redis and Cassandra as `npm start` brings them up, the API and one worker as
 * separate processes as the Procfile runs them (default settings, access logs included), a fresh
 * keyspace and queue, then every phase of the profile in turn.
 */
export async function runBenchmark(profile: BenchProfile, options: BenchOptions = {}) {
  const say = options.say ?? console.log;
  const keyspace = options.keyspace ?? 'pss_bench';
  const queuePrefix = options.queuePrefix ?? 'pss_bench';
  const config = loadConfig();
  const local = loadLocalSettings();
  const stack = await ensureStack(config, local, say);
  const cassandra = createCassandraClient({
    ...config.cassandra,
    contactPoints: stack.cassandraContactPoints,
  });
  const processes: ServiceProcess[] = [];
  const queue = new Queue(config.queue.name, {
    connection: { url: stack.redisUrl },
    prefix: queuePrefix,
  });
  queue.on('error', () => undefined);
  let client: BenchClient | undefined;
  try {
    say(`Fresh keyspace ${keyspace} and queue prefix ${queuePrefix}`);
    await dropKeyspace(cassandra, keyspace);
    await migrate(cassandra, {
      keyspace,
      localDataCenter: config.cassandra.localDataCenter,
      replicationFactor: 1,
    });
    await queue.obliterate({ force: true });

    const port = await freePort();
    const env = {
      ...stack.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CASSANDRA_KEYSPACE: keyspace,
      QUEUE_PREFIX: queuePrefix,
    };
    const api = await ServiceProcess.start('web', env);
    const worker = await ServiceProcess.start('worker', env);
    processes.push(api, worker);
    client = new BenchClient(`http://127.0.0.1:${port}`);
    const rss = new RssSampler(
      () =>
        new Map([
          ['api', api.pid],
          ['worker', worker.pid],
        ]),
    ).start();
    const target: BenchTarget = {
      client,
      queue,
      cassandra,
      keyspace,
      rss,
      runId: `${Date.now()}`,
      say,
    };
    const memory: Record<string, Record<string, number>> = {};
    const quiescedMs: Record<string, number> = {};
    const phase = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
      say(`\n== ${name}`);
      quiescedMs[name] = await quiesce(cassandra);
      rss.takePeaks();
      const result = await body();
      memory[name] = rss.takePeaks();
      return result;
    };

    const machine = await describeMachine(local);
    const started = Date.now();
    const post = await phase('POST latency', () => postLatency(target, profile.post));
    const ingest = await phase('ingest rate', () => ingestRate(target, profile.ingest));
    const half = Math.max(10, Math.round(ingest.maxSustainedEventsPerSecond / 2));
    const fresh = await phase('freshness', () =>
      freshness(target, { eventsPerSecond: half, durationMs: profile.freshness.durationMs }),
    );
    const stored = await phase('stored data', () =>
      storedLoad(target, { ...profile.stored, cacheDir: path.join(local.dir, 'bench') }),
    );
    const gets = await phase('GET latency', () =>
      getLatency(target, { ...profile.get, players: stored.players, country: stored.topCountry }),
    );
    const raw = await phase('raw Cassandra writes', () => rawWrites(target, profile.raw));
    rss.stop();

    return {
      profile: profile.name,
      startedAt: new Date(started).toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      machine,
      post,
      ingest,
      freshness: fresh,
      stored,
      gets,
      raw: { ...raw, endToEndShare: ingest.maxSustainedEventsPerSecond / raw.eventsPerSecond },
      memoryMiB: memory,
      quiescedMs,
    };
  } finally {
    await client?.close();
    for (const p of processes) p.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    await queue.close();
    await dropKeyspace(cassandra, keyspace).catch(() => undefined);
    await cassandra.shutdown();
    await stack.stopStarted();
  }
}

export type BenchResult = Awaited<ReturnType<typeof runBenchmark>>;

async function describeMachine(local: LocalSettings) {
  const cpus = os.cpus();
  const java = await run(local.javaHome ? path.join(local.javaHome, 'bin', 'java') : 'java', [
    '-version',
  ]);
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    java: java.stderr.split('\n')[0]?.trim() ?? 'unknown',
    cassandra: local.cassandraVersion,
  };
}
