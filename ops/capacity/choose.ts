import { SCHEMA, partitionBytes, rowBytes } from './schema.ts';

export interface PartitionLimits {
  /** Row writes per second one partition (its replica set) may take. */
  readonly writesPerSecond: number;
  /** Bytes one partition may reach. */
  readonly bytes: number;
}

/**
 * The fewest shards that keep the hottest (minute, shard) partition of start facts within the
 * limits: its writes (starts/s ÷ S) and its size at its largest (a minute of them). The fewest,
 * because the global tree above the seconds is rewritten by every shard's rollups: its hottest
 * partitions' rates, and the rollups' reads, grow with S.
 */
export function chooseShards(startsPerSecond: number, limits: PartitionLimits): number {
  const facts = SCHEMA.start_facts_by_shard;
  const minuteBytes = 60 * startsPerSecond * rowBytes(facts);
  const room = limits.bytes - partitionBytes(facts);
  return Math.max(
    1,
    Math.ceil(startsPerSecond / limits.writesPerSecond),
    Math.ceil(minuteBytes / room),
  );
}
