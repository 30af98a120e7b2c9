import os from 'node:os';
import type { Redis } from 'ioredis';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * Workers have no HTTP port of their own; the API's /metrics is where Prometheus looks. So each
 * worker publishes a snapshot of its registry to Redis every few seconds, under a key that expires
 * soon after the worker stops publishing, and the API merges the live snapshots with its own
 * metrics on every scrape. Series of all workers are summed (label `process="worker"`); a worker
 * that restarts starts its counters from zero, which Prometheus treats as a counter reset.
 */

type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

export function snapshotKeyPrefix(queuePrefix: string): string {
  return `${queuePrefix}:metrics:`;
}

export class MetricsPublisher {
  private timer: NodeJS.Timeout | undefined;
  private readonly key: string;

  private readonly intervalMs: number;

  constructor(
    private readonly redis: Pick<Redis, 'set'>,
    private readonly registry: Registry,
    options: { queuePrefix: string; processName: string; intervalMs: number },
  ) {
    this.intervalMs = options.intervalMs;
    this.key = `${snapshotKeyPrefix(options.queuePrefix)}${options.processName}:${os.hostname()}:${process.pid}`;
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

  /** Publishes now; the snapshot outlives three missed intervals, then disappears. */
  async publish(): Promise<void> {
    const json = await this.registry.getMetricsAsJSON();
    const ttlSeconds = Math.max(5, Math.ceil((this.intervalMs * 3) / 1000));
    await this.redis.set(this.key, JSON.stringify(json), 'EX', ttlSeconds);
  }

  /** Stops publishing after one last snapshot, so the final counts are scraped too. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.publish().catch(() => undefined);
  }
}

/** The Prometheus text of `own` merged with every live worker snapshot. */
export async function mergedMetrics(
  own: Registry,
  redis: Pick<Redis, 'scan' | 'mget'>,
  queuePrefix: string,
): Promise<string> {
  const snapshots = await readSnapshots(redis, snapshotKeyPrefix(queuePrefix)).catch(() => []);
  if (snapshots.length === 0) return own.metrics();
  const merged = AggregatorRegistry.aggregate([await own.getMetricsAsJSON(), ...snapshots]);
  return merged.metrics();
}

/** The same merge in prom-client's JSON form (for GET /v1/pipeline). */
export async function mergedMetricsJson(
  own: Registry,
  redis: Pick<Redis, 'scan' | 'mget'>,
  queuePrefix: string,
): Promise<MetricsJson> {
  const snapshots = await readSnapshots(redis, snapshotKeyPrefix(queuePrefix)).catch(() => []);
  const mine = await own.getMetricsAsJSON();
  if (snapshots.length === 0) return mine;
  return AggregatorRegistry.aggregate([mine, ...snapshots]).getMetricsAsJSON();
}

async function readSnapshots(
  redis: Pick<Redis, 'scan' | 'mget'>,
  prefix: string,
): Promise<MetricsJson[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 100);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as MetricsJson);
}
