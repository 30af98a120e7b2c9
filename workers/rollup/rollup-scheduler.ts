import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { mergeDirty, type DirtyShards } from './dirty-seconds.ts';

/**
 * Step 3 of a batch (roll up): coalesces the recounts of many concurrent jobs. A job that has written start facts asks for its
 * seconds to be counted and waits; the scheduler runs one rollup at a time over everything asked
 * for since the previous one started, so a hot second (live traffic puts every start in the
 * current one) is recounted once per rollup, not once per job.
 *
 * A job's promise settles only after a rollup that *started after it asked* has finished: that
 * rollup read the job's facts, so when the job completes its counts are in the views. If the
 * rollup fails, every job waiting on it fails, and BullMQ retries them.
 */
export class RollupScheduler {
  private pending: DirtyShards = new Map();
  private waiting: { resolve(): void; reject(err: unknown): void }[] = [];
  private running = false;
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly rollup: (dirty: DirtyShards) => Promise<void>,
    private readonly timing: {
      /** How long the first request waits for company before a rollup starts (ROLLUP_LINGER_MS). */
      readonly lingerMs: number;
      /**
       * The least time from one rollup's start to the next one's (ROLLUP_INTERVAL_MS): under live
       * traffic every rollup rewrites the same path of the tree, so fewer, larger rollups save
       * that path's reads and writes for a bounded delay.
       */
      readonly minIntervalMs: number;
    },
  ) {}

  /** Resolves once the given seconds have been counted by a rollup that began after this call. */
  whenCounted(dirty: DirtyShards): Promise<void> {
    if (dirty.size === 0) return Promise.resolve();
    mergeDirty(this.pending, dirty);
    const settled = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (!this.running) void this.drain();
    return settled;
  }

  /** True while a rollup runs or requests wait for one. */
  get busy(): boolean {
    return this.running || this.waiting.length > 0;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      if (this.timing.lingerMs > 0) await sleep(this.timing.lingerMs);
      while (this.waiting.length > 0) {
        const wait = this.lastStart + this.timing.minIntervalMs - performance.now();
        if (wait > 0) await sleep(wait);
        this.lastStart = performance.now();
        const dirty = this.pending;
        const waiting = this.waiting;
        this.pending = new Map();
        this.waiting = [];
        try {
          await this.rollup(dirty);
          for (const w of waiting) w.resolve();
        } catch (err) {
          for (const w of waiting) w.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
