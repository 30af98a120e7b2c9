import { queueOfShard } from '../../src/queue/queue-routing.ts';
import type { DirtyShards } from './dirty-seconds.ts';
import type { Counting } from './compose-counting.ts';

/**
 * Counting over several queues' Redis: shard g's marks and rollups live on queue g mod N's Redis
 * (src/queue/queue-routing.ts), beside that queue, so the rollups' load spreads over the primaries
 * as the batches' does. A micro-batch's shards go each to its own side, and the wait ends when
 * every side has counted its shards. With one side it is that side itself, unchanged.
 */
export function routeCounting(sides: readonly Counting[]): Counting {
  const [first, ...others] = sides;
  if (!first) throw new RangeError('no counting side');
  if (others.length === 0) return first;
  const all = async (run: (side: Counting) => Promise<void>) => {
    await Promise.all(sides.map(run));
  };
  return {
    async whenCounted(dirty) {
      await Promise.all(
        [...splitByQueue(dirty, sides.length)].map(([i, part]) =>
          sideAt(sides, i).whenCounted(part),
        ),
      );
    },
    pause: () => all((side) => side.pause()),
    resume: () => all((side) => side.resume()),
    close: () => all((side) => side.close()),
  };
}

function sideAt(sides: readonly Counting[], i: number): Counting {
  const side = sides[i];
  if (!side) throw new RangeError(`no counting side ${i}`);
  return side;
}

/** The dirty shards of each queue that counts some of them. */
export function splitByQueue(dirty: DirtyShards, queues: number): Map<number, DirtyShards> {
  const parts = new Map<number, DirtyShards>();
  for (const [shard, seconds] of dirty) {
    const queue = queueOfShard(shard, queues);
    const part = parts.get(queue);
    if (part) part.set(shard, seconds);
    else parts.set(queue, new Map([[shard, seconds]]));
  }
  return parts;
}
