import { performance } from 'node:perf_hooks';
import { openPipelineWindow, type PipelineFigures } from './pipeline-figures.ts';
import type { CpuMeter } from './proc-cpu.ts';
import { cpuBetween } from './proc-cpu.ts';
import { isCompilerThread } from './jit-warm-up.ts';
import { threadsBetween, type ThreadMeter } from './proc-threads.ts';
import { clientRequests, countsBetween, requestsBetween, tableCounts } from './table-metrics.ts';
import type { BenchTarget } from './target.ts';

/** Where a phase reads the processes' CPU time and which Cassandra connections are theirs. */
export interface CostProbes {
  /** API, worker, Redis and Cassandra by name; an unknown pid reads as null. */
  readonly cpu: CpuMeter;
  /** The Cassandra node's threads (its pid, when it is the local one). */
  readonly cassandraThreads: ThreadMeter;
  /** Local ports of the API's and worker's open connections, asked at each snapshot. */
  readonly servicePorts: () => ReadonlySet<number>;
  /** How often the worker publishes its metrics to the API's /metrics (the bench sets it). */
  readonly metricsPublishIntervalMs: number;
}

/** What a window of work cost, every figure divided by the events it was given. */
export interface WindowCost {
  readonly events: number;
  readonly windowSeconds: number;
  /** null where the process's pid is unknown (a service on another host). */
  readonly cpuMsPerEvent: Record<string, number | null>;
  /** The known parts added up; the load generator is not among them. */
  readonly cpuMsPerEventSum: number;
  readonly loadGeneratorCpuMsPerEvent: number;
  /**
   * The Cassandra node's JIT compilers (C1, C2), ms per event: warm-up, not work — large right
   * after the node starts or a keyspace is made, near zero on a node that has run for a while.
   */
  readonly cassandraJitMsPerEvent: number;
  /** The known parts added up without that warm-up. */
  readonly cpuMsPerEventSumWithoutJit: number;
  /** The Cassandra node's CPU by thread group, ms per event, the largest eight. */
  readonly cassandraThreadsMsPerEvent: Record<string, number>;
  readonly writesPerEvent: Record<string, number>;
  readonly readsPerEvent: Record<string, number>;
  readonly statementsPerEvent: number;
  readonly cqlRequestsPerEvent: number;
  /** Service connections that closed in the window; non-zero makes CQL requests a lower bound. */
  readonly connectionsClosed: number;
  /** How the worker grouped the window's work (its micro-batches and rollups). */
  readonly pipeline: PipelineFigures;
}

/**
 * Opens a measuring window: CPU of every process, the Cassandra node's threads, its own statement
 * counts and the requests of the service's connections, read now and again when `close` is
 * called with the number of events the window's work was for.
 */
export async function openCostWindow(
  target: BenchTarget,
  probes: CostProbes,
): Promise<{ close(events: number): Promise<WindowCost> }> {
  const snapshot = async () => ({
    tables: await tableCounts(target.cassandra, target.keyspace),
    clients: await clientRequests(target.cassandra, probes.servicePorts()),
  });
  const pipeline = await openPipelineWindow(target.client, probes.metricsPublishIntervalMs);
  const before = await snapshot();
  const cpuBefore = probes.cpu.snapshot();
  const threadsBefore = probes.cassandraThreads.snapshot();
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  return {
    async close(events) {
      const windowSeconds = (performance.now() - started) / 1000;
      const self = process.cpuUsage(selfBefore);
      const cpu = cpuBetween(cpuBefore, probes.cpu.snapshot());
      const threads = threadsBetween(threadsBefore, probes.cassandraThreads.snapshot());
      const after = await snapshot();
      const per = (value: number) => (events === 0 ? NaN : value / events);
      const perEach = (counts: Record<string, number>) =>
        Object.fromEntries(Object.entries(counts).map(([name, v]) => [name, per(v)]));
      const cpuMsPerEvent = Object.fromEntries(
        Object.entries(cpu).map(([name, ms]) => [name, ms === null ? null : per(ms)]),
      );
      const writes = countsBetween(before.tables.writes, after.tables.writes);
      const reads = countsBetween(before.tables.reads, after.tables.reads);
      const statements = [...Object.values(writes), ...Object.values(reads)].reduce(
        (a, b) => a + b,
        0,
      );
      const cql = requestsBetween(before.clients, after.clients);
      const jit = per(
        threads.filter((t) => isCompilerThread(t.group)).reduce((a, t) => a + t.ms, 0),
      );
      const sum = Object.values(cpuMsPerEvent).reduce<number>((a, b) => a + (b ?? 0), 0);
      return {
        events,
        windowSeconds,
        cpuMsPerEvent,
        cpuMsPerEventSum: sum,
        cassandraJitMsPerEvent: jit,
        cpuMsPerEventSumWithoutJit: sum - jit,
        loadGeneratorCpuMsPerEvent: per((self.user + self.system) / 1000),
        cassandraThreadsMsPerEvent: Object.fromEntries(
          threads.slice(0, 8).map((t) => [t.group, per(t.ms)]),
        ),
        writesPerEvent: perEach(writes),
        readsPerEvent: perEach(reads),
        statementsPerEvent: per(statements),
        cqlRequestsPerEvent: per(cql.requests),
        connectionsClosed: cql.connectionsClosed,
        pipeline: await pipeline.close(),
      };
    },
  };
}
