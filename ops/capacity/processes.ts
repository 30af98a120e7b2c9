import {
  CASSANDRA_MICROS,
  CPU_MS_PER_EVENT,
  POLICY,
  WORKER_MICROS_PER_NODE_SUMMED,
} from './measured.ts';
import type { RollupFigures } from './rollup.ts';
import type { TableFigures } from './table-figures.ts';

/**
 * Cores and processes from the measured CPU per event, plus what the sharded rollup adds that the
 * measurement (one rollup path for the whole service) did not have: S-fold rollups, each summing
 * S shards' seconds. Counting all rollup work as extra slightly double-counts at S = 1, which
 * errs on the side of more capacity.
 */

export interface ProcessInput {
  readonly eventsPerSecond: number;
  readonly rf: number;
  readonly coresPerNode: number;
  readonly rollup: RollupFigures;
  /** The rollups' tables (seconds, tree, by country) and the facts they read. */
  readonly rollupTables: readonly TableFigures[];
  readonly factReadsPerSecond: number;
}

export interface ProcessFigures {
  readonly apiCores: number;
  readonly workerCores: number;
  readonly workerRollupCores: number;
  readonly cassandraCores: number;
  readonly cassandraRollupCores: number;
  readonly redisCoresByCpuFigure: number;
  readonly apiProcesses: number;
  readonly workersNeeded: number;
  readonly nodesNeeded: number;
}

/** Processes of one core each (a Node process runs JavaScript on one), at POLICY.cpuUtilisation. */
export function processesFor(cores: number): number {
  return Math.max(1, Math.ceil(cores / POLICY.cpuUtilisation));
}

/** Replicas a LOCAL_QUORUM read asks: a majority of RF (one for the data, the rest digests). */
export function quorum(rf: number): number {
  return Math.floor(rf / 2) + 1;
}

export function processFigures(input: ProcessInput): ProcessFigures {
  const e = input.eventsPerSecond;
  const r = input.rollup;
  const nodesSummedPerSecond = r.perSecond * (r.secondsRowsRead + r.childRowsRead);
  const workerRollupCores = (nodesSummedPerSecond * WORKER_MICROS_PER_NODE_SUMMED) / 1e6;
  const workerCores = (e * CPU_MS_PER_EVENT.worker) / 1000 + workerRollupCores;
  const apiCores = (e * CPU_MS_PER_EVENT.api) / 1000;

  // The measured per-event figure is one node at RF 1: every replica does that work again.
  const rollupRowWrites = input.rollupTables.reduce((sum, t) => sum + t.writesPerSecond, 0);
  const rollupReads =
    input.rollupTables.reduce((sum, t) => sum + t.partitionReadsPerSecond, 0) +
    input.factReadsPerSecond;
  const cassandraRollupCores =
    (rollupRowWrites * input.rf * CASSANDRA_MICROS.rowInBatch +
      rollupReads * quorum(input.rf) * CASSANDRA_MICROS.partitionInRead) /
    1e6;
  const cassandraCores = (e * CPU_MS_PER_EVENT.cassandra * input.rf) / 1000 + cassandraRollupCores;
  return {
    apiCores,
    workerCores,
    workerRollupCores,
    cassandraCores,
    cassandraRollupCores,
    redisCoresByCpuFigure: (e * CPU_MS_PER_EVENT.redis) / 1000,
    apiProcesses: processesFor(apiCores),
    workersNeeded: processesFor(workerCores),
    nodesNeeded: Math.max(
      input.rf,
      Math.ceil(cassandraCores / (input.coresPerNode * POLICY.cpuUtilisation)),
    ),
  };
}
