import { LEVELS, MINUTE_LEVEL, partitionOf } from '../../src/domain/time-tree.ts';
import { ROLLUP_INTERVAL_MS } from '../../workers/tuning.ts';

/** A level of the global tree above the seconds, as src/domain/time-tree.ts lays it out. */
export interface TreeLevel {
  readonly name: string;
  readonly spanSeconds: number;
  /** The level group whose partitions hold it, and the length of that group's blocks. */
  readonly group: number;
  readonly blockSeconds: number;
  /** Nodes of the level below that make one of its nodes (a minute: 60 seconds). */
  readonly branching: number;
}

// A block is the first multiple of the span at which partitionOf starts a new block.
function blockMs(level: number, spanMs: number): number {
  for (let k = 1; k <= 100_000; k++)
    if (partitionOf({ level, start: k * spanMs }).block === k * spanMs) return k * spanMs;
  throw new RangeError(`no block found for level ${level}`);
}

export const TREE_LEVELS: readonly TreeLevel[] = LEVELS.slice(MINUTE_LEVEL).map((level, i) => {
  const index = MINUTE_LEVEL + i;
  return {
    name: level.name,
    spanSeconds: level.spanMs / 1000,
    group: partitionOf({ level: index, start: 0 }).group,
    blockSeconds: blockMs(index, level.spanMs) / 1000,
    branching: level.spanMs / (LEVELS[index - 1]?.spanMs ?? level.spanMs),
  };
});

export interface RollupFigures {
  /** Rollups of one shard per second, and of all shards. */
  readonly perShardPerSecond: number;
  readonly perSecond: number;
  /** Starts one shard takes per second, and between two of its rollups. */
  readonly startsPerShardPerSecond: number;
  readonly startsPerRollup: number;
  readonly dirtySecondsPerRollup: number;
  /** Nodes each rollup writes on each tree level (TREE_LEVELS order). */
  readonly nodesPerRollup: readonly number[];
  /** Reads of one rollup: its facts slice, the S seconds partitions of a minute, child slices. */
  readonly factRowsRead: number;
  readonly secondsPartitionsRead: number;
  readonly secondsRowsRead: number;
  readonly childSlicesRead: readonly number[];
  readonly childRowsRead: number;
}

/**
 * What the rollups do for `startsPerSecond` live starts over `shards` shards. A shard's rollup
 * runs when its shard has new facts, at most every ROLLUP_INTERVAL_MS: with starts arriving at
 * random (Poisson) at rate λ, a rollup cycle lasts the interval plus the wait for the next start
 * when none came during it, e^(−λT)/λ on average. A cycle of c seconds dirties the 1 + c seconds
 * it overlaps (a tree node of span T: 1 + c/T), but never more than it has starts.
 */
export function rollupFigures(
  startsPerSecond: number,
  shards: number,
  intervalMs = ROLLUP_INTERVAL_MS,
): RollupFigures {
  const interval = intervalMs / 1000;
  const lambda = startsPerSecond / shards;
  const k = lambda > 0 ? 1 / (interval + Math.exp(-lambda * interval) / lambda) : 0;
  const cycle = k > 0 ? 1 / k : 0;
  const startsPerRollup = lambda * cycle;
  const dirtySeconds = Math.min(1 + cycle, Math.max(1, startsPerRollup));
  const nodesPerRollup = TREE_LEVELS.map((l) => Math.min(1 + cycle / l.spanSeconds, dirtySeconds));

  // A second is recounted by every rollup that finds it dirty, each reading it so far: at k
  // rollups a second, (k + 1) / 2 seconds' worth of facts (0.25 + 0.5 + 0.75 + 1 at k = 4).
  const factRowsRead = k > 0 ? (lambda * Math.max(1, (k + 1) / 2)) / k : 0;
  // The minute sums every shard's seconds so far: half a minute on average, the ones with starts.
  const secondWithStarts = -Math.expm1(-lambda);
  const minutes = nodesPerRollup[0] ?? 1;
  const secondsRowsRead = minutes * shards * ((60 + 1) / 2) * secondWithStarts;
  // Above the minute, a node's children so far: (branching + 1) / 2 rows, one slice per node.
  const childSlicesRead = TREE_LEVELS.map((_, i) => (i === 0 ? 0 : (nodesPerRollup[i] ?? 0)));
  const childRowsRead = TREE_LEVELS.reduce(
    (sum, l, i) => sum + (childSlicesRead[i] ?? 0) * ((l.branching + 1) / 2),
    0,
  );
  return {
    perShardPerSecond: k,
    perSecond: k * shards,
    startsPerShardPerSecond: lambda,
    startsPerRollup,
    dirtySecondsPerRollup: k > 0 ? dirtySeconds : 0,
    nodesPerRollup: k > 0 ? nodesPerRollup : TREE_LEVELS.map(() => 0),
    factRowsRead,
    secondsPartitionsRead: k > 0 ? minutes * shards : 0,
    secondsRowsRead: k > 0 ? secondsRowsRead : 0,
    childSlicesRead,
    childRowsRead,
  };
}

/** Rows one rollup writes into the current block of each level group (the tree's hot partitions). */
export function rowsPerRollupByGroup(figures: RollupFigures): Map<number, number> {
  const byGroup = new Map<number, number>();
  TREE_LEVELS.forEach((l, i) =>
    byGroup.set(l.group, (byGroup.get(l.group) ?? 0) + (figures.nodesPerRollup[i] ?? 0)),
  );
  return byGroup;
}

/** Child slices one rollup reads from the current block of each level group. */
export function readsPerRollupByGroup(figures: RollupFigures): Map<number, number> {
  const byGroup = new Map<number, number>();
  TREE_LEVELS.forEach((l, i) => {
    const below = TREE_LEVELS[i - 1];
    if (below)
      byGroup.set(below.group, (byGroup.get(below.group) ?? 0) + (figures.childSlicesRead[i] ?? 0));
  });
  return byGroup;
}
