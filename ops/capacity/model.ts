import { chooseShards } from './choose.ts';
import { DATA_SHAPE } from './dataset.ts';
import { factTables } from './fact-tables.ts';
import { COMPRESSION_RATIO, POLICY, SETTINGS } from './measured.ts';
import { processFigures, type ProcessFigures } from './processes.ts';
import { redisFigures, type RedisFigures } from './redis.ts';
import { rollupFigures, type RollupFigures } from './rollup.ts';
import type { TableFigures, Traffic } from './table-figures.ts';
import { treeTables } from './tree-tables.ts';

/** What `npm run capacity` is asked; undefined means "choose it from the model". */
export interface CapacityInput {
  readonly eventsPerSecond: number;
  readonly nodes?: number | undefined;
  readonly rf: number;
  readonly shards?: number | undefined;
  readonly queues?: number | undefined;
  readonly workers?: number | undefined;
  readonly coresPerNode: number;
  readonly partitionWritesPerSecond: number;
  readonly redisMemoryBytes: number;
  readonly dataBytesPerNode: number;
  readonly keepDoneSeconds: number;
}

export const DEFAULT_INPUT = {
  rf: 3,
  coresPerNode: POLICY.coresPerNode,
  partitionWritesPerSecond: POLICY.partitionWritesPerSecond,
  redisMemoryBytes: POLICY.redisMemoryBytes,
  dataBytesPerNode: POLICY.dataBytesPerNode,
  keepDoneSeconds: SETTINGS.keepDoneSeconds,
} as const;

/** A value the command was given, or chose; `model` is what the model would choose. */
export interface Choice {
  readonly value: number;
  readonly chosen: boolean;
  readonly model: number;
}

export interface CapacityModel {
  readonly input: CapacityInput;
  readonly traffic: Traffic;
  readonly shards: Choice;
  readonly workers: Choice;
  readonly nodes: Choice;
  /** Nodes the measured CPU implies, and nodes a year of data at POLICY density implies. */
  readonly nodesForCpu: number;
  readonly nodesForData: number;
  /** Bytes on disk, all replicas, once the retention is full. */
  readonly steadyStateBytes: number;
  readonly tables: readonly TableFigures[];
  readonly rollup: RollupFigures;
  readonly redis: RedisFigures;
  readonly processes: ProcessFigures;
}

const given = (value: number | undefined, model: number): Choice => ({
  value: value ?? model,
  chosen: value === undefined,
  model,
});

export function capacityModel(input: CapacityInput): CapacityModel {
  const e = input.eventsPerSecond;
  const startsPerSecond = e * DATA_SHAPE.startsPerEvent;
  const limits = { writesPerSecond: input.partitionWritesPerSecond, bytes: POLICY.partitionBytes };
  const shards = given(input.shards, chooseShards(startsPerSecond, limits));
  const rollup = rollupFigures(startsPerSecond, shards.value);
  const traffic: Traffic = {
    eventsPerSecond: e,
    startsPerSecond,
    completedPerSecond: e * DATA_SHAPE.completedPerEvent,
    shards: shards.value,
    rollup,
    shape: DATA_SHAPE,
    retentionDays: SETTINGS.retentionDays,
  };
  const facts = factTables(traffic);
  const tree = treeTables(traffic);
  const processes = processFigures({
    eventsPerSecond: e,
    rf: input.rf,
    coresPerNode: input.coresPerNode,
    rollup,
    rollupTables: tree,
    factReadsPerSecond: rollup.perSecond,
  });
  const redis = redisFigures({
    eventsPerSecond: e,
    eventsPerBatch: DATA_SHAPE.eventsPerBatch,
    rollupJobsPerSecond: rollup.perSecond,
    queues: input.queues,
    keepDoneSeconds: input.keepDoneSeconds,
    memoryBytesPerPrimary: input.redisMemoryBytes,
  });
  const tables = [...facts, ...tree];
  const steadyStateBytes = onDisk(
    tables.reduce((sum, t) => sum + t.bytesPerDay, 0) * SETTINGS.retentionDays * input.rf,
  );
  const nodesForData = Math.ceil(steadyStateBytes / input.dataBytesPerNode);
  return {
    input,
    traffic,
    shards,
    workers: given(input.workers, processes.workersNeeded),
    nodes: given(input.nodes, Math.max(processes.nodesNeeded, nodesForData)),
    nodesForCpu: processes.nodesNeeded,
    nodesForData,
    steadyStateBytes,
    tables,
    rollup,
    redis,
    processes,
  };
}

/** A table's figures on one node: N nodes share partitions evenly, each row stored RF times. */
export function perNode(model: CapacityModel, figure: number): number {
  return (figure * model.input.rf) / model.nodes.value;
}

/** Bytes on disk for bytes of rows: Cassandra compresses sstables (COMPRESSION_RATIO). */
export function onDisk(rowBytes: number): number {
  return rowBytes / COMPRESSION_RATIO;
}

/** Whether a table's hottest partition stays within the write rate and size limits. */
export function withinLimits(model: CapacityModel, table: TableFigures): boolean {
  return (
    table.hottestWritesPerSecond <= model.input.partitionWritesPerSecond &&
    table.largestBytes <= POLICY.partitionBytes
  );
}
