import type { CountMarks } from '../../src/queue/count-marks.ts';
import type { ReplicaAck } from '../../src/queue/replica-ack.ts';
import {
  COUNTS_JOB_NAME,
  countsDeduplicationId,
  countsJobId,
  type CountsQueue,
} from '../../src/queue/counts-queue.ts';
import type { DirtyShards } from './dirty-seconds.ts';
import type { CountedWaiter } from './counted-waiter.ts';
import { encodeMarks } from './marks-codec.ts';

export interface CountRequestDeps {
  readonly marks: Pick<CountMarks, 'add'>;
  readonly queue: Pick<CountsQueue, 'add'>;
  readonly waiter: Pick<CountedWaiter, 'waitFor'>;
  /**
   * With REDIS_MIN_REPLICAS_ACK: the marks are on replicas before the rollup is waited for, so that
   * a failover cannot take them back and hand their numbers to other marks (src/queue/replica-ack.ts).
   */
  readonly replicas: ReplicaAck | undefined;
  /**
   * How long a shard's rollup waits after it was first asked for (ROLLUP_INTERVAL_MS): marks
   * arriving meanwhile share it, and a busy shard is recounted at most once per interval.
   */
  readonly intervalMs: number;
}

/**
 * Step "roll up" of a micro-batch, seen from the worker that wrote the facts: mark the changed
 * seconds of each shard, make sure a rollup of that shard is coming, and wait until one has
 * counted them. Resolves when every shard's marks are counted, so a job that completes has its
 * starts in the views.
 */
export function createCountRequests(deps: CountRequestDeps): {
  whenCounted(dirty: DirtyShards): Promise<void>;
} {
  return {
    async whenCounted(dirty) {
      await Promise.all(
        [...dirty].map(async ([shard, seconds]) => {
          const mark = () => deps.marks.add(shard, encodeMarks(seconds));
          const through = await (deps.replicas ? deps.replicas.confirm(mark) : mark());
          await deps.queue.add(
            COUNTS_JOB_NAME,
            { shard },
            {
              jobId: countsJobId(shard),
              delay: deps.intervalMs,
              deduplication: { id: countsDeduplicationId(shard), keepLastIfActive: true },
            },
          );
          await deps.waiter.waitFor(shard, through);
        }),
      );
    },
  };
}
