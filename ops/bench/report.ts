import type { WindowCost } from './cost-window.ts';
import type { BacklogStep } from './phases/backlog-cost.ts';
import type { CostResult } from './phases/cost.ts';
import type { HistoricalResult } from './phases/historical.ts';
import type { RedisMemoryResult } from './phases/redis-memory.ts';
import type { BenchResult } from './run.ts';

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
const n = (v: number) => Math.round(v).toLocaleString('en-US');
// Per-event costs are fractions of a millisecond or of a statement; null is a process not seen.
export const each = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(3);

/** A Markdown table whose columns line up in a terminal too. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

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

const RATES = [1000, 2500, 5000];
const HOUR_S = 3600;
const DAY_S = 86_400;
const size = (bytes: number) =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** What Redis holds per batch, and the sizing table README's Redis capacity section shows. */
export function renderRedisMemory(r: RedisMemoryResult): string {
  const out: string[] = [];
  out.push(
    `\nRedis per batch (INFO used_memory, queue drained; ${n(r.batches)} done batches of ${r.eventsPerBatch} events)`,
  );
  out.push(
    table(
      ['what', 'bytes'],
      [
        ['done batch, record, with Idempotency-Key', n(r.doneBytesPerBatch.keyed)],
        ['done batch, record, without', n(r.doneBytesPerBatch.unkeyed)],
        ['done batch, whole completed job kept (before)', n(r.keptJobBytesPerBatch)],
        ['waiting batch (its job)', n(r.waitingBytesPerBatch)],
        ['waiting event', n(r.waitingBytesPerEvent)],
      ],
    ),
  );
  const done = Math.max(r.doneBytesPerBatch.keyed, r.doneBytesPerBatch.unkeyed);
  const batchesPerSecond = (rate: number) => rate / r.eventsPerBatch;
  out.push(
    `\nSizing (batches of ${r.eventsPerBatch}; done records at the keyed figure; backlog = events waiting while workers cannot write)`,
  );
  out.push(
    table(
      [
        'events/s',
        'done records, 1 h window',
        'done records, 1 day window',
        'backlog of 1 h',
        'backlog of 1 day',
      ],
      RATES.map((rate) => [
        n(rate),
        size(batchesPerSecond(rate) * HOUR_S * done),
        size(batchesPerSecond(rate) * DAY_S * done),
        size(rate * HOUR_S * r.waitingBytesPerEvent),
        size(rate * DAY_S * r.waitingBytesPerEvent),
      ]),
    ),
  );
  return out.join('\n');
}
