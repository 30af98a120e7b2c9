import { performance } from 'node:perf_hooks';
import { LiveTraffic } from '../live-traffic.ts';
import { openLoop } from '../open-loop.ts';
import { cpuBetween, type CpuMeter } from '../proc-cpu.ts';
import { clientRequests, countsBetween, requestsBetween, tableCounts } from '../table-metrics.ts';
import { drained, type BenchTarget } from '../target.ts';

/** Where the phase reads the processes' CPU time and which Cassandra connections are theirs. */
export interface CostProbes {
  /** API, worker, Redis and Cassandra by name; an unknown pid reads as null. */
  readonly cpu: CpuMeter;
  /** Local ports of the API's and worker's open connections, asked at each snapshot. */
  readonly servicePorts: () => ReadonlySet<number>;
}

export interface CostResult {
  readonly offeredEventsPerSecond: number;
  /** Events accepted (202) in the window: the denominator of every figure. */
  readonly events: number;
  readonly failed: number;
  /** Sending plus draining: all the work those events caused. */
  readonly windowSeconds: number;
  readonly drainMs: number;
  /** null where the process's pid is unknown (a service on another host). */
  readonly cpuMsPerEvent: Record<string, number | null>;
  /** The known parts added up; the load generator is not among them. */
  readonly cpuMsPerEventSum: number;
  readonly loadGeneratorCpuMsPerEvent: number;
  readonly writesPerEvent: Record<string, number>;
  readonly readsPerEvent: Record<string, number>;
  readonly statementsPerEvent: number;
  readonly cqlRequestsPerEvent: number;
  /** Service connections that closed in the window; non-zero makes CQL requests a lower bound. */
  readonly connectionsClosed: number;
}

/**
 * The cost of an event: live traffic at a fixed rate well inside what the stack sustains, after
 * an unmeasured warm-up; CPU time of every process and Cassandra's own statement counts, read
 * before the first batch and again once the queue has drained, so the window holds all the work
 * those events caused and nothing of the warm-up's. The rate is fixed, not the highest one, so
 * that runs on different code compare like with like.
 */
export async function cost(
  target: BenchTarget,
  options: { ratePerSecond: number; durationMs: number; warmupMs: number },
  probes: CostProbes,
): Promise<CostResult> {
  const traffic = new LiveTraffic(4, 20_000, `${target.runId}-cost`);
  const load = (durationMs: number) =>
    openLoop({
      ratePerSecond: options.ratePerSecond / 10,
      durationMs,
      send: async () =>
        (await target.client.post('/v1/batches', JSON.stringify(traffic.batch()))).status === 202,
    });
  target.say(`  warm-up at ${options.ratePerSecond} events/s for ${options.warmupMs / 1000} s`);
  await load(options.warmupMs);
  await drained(target);

  const snapshot = async () => {
    const tables = await tableCounts(target.cassandra, target.keyspace);
    const clients = await clientRequests(target.cassandra, probes.servicePorts());
    return { tables, clients };
  };
  const before = await snapshot();
  const cpuBefore = probes.cpu.snapshot();
  const selfBefore = process.cpuUsage();
  const started = performance.now();

  target.say(`  ${options.ratePerSecond} events/s for ${options.durationMs / 1000} s, then drain`);
  const result = await load(options.durationMs);
  const drainMs = await drained(target);
  const windowSeconds = (performance.now() - started) / 1000;
  const self = process.cpuUsage(selfBefore);
  const cpu = cpuBetween(cpuBefore, probes.cpu.snapshot());
  const after = await snapshot();

  const events = result.latencies.length * 10;
  const per = (value: number) => (events === 0 ? NaN : value / events);
  const perEach = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).map(([name, v]) => [name, per(v)]));
  const cpuMsPerEvent = Object.fromEntries(
    Object.entries(cpu).map(([name, ms]) => [name, ms === null ? null : per(ms)]),
  );
  const writes = countsBetween(before.tables.writes, after.tables.writes);
  const reads = countsBetween(before.tables.reads, after.tables.reads);
  const statements = [...Object.values(writes), ...Object.values(reads)].reduce((a, b) => a + b, 0);
  const cql = requestsBetween(before.clients, after.clients);
  return {
    offeredEventsPerSecond: options.ratePerSecond,
    events,
    failed: result.failed,
    windowSeconds,
    drainMs,
    cpuMsPerEvent,
    cpuMsPerEventSum: Object.values(cpuMsPerEvent).reduce<number>((a, b) => a + (b ?? 0), 0),
    loadGeneratorCpuMsPerEvent: per((self.user + self.system) / 1000),
    writesPerEvent: perEach(writes),
    readsPerEvent: perEach(reads),
    statementsPerEvent: per(statements),
    cqlRequestsPerEvent: per(cql.requests),
    connectionsClosed: cql.connectionsClosed,
  };
}
