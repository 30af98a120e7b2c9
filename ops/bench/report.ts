import { renderBacklog, renderCost, renderPipeline, renderThreads } from './cost-report.ts';
import type { HistoricalResult } from './phases/historical.ts';
import { each, ms, n, table } from './report-format.ts';
import type { BenchResult } from './run.ts';

/** The results as Markdown tables: what the command prints, and what docs/BENCHMARKS.md shows. */
export function renderReport(r: BenchResult): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`Benchmark (${r.profile}), ${r.startedAt}, ${n(r.durationSeconds)} s`);
  out.push(
    `Machine: ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; ${m.java}; Cassandra ${m.cassandra}`,
  );

  out.push(renderPost(r.post));
  out.push(renderCost(r.cost));
  out.push(renderBacklog(r.backlog));
  return renderRest(r, out);
}

/** The POST latency table. */
export function renderPost(post: BenchResult['post']): string {
  return [
    '\nPOST /v1/batches (batches of 10 live events, open loop)',
    table(
      ['req/s', 'events/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'failed'],
      post.map((p) => [
        n(p.requestsPerSecond),
        n(p.eventsPerSecond),
        ms(p.p50),
        ms(p.p90),
        ms(p.p99),
        ms(p.max),
        n(p.failed),
      ]),
    ),
  ].join('\n');
}

function renderRest(r: BenchResult, out: string[]): string {
  out.push(renderIngest(r));
  out.push(renderHistorical(r.historical));
  const s = r.stored;
  out.push(
    `\nStored data: ${n(s.accepted)} of ${n(s.events)} events loaded through the API (${n(s.lost)} lost) in ${n(s.seconds)} s = ${n(s.eventsPerSecond)} events/s (historical, out of order)`,
  );
  out.push(`\nGET latency with ${n(s.accepted)} events stored (open loop)`);
  out.push(
    table(
      ['endpoint', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'failed'],
      r.gets.map((g) => [
        g.endpoint,
        n(g.requestsPerSecond),
        ms(g.p50),
        ms(g.p90),
        ms(g.p99),
        ms(g.max),
        n(g.failed),
      ]),
    ),
  );

  out.push(
    `\nRaw Cassandra writes (same rows, same statements, no queue/read-back/rollup): ${n(r.raw.eventsPerSecond)} events/s (${n(r.raw.rowsPerSecond)} rows/s); end-to-end ÷ raw = ${(r.raw.endToEndShare * 100).toFixed(0)} %${r.raw.retriedWrites > 0 ? `; ${n(r.raw.retriedWrites)} writes resent after a timeout` : ''}`,
  );
  out.push('\nPeak resident memory (MiB)');
  out.push(
    table(
      ['phase', 'api', 'worker'],
      Object.entries(r.memoryMiB).map(([phase, peaks]) => [
        phase,
        n(peaks.api ?? NaN),
        n(peaks.worker ?? NaN),
      ]),
    ),
  );
  return out.join('\n');
}

/** The ingest ladder and the freshness at half the sustained rate. */
export function renderIngest(r: Pick<BenchResult, 'ingest' | 'freshness'>): string {
  const f = r.freshness;
  return [
    `\nEnd-to-end ingest (live traffic): highest sustained rate ${n(r.ingest.maxSustainedEventsPerSecond)} events/s`,
    table(
      [
        'offered ev/s',
        'accepted ev/s',
        'processed ev/s',
        'backlog at end',
        'drain ms',
        'sustained',
      ],
      r.ingest.steps.map((s) => [
        n(s.offeredEventsPerSecond),
        n(s.acceptedEventsPerSecond),
        n(s.processedEventsPerSecond),
        n(s.backlogAtEnd),
        n(s.drainMs),
        s.sustained ? 'yes' : 'no',
      ]),
    ),
    `\nFreshness at ${n(f.eventsPerSecond)} events/s (202 → visible in both views, ${n(f.count)} probes): p50 ${ms(f.p50)} ms, p99 ${ms(f.p99)} ms, max ${ms(f.max)} ms`,
  ].join('\n');
}

/** History through POST /v1/batches: rates, backlog and cost. */
export function renderHistorical(h: HistoricalResult): string {
  return [
    `\nHistory through the API (${h.file}: ${n(h.accepted)} events accepted, ${n(h.lost)} lost, closed-loop senders, batches of 10)`,
    table(
      [
        'accepted ev/s',
        'processed ev/s (end to end)',
        'drain after last POST',
        'backlog peak (jobs)',
      ],
      [
        [
          n(h.acceptedEventsPerSecond),
          n(h.processedEventsPerSecond),
          `${(h.drainMs / 1000).toFixed(1)} s`,
          n(h.backlogPeak),
        ],
      ],
    ),
    table(
      ['process', 'CPU ms/event'],
      [
        ...Object.entries(h.cpuMsPerEvent).map(([name, v]) => [name, each(v)]),
        ['sum', each(h.cpuMsPerEventSum)],
        ["sum without Cassandra's JIT compiler (warm-up)", each(h.cpuMsPerEventSumWithoutJit)],
        ['load generator (not in the sum)', each(h.loadGeneratorCpuMsPerEvent)],
      ],
    ),
    `Cassandra statements per event: ${each(h.statementsPerEvent)}; CQL requests per event: ${each(h.cqlRequestsPerEvent)}`,
    renderPipeline(h),
    renderThreads(h),
  ].join('\n');
}
