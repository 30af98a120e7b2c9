import os from 'node:os';
import path from 'node:path';
import { run } from '../lib/process.ts';
import type { LocalSettings } from '../lib/local-settings.ts';
import { withHarness, type BenchOptions, type Harness } from './harness.ts';
import { backlogCost } from './phases/backlog-cost.ts';
import { bulkImport } from './phases/bulk-import.ts';
import { readsUnderIngest } from './phases/reads-under-ingest.ts';
import { clockTicksPerSecond } from './proc-cpu.ts';
import { cost } from './phases/cost.ts';
import { historical } from './phases/historical.ts';
import { lifecycle } from './phases/lifecycle.ts';
import { RestoreService } from './restore-service.ts';
import { freshness } from './phases/freshness.ts';
import { getLatency } from './phases/get-latency.ts';
import { ingestRate } from './phases/ingest-rate.ts';
import { postLatency } from './phases/post-latency.ts';
import { rawWrites } from './phases/raw-writes.ts';
import { redisMemory } from './phases/redis-memory.ts';
import { storedLoad } from './phases/stored-load.ts';
import type { BenchProfile } from './profiles.ts';

export type { BenchOptions };

/** The benchmark: every phase of the profile in turn, against the processes of harness.ts. */
export async function runBenchmark(profile: BenchProfile, options: BenchOptions = {}) {
  return withHarness(options, async ({ target, local, costProbes, phase, ...recorded }) => {
    const machine = await describeMachine(local, options.nodes ?? 1);
    const started = Date.now();
    const post = await phase('POST latency', () => postLatency(target, profile.post));
    // Right after POST latency: the keyspace is still small and nothing else has run hard, so
    // the cost of an event is measured with the least left over from other phases.
    const costs = await phase('cost per event', () => cost(target, profile.cost, costProbes));
    const backlog = await phase('cost by backlog', () =>
      backlogCost(target, profile.backlog, costProbes),
    );
    const ingest = await phase('ingest rate', () => ingestRate(target, profile.ingest));
    const half = Math.max(10, Math.round(ingest.maxSustainedEventsPerSecond / 2));
    const fresh = await phase('freshness', () =>
      freshness(target, { eventsPerSecond: half, durationMs: profile.freshness.durationMs }),
    );
    const history = await phase('history through the API', () =>
      historical(target, { ...profile.historical, cacheDir: benchCache(local) }, costProbes),
    );
    const stored = await phase('stored data', () =>
      storedLoad(target, { ...profile.stored, cacheDir: benchCache(local) }),
    );
    const gets = await phase('GET latency', () =>
      getLatency(target, { ...profile.get, players: stored.players, country: stored.topCountry }),
    );
    const raw = await phase('raw Cassandra writes', () => rawWrites(target, profile.raw));

    return {
      profile: profile.name,
      startedAt: new Date(started).toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      machine,
      post,
      cost: costs,
      backlog,
      ingest,
      freshness: fresh,
      historical: history,
      stored,
      gets,
      raw: { ...raw, endToEndShare: ingest.maxSustainedEventsPerSecond / raw.eventsPerSecond },
      ...recorded,
    };
  });
}

export type BenchResult = Awaited<ReturnType<typeof runBenchmark>>;

/**
 * One phase alone, on the same fresh stack as the whole run, with the run's envelope (profile,
 * start, duration, machine, memory and quiesce records) around what it measured.
 */
async function runAlone<K extends string, T>(
  options: BenchOptions,
  profile: BenchProfile,
  phaseName: string,
  key: K,
  measure: (harness: Harness) => Promise<T>,
) {
  return withHarness(options, async (harness) => {
    const { local, phase, memoryMiB, quiescedMs } = harness;
    const machine = await describeMachine(local, options.nodes ?? 1);
    const started = Date.now();
    const measured = await phase(phaseName, () => measure(harness));
    return {
      profile: profile.name,
      startedAt: new Date(started).toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      machine,
      ...({ [key]: measured } as Record<K, T>),
      memoryMiB,
      quiescedMs,
    };
  });
}

/** The cost phase alone (`npm run bench -- --only cost`). */
export function runCostOnly(profile: BenchProfile, options: BenchOptions = {}) {
  return runAlone(options, profile, 'cost per event', 'cost', ({ target, costProbes }) =>
    cost(target, profile.cost, costProbes),
  );
}

