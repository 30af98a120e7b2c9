import type { LifecycleFigures } from './phases/lifecycle.ts';
import { table } from './report-format.ts';

const s = (v: number) => `${v.toFixed(0)} s`;
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '—');

/** The lifecycle phase's figures as the tables docs/BENCHMARKS.md shows. */
export function renderLifecycle(l: LifecycleFigures): string {
  const events = l.events.toLocaleString('en-US');
  return [
    `\nData lifecycle with ${events} events stored (each step the ops command, timed to its exit)`,
    table(
      ['step', 'time', 'events/s'],
      [
        ['bulk import (`load --bulk --wait`)', s(l.bulkSeconds), rate(l.events, l.bulkSeconds)],
        ...l.rebuilds.map((r) => [`rebuild ${r.view}`, s(r.seconds), rate(l.events, r.seconds)]),
        [
          `export to .bz2 (${(l.exportBytes / 2 ** 20).toFixed(1)} MiB)`,
          s(l.exportSeconds),
          rate(l.events, l.exportSeconds),
        ],
        ['restore into an empty keyspace', s(l.restoreSeconds), rate(l.events, l.restoreSeconds)],
      ],
    ),
    table(
      [`GET, mixed, ${l.getRate} req/s`, 'requests', 'p50', 'p99', 'max', 'failed'],
      [
        ['before the rebuilds', ...row(l.getBefore), '0'],
        ...l.rebuilds.map((r) => [
          `during the rebuild of ${r.view}`,
          ...row(r.gets),
          String(r.gets.failed),
        ]),
      ],
    ),
    `Restored copy against the source: ${l.compared} views compared, ${l.differing} differing.`,
  ].join('\n');
}

function rate(events: number, seconds: number): string {
  return Math.round(events / seconds).toLocaleString('en-US');
}

function row(x: { count: number; p50: number; p99: number; max: number }): string[] {
  return [String(x.count), ms(x.p50), ms(x.p99), ms(x.max)];
}
