import type { UnderIngestFigures } from './phases/reads-under-ingest.ts';
import { table } from './report-format.ts';

/** GETs and POSTs side by side: the read path's latency while the write path works. */
export function renderUnderIngest(u: UnderIngestFigures): string {
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
  const row = (name: string, l: UnderIngestFigures['get']) => [
    name,
    l.count.toLocaleString('en-US'),
    ms(l.p50),
    ms(l.p90),
    ms(l.p99),
    ms(l.max),
    String(l.failed),
  ];
  return [
    `\n${u.getsPerSecond} GET/s (the eight read endpoints in turn) while ${u.eventsPerSecond.toLocaleString('en-US')} events/s are ingested (batches of 10), both open loop`,
    table(
      ['requests', 'count', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'failed'],
      [row('GET', u.get), row('POST /v1/batches', u.post)],
    ),
  ].join('\n');
}