export type CostOnlyResult = Awaited<ReturnType<typeof runCostOnly>>;

/** What Redis holds per batch (`npm run bench -- --only redis-memory`). */
export function runRedisMemoryOnly(profile: BenchProfile, options: BenchOptions = {}) {
  return runAlone(options, profile, 'Redis memory per batch', 'redisMemory', ({ target }) =>
    redisMemory(target, profile.redisMemory),
  );
}

/** The history phase's cost alone (`--only historical`). */
export function runHistoricalOnly(profile: BenchProfile, options: BenchOptions = {}) {
  return runAlone(
    options,
    profile,
    'history through the API',
    'historical',
    ({ target, local, costProbes }) =>
      historical(target, { ...profile.historical, cacheDir: benchCache(local) }, costProbes),
  );
}

/** The ingest ladder, then the freshness at half its sustained rate (`--only ingest`). */
export function runIngestOnly(profile: BenchProfile, options: BenchOptions = {}) {
  return runAlone(options, profile, 'ingest rate and freshness', 'ingest', async ({ target }) => {
    const ingest = await ingestRate(target, profile.ingest);
    const half = Math.max(10, Math.round(ingest.maxSustainedEventsPerSecond / 2));
    const fresh = await freshness(target, {
      eventsPerSecond: half,
      durationMs: profile.freshness.durationMs,
    });
    return { ingest, freshness: fresh };
  });
}

/** Processing cost as a function of the backlog, alone (`--only backlog`). */
export function runBacklogOnly(profile: BenchProfile, options: BenchOptions = {}) {
  return runAlone(options, profile, 'cost by backlog', 'backlog', ({ target, costProbes }) =>
    backlogCost(target, profile.backlog, costProbes),
  );
}

/**
 * The bulk import of the stored profile's file alone, on a warmed-up node, with what every
 * process spent on it (`--only bulk`).
 */
export function runBulkOnly(profile: BenchProfile, options: BenchOptions = {}) {
  return runAlone(options, profile, 'bulk import', 'bulk', async ({ target, local, costProbes }) =>
    bulkImport(
      target,
      {
        ...profile.stored,
        cacheDir: benchCache(local),
        warmUp: profile.cost,
        ticksPerSecond: await clockTicksPerSecond(),
      },
      costProbes,
    ),
  );
}

/** GET latency while live events are ingested (`--only reads-under-ingest`). */
export function runReadsUnderIngestOnly(profile: BenchProfile, options: BenchOptions = {}) {
  return runAlone(options, profile, 'reads under ingest', 'underIngest', ({ target }) =>
    readsUnderIngest(target, profile.underIngest),
  );
}

/** Where generated data files are kept between runs. */
function benchCache(local: LocalSettings): string {
  return path.join(local.dir, 'bench');
}

async function describeMachine(local: LocalSettings, nodes: number) {
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
    cassandra:
      nodes === 1
        ? local.cassandraVersion
        : `${local.cassandraVersion}, ${nodes} local nodes with RF ${nodes}`,
  };
}

/** The POST latency phase alone (`--only post-latency`): e.g. to compare settings back to back. */
export function runPostLatencyOnly(profile: BenchProfile, options: BenchOptions = {}) {
  return runAlone(options, profile, 'POST latency', 'post', ({ target }) =>
    postLatency(target, profile.post),
  );
}

/**
 * The data lifecycle with the stored profile's events (`--only lifecycle`): bulk import, a
 * rebuild under GETs, export and restore into a second service on an empty keyspace.
 */
export function runLifecycleOnly(
  profile: BenchProfile,
  options: BenchOptions = {},
  views?: readonly string[],
) {
  return runAlone(options, profile, 'data lifecycle', 'lifecycle', (harness) => {
    const restore = new RestoreService(harness);
    return lifecycle(harness.target, {
      ...profile.stored,
      cacheDir: benchCache(harness.local),
      getRate: profile.get.ratePerSecond,
      graceSeconds: profile.lifecycle.graceSeconds,
      getBeforeMs: profile.get.durationMs,
      ...(views ? { views } : {}),
      restore: () => restore.start(),
    }).finally(() => restore.stop());
  });
}
