import type { CountMarks } from '../../src/queue/count-marks.ts';
import type { CountsJob, CountsJobResult } from '../../src/queue/counts-queue.ts';
import type { DirtyShards } from './dirty-seconds.ts';
import { decodeMarks } from './marks-codec.ts';

export interface CountsJobDeps {
  readonly marks: Pick<CountMarks, 'take' | 'clear'>;
  /** Recounts the given seconds and the tree above them (./propagate.ts). */
  readonly rollUp: (dirty: DirtyShards) => Promise<void>;
}

/**
 * One rollup of one shard, as a job of the rollups' queue: takes the shard's marks, recounts
 * them, and only then clears them — a rollup that fails or is killed leaves its marks for the
 * next. Its result tells the waiting workers how far it counted.
 */
export function createCountsJobHandler(
  deps: CountsJobDeps,
): (job: Pick<CountsJob, 'data'>) => Promise<CountsJobResult> {
  return async (job) => {
    const { shard } = job.data;
    const { through, members } = await deps.marks.take(shard);
    const seconds = decodeMarks(members);
    if (seconds.size > 0) await deps.rollUp(new Map([[shard, seconds]]));
    await deps.marks.clear(shard, through);
    return { shard, through };
  };
}
