import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { LocalCassandra } from '../../lib/cassandra-local.ts';
import type { Harness } from '../harness.ts';
import { LiveTraffic } from '../live-traffic.ts';
import { readEndpoints } from '../phases/get-latency.ts';
import { residentBytes } from '../rss.ts';
import { summarize } from '../stats.ts';
import type { SoakSample } from './sample.ts';

export interface SoakOptions {
  readonly minutes: number;
  readonly eventsPerSecond: number;
  readonly getsPerSecond: number;
  readonly sampleSeconds: number;
}

export const SOAK_DEFAULTS: Omit<SoakOptions, 'minutes'> = {
  eventsPerSecond: 1500,
  getsPerSecond: 100,
  sampleSeconds: 10,
};

const MIB = 1048576;

/**
 * Live ingest (batches of ten, stamped now) and reads mixed over the views, both at fixed rates
 * (sent when due, whether or not earlier ones were answered), for `minutes`; every
 * `sampleSeconds` one sample of the processes, the stores and the answers of that window.
 */
export async function soak(harness: Harness, options: SoakOptions): Promise<SoakSample[]> {
  const { target, local, services } = harness;
  const traffic = new LiveTraffic(Date.now() % 1_000_000, 20_000, target.runId);
  const players: string[] = [];
  const endpoints = readEndpoints(players, 'US');
  const redis = new Redis(target.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const node = new LocalCassandra(local, () => undefined);
  let window = { post: [] as number[], get: [] as number[], errors: 0, accepted: 0 };
  let accepted = 0;
  const timed = async (kind: 'post' | 'get', ok: number, send: () => Promise<number>) => {
    const started = performance.now();
    const status = await send().catch(() => 0);
    if (status !== ok) window.errors++;
    else window[kind].push(performance.now() - started);
    return status;
  };
  const postOne = () =>
    timed('post', 202, async () => {
      const events = traffic.batch();
      const status = (await target.client.post('/v1/batches', JSON.stringify(events))).status;
      if (status === 202) {
        accepted++;
        if (players.length < 5000) players.push(events[0]?.player_id ?? '');
      }
      return status;
    });
  let n = 0;
  const getOne = () => {
    const endpoint = endpoints[n % endpoints.length];
    const path = endpoint ? endpoint.paths(n) : '/v1/countries/starts?hours=1';
    n++;
    return timed('get', 200, async () => (await target.client.get(path)).status);
  };

  await redis.connect();
  const started = performance.now();
  const endAt = started + options.minutes * 60_000;
  const loops = [
    steady(options.eventsPerSecond / 10, endAt, postOne),
    steady(options.getsPerSecond, endAt, getOne),
  ];
  const samples: SoakSample[] = [];
  const heaps: number[] = [];
  try {
    while (performance.now() < endAt) {
      const due = started + (samples.length + 1) * options.sampleSeconds * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // One `nodetool info` a sample (each starts a JVM: more would load the machine measured);
      // the lowest heap of the last three stands for the heap right after a collection.
      heaps.push(await cassandraHeapMiB(node));
      const done = window;
      window = { post: [], get: [], errors: 0, accepted: 0 };
      const metrics = await target.client.get('/metrics').then(
        (r) => r.body,
        () => '',
      );
      const counts = await target.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
      const info = await redis.info('memory');
      const sample: SoakSample = {
        t: Math.round((performance.now() - started) / 1000),
        apiRssMiB: (residentBytes(services.get('api') ?? 0) ?? 0) / MIB,
        workerRssMiB: (residentBytes(services.get('worker') ?? 0) ?? 0) / MIB,
        apiLagMs: lagMs(metrics, 'api'),
        workerLagMs: lagMs(metrics, 'worker'),
        redisUsedMiB: Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0) / MIB,
        cassandraHeapMiB: lowest(heaps.slice(-3)),
        pendingCompactions: await pendingCompactions(target.cassandra),
        postP99Ms: summarize(done.post).p99 || 0,
        getP99Ms: summarize(done.get).p99 || 0,
        backlog: Object.values(counts).reduce((a, b) => a + b, 0),
        errors: done.errors,
        accepted,
      };
      samples.push(sample);
      target.say(
        `  ${sample.t} s: POST p99 ${sample.postP99Ms.toFixed(0)} ms, GET p99 ${sample.getP99Ms.toFixed(0)} ms, backlog ${sample.backlog}, RSS api ${sample.apiRssMiB.toFixed(0)} / worker ${sample.workerRssMiB.toFixed(0)} MiB, Redis ${sample.redisUsedMiB.toFixed(1)} MiB, errors ${sample.errors}`,
      );
    }
  } finally {
    await Promise.all(loops);
    redis.disconnect();
  }
  return samples;
}

/** Calls `send` `ratePerSecond` times a second until `endAt`, each when due (open loop). */
async function steady(ratePerSecond: number, endAt: number, send: () => Promise<unknown>) {
  const interval = 1000 / ratePerSecond;
  const inFlight = new Set<Promise<unknown>>();
  const start = performance.now();
  for (let i = 0; ; i++) {
    const due = start + i * interval;
    if (due >= endAt) break;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const p = send().finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}

/** prom-client's `nodejs_eventloop_lag_p99_seconds` of one process type, in ms. */
function lagMs(metrics: string, process: string): number {
  const line = new RegExp(
    `^nodejs_eventloop_lag_p99_seconds\\{[^}]*process="${process}"[^}]*\\} ([\\d.e+-]+)$`,
    'm',
  );
  return Number(line.exec(metrics)?.[1] ?? 0) * 1000;
}

function lowest(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? 0 : Math.min(...finite);
}

/** `nodetool info`'s "Heap Memory (MB): used / total". */
async function cassandraHeapMiB(node: LocalCassandra): Promise<number> {
  const out = await node.nodetool(['info']).catch(() => '');
  return Number(/^Heap Memory \(MB\)\s*:\s*([\d.]+)/m.exec(out)?.[1] ?? Infinity);
}

/** Compactions waiting to run, from the node's own thread-pool view (no JVM to start). */
async function pendingCompactions(client: Harness['target']['cassandra']): Promise<number> {
  const rows = await client
    .execute(
      "SELECT pending_tasks FROM system_views.thread_pools WHERE name = 'CompactionExecutor'",
    )
    .then(
      (r) => r.rows,
      () => [],
    );
  return Number(rows[0]?.get('pending_tasks') ?? 0);
}
