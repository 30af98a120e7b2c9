import { LEVELS } from '../../src/domain/time-tree.ts';
import type { StartFactPartition } from '../../src/storage/start-fact-scan.ts';

/**
 * The pure side of a rebuild's check of read model 1 (./count-pages.ts, ./count-hours.ts): what a
 * page's partitions mean, and how stored counts are compared with what the facts imply.
 */

/** Whole minutes one read of the facts or of the seconds asks for (`minute IN …`). */
export const MINUTES_PER_READ = 50;

/** The minutes of a page's partitions, by shard, in groups of at most MINUTES_PER_READ. */
export function minuteReads(
  partitions: readonly StartFactPartition[],
): { shard: number; minutes: number[] }[] {
  const byShard = new Map<number, Set<number>>();
  for (const { shard, minute } of partitions) {
    let minutes = byShard.get(shard);
    if (!minutes) byShard.set(shard, (minutes = new Set()));
    minutes.add(minute);
  }
  const reads: { shard: number; minutes: number[] }[] = [];
  for (const [shard, set] of byShard) {
    const minutes = [...set].sort((a, b) => a - b);
    for (let i = 0; i < minutes.length; i += MINUTES_PER_READ)
      reads.push({ shard, minutes: minutes.slice(i, i + MINUTES_PER_READ) });
  }
  return reads;
}

/**
 * Whether two count vectors say the same: the same starts for every country. A zero and a country
 * missing are the same (a vector keeps the zeros of countries whose starts all went).
 */
export function sameCounts(
  a: ReadonlyMap<string, number> | undefined,
  b: ReadonlyMap<string, number> | undefined,
): boolean {
  const countries = new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])]);
  for (const country of countries)
    if ((a?.get(country) ?? 0) !== (b?.get(country) ?? 0)) return false;
  return true;
}

/** A vector as a line of a report, e.g. `{FI: 2, SE: 1}` (zeros left out). */
export function describeCounts(counts: ReadonlyMap<string, number> | undefined): string {
  const entries = [...(counts ?? new Map<string, number>())]
    .filter(([, n]) => n !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([c, n]) => `${c}: ${n}`).join(', ')}}`;
}

/** A count as stored or as implied, with the version it was (or would be) written at. */
export interface Versioned {
  readonly counts: ReadonlyMap<string, number>;
  readonly version: number;
}

/**
 * Whether a stored count is wrong given what was read of its facts or children: its counts differ,
 * and it is not a later write than that read (a version larger than the one implied: a worker
 * counted more facts since, and its write wins anyway). Missing on either side is all zeros; a
 * count where the read found nothing is wrong whatever its version.
 */
export function isWrong(want: Versioned | undefined, have: Versioned | undefined): boolean {
  if (sameCounts(want?.counts, have?.counts)) return false;
  return !(want && have && have.version > want.version);
}

/**
 * The keys of `expected` ∪ `stored` whose stored count is wrong (isWrong), one line each, naming
 * what `label` says of the key. Keys `ignore` says are not checked (e.g. at the retention's edge).
 */
export function countDifferences<K>(
  expected: ReadonlyMap<K, Versioned>,
  stored: ReadonlyMap<K, Versioned>,
  label: (key: K) => string,
  ignore: (key: K) => boolean = () => false,
): string[] {
  const lines: string[] = [];
  for (const key of new Set([...expected.keys(), ...stored.keys()])) {
    if (ignore(key)) continue;
    const want = expected.get(key);
    const have = stored.get(key);
    if (isWrong(want, have))
      lines.push(
        `${label(key)}: stored ${describeCounts(have?.counts)}, expected ${describeCounts(want?.counts)}`,
      );
  }
  return lines;
}

/** A node or second as a report names it, e.g. `hour 2026-12-04T10:00:00.000Z`. */
export function describeNode(level: number, start: number): string {
  return `${LEVELS[level]?.name ?? `level ${level}`} ${new Date(start).toISOString()}`;
}

/**
 * The hours whose row of `country` is wrong given the hour nodes (isWrong, the node's count of the
 * country against the row's): `nodes` the hour nodes of a stretch of time, `rows` the country's
 * rows there, each with its version. A row is written with its hour node's version.
 */
export function hourRowDifferences(
  country: string,
  nodes: ReadonlyMap<number, Versioned>,
  rows: ReadonlyMap<number, { readonly starts: number; readonly version: number }>,
): number[] {
  const hours = new Set([...rows.keys()]);
  for (const [hour, node] of nodes) if (node.counts.has(country)) hours.add(hour);
  const asCount = (starts: number, version: number): Versioned => ({
    counts: new Map([[country, starts]]),
    version,
  });
  return [...hours]
    .filter((hour) => {
      const node = nodes.get(hour);
      const row = rows.get(hour);
      return isWrong(
        node && asCount(node.counts.get(country) ?? 0, node.version),
        row && asCount(row.starts, row.version),
      );
    })
    .sort((a, b) => a - b);
}
