import type { QueueEvents } from 'bullmq';
import { shardOfCountsJob, type CountsJobResult } from '../../src/queue/counts-queue.ts';

/** The rollup a job waited on failed, or did not come: the job is retried, its marks stay. */
export class CountsUnavailableError extends Error {
  override readonly name = 'CountsUnavailableError';
}

interface Waiter {
  readonly through: number;
  resolve(): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Tells a worker when the marks it added have been counted: it listens to the rollups' queue
 * events, and settles each waiter once a rollup of its shard has taken through its number. A
 * failed rollup fails every waiter of its shard (their jobs are retried and mark again), and a
 * waiter that hears nothing in `timeoutMs` fails the same way — a rollup lost with a Redis
 * failover, say — so that no job waits for ever.
 */
export class CountedWaiter {
  /** The highest number each shard's rollups have taken through, as heard so far. */
  private readonly counted = new Map<number, number>();
  private readonly waiters = new Map<number, Waiter[]>();

  constructor(
    events: Pick<QueueEvents, 'on'>,
    private readonly timeoutMs: number,
  ) {
    events.on('completed', ({ returnvalue }) => {
      const result = returnvalue as unknown as CountsJobResult;
      this.countedThrough(result.shard, result.through);
    });
    events.on('failed', ({ jobId, failedReason }) => {
      const shard = shardOfCountsJob(jobId);
      if (shard !== undefined)
        this.failShard(
          shard,
          new CountsUnavailableError(`rollup of shard ${shard} failed: ${failedReason}`),
        );
    });
  }

  /** Resolves once a rollup of `shard` has taken through `through`. */
  waitFor(shard: number, through: number): Promise<void> {
    if ((this.counted.get(shard) ?? 0) >= through) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        through,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(shard, waiter);
          reject(
            new CountsUnavailableError(`no rollup of shard ${shard} within ${this.timeoutMs} ms`),
          );
        }, this.timeoutMs),
      };
      const list = this.waiters.get(shard);
      if (list) list.push(waiter);
      else this.waiters.set(shard, [waiter]);
    });
  }

  /** Fails every waiter (the worker is closing). */
  close(): void {
    for (const shard of [...this.waiters.keys()])
      this.failShard(shard, new CountsUnavailableError('the worker is closing'));
  }

  private countedThrough(shard: number, through: number): void {
    if (through > (this.counted.get(shard) ?? 0)) this.counted.set(shard, through);
    const list = this.waiters.get(shard);
    if (!list) return;
    const still = list.filter((w) => {
      if (w.through > through) return true;
      clearTimeout(w.timer);
      w.resolve();
      return false;
    });
    if (still.length > 0) this.waiters.set(shard, still);
    else this.waiters.delete(shard);
  }

  private failShard(shard: number, err: Error): void {
    const list = this.waiters.get(shard) ?? [];
    this.waiters.delete(shard);
    for (const w of list) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }

  private remove(shard: number, waiter: Waiter): void {
    const list = this.waiters.get(shard);
    if (!list) return;
    const rest = list.filter((w) => w !== waiter);
    if (rest.length > 0) this.waiters.set(shard, rest);
    else this.waiters.delete(shard);
  }
}
