import { Counter, Histogram, type Registry } from 'prom-client';
import { dirtyCount } from './dirty-seconds.ts';
import { propagate, type PropagateDeps } from './propagate.ts';
import { RollupScheduler } from './rollup-scheduler.ts';

/** The worker's rollup of start counts: propagation behind a coalescing scheduler, measured. */
export function createStartCountRollup(
  deps: PropagateDeps,
  registry: Registry,
  timing: ConstructorParameters<typeof RollupScheduler>[1],
): RollupScheduler {
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
  return new RollupScheduler(async (dirty) => {
    const stop = duration.startTimer();
    seconds.inc(dirtyCount(dirty));
    nodes.inc(await propagate(dirty, deps));
    stop();
  }, timing);
}
