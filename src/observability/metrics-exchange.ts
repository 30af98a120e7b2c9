import os from 'node:os';
import type { Redis } from 'ioredis';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * Workers have no HTTP port of their own; the API's /metrics is where Prometheus looks. So each
 * worker publishes a snapshot of its registry every few seconds as one field of one Redis hash
 * (HSET), stamped with when it stops counting as live, and the API reads the hash whole (HGETALL)
 * on every scrape and merges the live snapshots with its own metrics: one command, whatever else
 * Redis holds (a key scan grew with every kept batch). Fields of workers that stopped publishing
 * are dropped by the reader once stale. Series of all workers are summed (label
 * `process="worker"`); a worker that restarts starts its counters from zero, which Prometheus
 * treats as a counter reset.
 */

type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

interface Snapshot {
  /** Epoch ms after which the snapshot is stale (three missed intervals). */
  readonly liveUntil: number;
  readonly metrics: MetricsJson;
}

export function snapshotsKey(queuePrefix: string): string {
  return `${queuePrefix}:metrics`;
}

export class MetricsPublisher {
  private timer: NodeJS.Timeout | undefined;
  private readonly key: string;
  private readonly field: string;

  private readonly intervalMs: number;

  constructor(
    private readonly redis: Pick<Redis, 'hset'>,
    private readonly registry: Registry,
    options: { queuePrefix: string; processName: string; intervalMs: number },
  ) {
    this.intervalMs = options.intervalMs;
    this.key = snapshotsKey(options.queuePrefix);
    this.field = `${options.processName}:${os.hostname()}:${process.pid}`;
  }

  start(): void {
    let inFlight = false;
    this.timer = setInterval(() => {
      // A Redis outage must not pile up snapshots waiting for the connection.
      if (inFlight) return;
      inFlight = true;
      this.publish()
        .catch(() => undefined)
        .finally(() => (inFlight = false));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Publishes now; the snapshot counts as live for three missed intervals (at least 5 s). */
  async publish(): Promise<void> {
    const metrics = await this.registry.getMetricsAsJSON();
    const snapshot: Snapshot = {
      liveUntil: Date.now() + Math.max(5000, this.intervalMs * 3),
      metrics,
    };
    await this.redis.hset(this.key, this.field, JSON.stringify(snapshot));
  }

  /** Stops publishing after one last snapshot, so the final counts are scraped too. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.publish().catch(() => undefined);
  }
}

type SnapshotReader = Pick<Redis, 'hgetall' | 'hdel'>;

/** The Prometheus text of `own` merged with every live worker snapshot. */
export async function mergedMetrics(
  own: Registry,
  redis: SnapshotReader,
  queuePrefix: string,
  now: () => number = Date.now,
): Promise<string> {
  const snapshots = await readSnapshots(redis, snapshotsKey(queuePrefix), now()).catch(() => []);
  if (snapshots.length === 0) return own.metrics();
  const merged = AggregatorRegistry.aggregate([await own.getMetricsAsJSON(), ...snapshots]);
  return merged.metrics();
}

/** The same merge in prom-client's JSON form (for GET /v1/pipeline). */
export async function mergedMetricsJson(
  own: Registry,
  redis: SnapshotReader,
  queuePrefix: string,
  now: () => number = Date.now,
): Promise<MetricsJson> {
  const snapshots = await readSnapshots(redis, snapshotsKey(queuePrefix), now()).catch(() => []);
  const mine = await own.getMetricsAsJSON();
  if (snapshots.length === 0) return mine;
  return AggregatorRegistry.aggregate([mine, ...snapshots]).getMetricsAsJSON();
}

async function readSnapshots(
  redis: SnapshotReader,
  key: string,
  now: number,
): Promise<MetricsJson[]> {
  const fields = await redis.hgetall(key);
  const live: MetricsJson[] = [];
  const stale: string[] = [];
  for (const [field, value] of Object.entries(fields)) {
    const snapshot = JSON.parse(value) as Snapshot;
    if (snapshot.liveUntil >= now) live.push(snapshot.metrics);
    else stale.push(field);
  }
  // Workers' clocks may differ from ours by a little; a snapshot stays live for seconds.
  if (stale.length > 0) await redis.hdel(key, ...stale).catch(() => undefined);
  return live;
}
