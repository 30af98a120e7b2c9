import type { WindowCost } from './cost-window.ts';
import type { BacklogStep } from './phases/backlog-cost.ts';
import type { CostResult } from './phases/cost.ts';
import { each, n, table } from './report-format.ts';

/** The cost-per-event phase: CPU time of each process and Cassandra's statements, per event. */
export function renderCost(c: CostResult): string {
  const out: string[] = [];
  out.push(
    `\nCost per event at ${n(c.offeredEventsPerSecond)} events/s (live traffic; ${n(c.events)} events accepted, ${n(c.failed)} refused; window ${c.windowSeconds.toFixed(1)} s including a ${n(c.drainMs)} ms drain)`,
  );
  out.push(
    renderCpu(c, [
      ["sum without Cassandra's JIT compiler (warm-up)", c.cpuMsPerEventSumWithoutJit],
      ['load generator (not in the sum)', c.loadGeneratorCpuMsPerEvent],
    ]),
    `Warm-up: ${(c.warmUp.ms / 1000).toFixed(0)} s of the same load, until Cassandra's JIT compilers used ${c.warmUp.compilerMsPerSecond.toFixed(0)} ms/s`,
    renderPipeline(c),
  );
  const tables = [...new Set([...Object.keys(c.writesPerEvent), ...Object.keys(c.readsPerEvent)])];
  out.push('\nCassandra statements per event, by table (its own local read/write counts)');
  out.push(
    table(
      ['table', 'writes/event', 'reads/event'],
      [
        ...tables
          .sort()
          .map((t) => [t, each(c.writesPerEvent[t] ?? 0), each(c.readsPerEvent[t] ?? 0)]),
        ['total statements/event', each(c.statementsPerEvent), ''],
      ],
    ),
  );
  out.push(
    `CQL requests received from the API and worker: ${each(c.cqlRequestsPerEvent)} per event${c.connectionsClosed > 0 ? ` (a lower bound: ${c.connectionsClosed} connection(s) closed in the window)` : ''}`,
  );
  out.push(renderThreads(c));
  return out.join('\n');
}

/** Processing cost per event as a function of the backlog the worker finds. */
export function renderBacklog(steps: readonly BacklogStep[]): string {
  return [
    '\nProcessing cost by backlog (batches of 10 live events posted into the paused queue; the window is the drain)',
    table(
      [
        'backlog (jobs)',
        'worker',
        'redis',
        'cassandra',
        'sum CPU ms/event',
        'without JIT',
        'statements/event',
        'events/micro-batch',
        'drain ms',
      ],
      steps.map((s) => [
        n(s.backlog),
        each(s.cpuMsPerEvent.worker),
        each(s.cpuMsPerEvent.redis),
        each(s.cpuMsPerEvent.cassandra),
        each(s.cpuMsPerEventSum),
        each(s.cpuMsPerEventSumWithoutJit),
        each(s.statementsPerEvent),
        s.pipeline.eventsPerMicroBatch.toFixed(0),
        n(s.drainMs),
      ]),
    ),
  ].join('\n');
}

/** A window's CPU ms per event by process, their sum, then the `after` rows. */
export function renderCpu(
  c: Pick<WindowCost, 'cpuMsPerEvent' | 'cpuMsPerEventSum'>,
  after: readonly (readonly [string, number | null])[],
): string {
  return table(
    ['process', 'CPU ms/event'],
    [
      ...Object.entries(c.cpuMsPerEvent).map(([name, v]) => [name, each(v)]),
      ['sum', each(c.cpuMsPerEventSum)],
      ...after.map(([name, v]) => [name, each(v)]),
    ],
  );
}

/** How the worker grouped the window's work. */
export function renderPipeline({ pipeline: p }: WindowCost): string {
  return `Worker: ${n(p.microBatches)} micro-batches of ${p.eventsPerMicroBatch.toFixed(0)} events on average; ${n(p.rollups)} rollups, each ${p.secondsPerRollup.toFixed(1)} seconds recounted and ${p.nodesPerRollup.toFixed(1)} tree nodes written`;
}

/** Where the Cassandra node's CPU went, by thread group (its largest eight). */
export function renderThreads(c: Pick<WindowCost, 'cassandraThreadsMsPerEvent'>): string {
  const groups = Object.entries(c.cassandraThreadsMsPerEvent);
  if (groups.length === 0) return '\nCassandra threads: not measured (not the local node)';
  return [
    '\nCassandra CPU by thread group (ms/event; Linux keeps 15 characters of a thread name)',
    table(
      ['thread group', 'CPU ms/event'],
      groups.map(([group, v]) => [group, each(v)]),
    ),
  ].join('\n');
}
