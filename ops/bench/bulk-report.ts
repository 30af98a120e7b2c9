import type { BulkImportFigures } from './phases/bulk-import.ts';
import { renderCpu, renderPipeline, renderThreads } from './cost-report.ts';
import { each } from './report-format.ts';

/** The bulk phase's figures: the time, and what every process spent per event on the way. */
export function renderBulk(b: BulkImportFigures): string {
  const events = b.events.toLocaleString('en-US');
  return [
    `\nBulk import of ${events} events (\`load --bulk --rebase-to-now --wait\`, timed to its exit): ${b.seconds.toFixed(1)} s = ${Math.round(b.eventsPerSecond).toLocaleString('en-US')} events/s`,
    `Warm-up first: ${(b.warmUp.ms / 1000).toFixed(0)} s of live traffic, until Cassandra's JIT compilers used ${b.warmUp.compilerMsPerSecond.toFixed(0)} ms/s, then a bulk import of ${b.warmUpEvents.toLocaleString('en-US')} other events`,
    renderCpu(b, [
      ["… of it Cassandra's JIT compiler", b.cassandraJitMsPerEvent],
      ['the loader (not in the sum)', b.loaderCpuMsPerEvent],
    ]),
    renderPipeline(b),
    `Cassandra statements per event: ${each(b.statementsPerEvent)}; CQL requests per event: ${each(b.cqlRequestsPerEvent)}`,
    renderThreads(b),
  ].join('\n');
}
