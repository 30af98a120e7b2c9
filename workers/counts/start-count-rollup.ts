import { Counter, Histogram, type Registry } from 'prom-client';
import { dirtyCount, type DirtyShards } from './dirty-seconds.ts';
import { propagate, type PropagateDeps } from './propagate.ts';

/** The worker's rollup of start counts: propagation, measured. */
export function createStartCountRollup(
  deps: PropagateDeps,
  registry: Registry,
): (dirty: DirtyShards) => Promise<void> {
  const duration = new Histogram({
    name: 'rollup_duration_seconds',
    help: 'Time to recount changed seconds and recompute the time tree above them',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const seconds = new Counter({
    name: 'rollup_seconds_total',
    help: 'Changed seconds recounted (several jobs touching one second count once per rollup)',
    registers: [registry],
  });
  const nodes = new Counter({
    name: 'rollup_nodes_written_total',
    help: 'Time-tree nodes written by rollups',
    registers: [registry],
  });
  return async (dirty) => {
    const stop = duration.startTimer();
    seconds.inc(dirtyCount(dirty));
    nodes.inc(await propagate(dirty, deps));
    stop();
  };
}
