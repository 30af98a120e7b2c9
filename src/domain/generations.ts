/**
 * Generations of a read model (docs/DECISIONS.md, "Rebuilding a read model"). A rebuild derives a
 * view again from the facts into a new generation beside the live one; reads follow `read`,
 * workers write every generation in `write` — two only while a rebuild runs. A generation lives in
 * one of two tables, by its parity: even ones in the migrations' table, odd ones in its `_alt`
 * twin, so the old generation's table is emptied (not dropped) and the next rebuild reuses it.
 */

/** The read models a rebuild can derive again. */
export const REBUILDABLE_VIEWS = ['completed-sessions', 'start-counts'] as const;
export type RebuildableView = (typeof REBUILDABLE_VIEWS)[number];

export interface Generations {
  /** The generation reads use. */
  readonly read: number;
  /** The generations every write goes to: `read` alone, or it and a rebuild's target. */
  readonly write: readonly number[];
}

/** A keyspace that never ran a rebuild: generation 0 everywhere. */
export const FIRST_GENERATIONS: Generations = { read: 0, write: [0] };

/** A stored generation setting that is not one (hand-edited, or from a newer version). */
export class BadGenerationsError extends Error {
  override readonly name = 'BadGenerationsError';
}

/** The stored form (`keyspace_settings`), e.g. `{"read":0,"write":[0,1]}`; none is FIRST_GENERATIONS. */
export function parseGenerations(text: string | undefined): Generations {
  if (text === undefined) return FIRST_GENERATIONS;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadGenerationsError(`generation setting ${text} is not JSON`);
  }
  const { read, write } = (value ?? {}) as { read?: unknown; write?: unknown };
  const generation = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  if (
    !generation(read) ||
    !Array.isArray(write) ||
    write.length < 1 ||
    write.length > 2 ||
    !write.every(generation) ||
    new Set(write.map((g: number) => g % 2)).size !== write.length
  )
    throw new BadGenerationsError(`generation setting ${text} is not {read, write: [1 or 2]}`);
  return { read, write };
}

export function formatGenerations(generations: Generations): string {
  return JSON.stringify({ read: generations.read, write: generations.write });
}

/** The table a generation of a view lives in. */
export function tableOf(baseTable: string, generation: number): string {
  return generation % 2 === 0 ? baseTable : `${baseTable}_alt`;
}

/** The other of the two tables: where a rebuild of the generation in `baseTable`'s slot goes. */
export function nextGeneration(generations: Generations): number {
  return generations.read + 1;
}

const RING_FIRST = -(2n ** 63n);
const RING_SIZE = 2n ** 64n;

/**
 * How far through the Murmur3 ring a scan at this token is, 0 to 1. Partition keys hash evenly over
 * the ring, so this is the share of the facts already read: the progress bar's measure.
 */
export function ringFraction(token: string): number {
  if (!/^-?\d+$/.test(token)) return 1; // the scan's end marker
  const position = BigInt(token) - RING_FIRST;
  return Number((position * 1_000_000n) / RING_SIZE) / 1_000_000;
}
