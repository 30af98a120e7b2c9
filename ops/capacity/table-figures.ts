import type { DataShape } from './dataset.ts';
import type { RollupFigures } from './rollup.ts';
import type { TableSchema } from './schema.ts';

/** The live traffic a table sees: rates in events per second, split as the data set splits. */
export interface Traffic {
  readonly eventsPerSecond: number;
  readonly startsPerSecond: number;
  readonly completedPerSecond: number;
  readonly shards: number;
  readonly rollup: RollupFigures;
  readonly shape: DataShape;
  readonly retentionDays: number;
}

/**
 * One table under live traffic, cluster-wide and counted once (before replication). Writes are
 * rows written, rewrites included; stored rows are what is left after rewrites, per day of data.
 */
export interface TableFigures {
  readonly schema: TableSchema;
  readonly writesPerSecond: number;
  /** Distinct partitions that take a write in one second. */
  readonly partitionsWrittenPerSecond: number;
  /** The busiest partition's row writes per second: every one of its RF replicas applies them. */
  readonly hottestWritesPerSecond: number;
  /** The busiest partition's reads per second by the write path (pairing, rollups). */
  readonly hottestReadsPerSecond: number;
  /** Partition reads per second by the write path, all partitions. */
  readonly partitionReadsPerSecond: number;
  /** The largest partition over its lifetime (everything written to it before its TTL). */
  readonly largestRows: number;
  readonly largestBytes: number;
  readonly rowsPerDay: number;
  readonly bytesPerDay: number;
}

export const DAY_SECONDS = 86_400;

/** The chance that a Poisson stream of this rate has at least one event in a second. */
export function activeShare(perSecond: number): number {
  return -Math.expm1(-perSecond);
}
