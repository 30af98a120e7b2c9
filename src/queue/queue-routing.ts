import { fnv1a32 } from '../domain/shard.ts';

/**
 * Which of N queues a batch goes on, what each queue is called, and which queue's Redis counts
 * which shard (README, Running at scale → Several queues). Pure and deterministic: every API
 * process sends a batch to the queue every other one would, so a keyed repeat (its batch id a
 * name-based UUID of the key) finds its job and its done record where the first request put
 * them, and `GET /v1/batches/{id}` knows where to look without asking every queue.
 */

/** The queue, in [0, queues), that holds the batch with this id. */
export function queueIndexOf(batchId: string, queues: number): number {
  checkCount(queues);
  return queues === 1 ? 0 : fnv1a32(batchId) % queues;
}

/**
 * Queue i's name: the configured name for queue 0, so that going from one queue to several keeps
 * the jobs already waiting on it; `<name>-<i>` for the others.
 */
export function queueNameOf(name: string, index: number): string {
  return index === 0 ? name : `${name}-${index}`;
}

/** The queue whose Redis holds a shard's marks and rollups: spreads the counting load too. */
export function queueOfShard(shard: number, queues: number): number {
  checkCount(queues);
  return shard % queues;
}

function checkCount(queues: number): void {
  if (!Number.isInteger(queues) || queues < 1) throw new RangeError(`bad queue count ${queues}`);
}
