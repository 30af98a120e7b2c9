import type { Queue } from 'bullmq';
import type { CassandraClient } from '../../src/storage/cassandra-client.ts';
import { queueDrained } from '../lib/queue-drained.ts';
import type { BenchClient } from './http-client.ts';
import type { RssSampler } from './rss.ts';

/** What every phase works against: the running API, its queue, the store, and the RSS sampler. */
export interface BenchTarget {
  readonly client: BenchClient;
  readonly queue: Pick<Queue, 'getJobCounts' | 'getFailed' | 'pause' | 'resume'>;
  readonly redisUrl: string;
  readonly cassandra: CassandraClient;
  readonly keyspace: string;
  readonly rss: RssSampler;
  /** Distinguishes this run's sessions and players from any other run's. */
  readonly runId: string;
  readonly say: (line: string) => void;
}

/** Waits until no batch job waits or runs; resolves to how long that took, in ms. */
export function drained(target: BenchTarget, timeoutMs = 600_000): Promise<number> {
  return queueDrained(target.queue, timeoutMs);
}
