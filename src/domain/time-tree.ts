import { SECOND_MS, MINUTE_MS, HOUR_MS, DAY_MS } from './duration.ts';

/**
 * The time tree behind the starts views. Every level cuts time (epoch-aligned, UTC) into nodes of
 * a fixed length, and each node is the union of a small fixed number of nodes of the level below:
 *
 *   second ×60 minute ×5 5-minute ×3 15-minute ×4 hour ×4 4-hour ×6 day ×8 8-day ×8 64-day
 *
 * A node holds the start counts of every country for its span. Any minute-aligned window of up to
 * a year is the disjoint union of at most (branching - 1) nodes per level on each side plus at
 * most five 64-day nodes in the middle: never more than 2 × 31 + 5 = 67 nodes, whatever its length.
 *
 * Storage groups neighbouring levels: minute, 5-minute and 15-minute nodes are stored by hour;
 * hour and 4-hour nodes by day; day and 8-day nodes by 64 days; 64-day nodes by 512 days. The
 * nodes a window needs on one side lie in one block of each group, so a window of any length is
 * read from at most 8 partitions — one query each — and the children of every node above the
 * minute lie in a single partition, one slice, for the write side. Seconds, read only by the write
 * side, are stored apart, per shard of the start facts (start_count_seconds, by minute and shard):
 * a minute's children are its seconds in every shard.
 */

export interface Level {
  readonly name: string;
  readonly spanMs: number;
}

export const LEVELS: readonly Level[] = [
  { name: 'second', spanMs: SECOND_MS },
  { name: 'minute', spanMs: MINUTE_MS },
  { name: '5m', spanMs: 5 * MINUTE_MS },
  { name: '15m', spanMs: 15 * MINUTE_MS },
  { name: 'hour', spanMs: HOUR_MS },
  { name: '4h', spanMs: 4 * HOUR_MS },
  { name: 'day', spanMs: DAY_MS },
  { name: '8d', spanMs: 8 * DAY_MS },
  { name: '64d', spanMs: 64 * DAY_MS },
];

export const SECOND_LEVEL = 0;
export const MINUTE_LEVEL = 1;
export const HOUR_LEVEL = 4;
export const TOP_LEVEL = LEVELS.length - 1;

export interface TreeNode {
  readonly level: number;
  /** Epoch ms, a multiple of the level's span. */
  readonly start: number;
}

export function spanOf(level: number): number {
  const found = LEVELS[level];
  if (!found) throw new RangeError(`no tree level ${level}`);
  return found.spanMs;
}

export function nodeAt(level: number, ms: number): TreeNode {
  const span = spanOf(level);
  return { level, start: Math.floor(ms / span) * span };
}

export function parentOf(node: TreeNode): TreeNode {
  if (node.level >= TOP_LEVEL) throw new RangeError('the top level has no parent node');
  return nodeAt(node.level + 1, node.start);
}

/** Where a node is stored: its level group and the block of that group holding it. */
export interface NodePartition {
  readonly group: number;
  /** Epoch ms: start of the block (an hour, a day, 64 days or 512 days). */
  readonly block: number;
}

// The level group of each level, and the length of a group's blocks. Group 0 (seconds by minute)
// held the seconds before they were sharded; no node of it is written or read any more.
const GROUP_OF_LEVEL = [undefined, 1, 1, 1, 2, 2, 3, 3, 4];
const BLOCK_MS = [MINUTE_MS, HOUR_MS, DAY_MS, 64 * DAY_MS, 512 * DAY_MS];

/** Where a node of the minute level or above is stored in start_count_rollups. */
export function partitionOf(node: TreeNode): NodePartition {
  if (node.level === SECOND_LEVEL)
    throw new RangeError('second nodes are stored per shard (start_count_seconds)');
  const group = GROUP_OF_LEVEL[node.level];
  const blockMs = group === undefined ? undefined : BLOCK_MS[group];
  if (group === undefined || blockMs === undefined)
    throw new RangeError(`no tree level ${node.level}`);
  return { group, block: Math.floor(node.start / blockMs) * blockMs };
}

/**
 * The children of a node above the minute: one level down, all in one partition, one slice of it.
 * (A minute's children are its seconds in every shard: src/storage/count-seconds.ts.)
 */
export function childrenOf(node: TreeNode): {
  partition: NodePartition;
  level: number;
  from: number;
  to: number;
} {
  if (node.level <= MINUTE_LEVEL)
    throw new RangeError('the children of minutes and seconds are not tree nodes of one partition');
  const level = node.level - 1;
  return {
    partition: partitionOf({ level, start: node.start }),
    level,
    from: node.start,
    to: node.start + spanOf(node.level),
  };
}

/**
 * The fewest nodes of levels [minLevel, maxLevel] whose spans exactly tile [from, to). Both ends
 * must be multiples of the minLevel span. Nodes come back in time order.
 */
export function decompose(
  from: number,
  to: number,
  minLevel = MINUTE_LEVEL,
  maxLevel = TOP_LEVEL,
): TreeNode[] {
  const unit = spanOf(minLevel);
  if (from % unit !== 0 || to % unit !== 0)
    throw new RangeError('window ends must be aligned to the lowest level');
  const left: TreeNode[] = [];
  const right: TreeNode[] = [];
  let a = from;
  let b = to;
  for (let level = minLevel; level <= maxLevel && a < b; level++) {
    const span = spanOf(level);
    if (level === maxLevel) {
      for (; a < b; a += span) left.push({ level, start: a });
      break;
    }
    const parentSpan = spanOf(level + 1);
    while (a < b && a % parentSpan !== 0) {
      left.push({ level, start: a });
      a += span;
    }
    while (a < b && b % parentSpan !== 0) {
      b -= span;
      right.push({ level, start: b });
    }
  }
  return [...left, ...right.reverse()];
}

/** Nodes grouped by the partition that stores them: one query reads each group. */
export function byPartition(
  nodes: readonly TreeNode[],
): { partition: NodePartition; nodes: TreeNode[] }[] {
  const groups = new Map<string, { partition: NodePartition; nodes: TreeNode[] }>();
  for (const node of nodes) {
    const partition = partitionOf(node);
    const key = `${partition.group}:${partition.block}`;
    const found = groups.get(key);
    if (found) found.nodes.push(node);
    else groups.set(key, { partition, nodes: [node] });
  }
  return [...groups.values()];
}
