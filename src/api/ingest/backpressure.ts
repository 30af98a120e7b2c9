import { withTimeout } from '../../runtime/timeout.ts';

/**
 * Load shedding before Redis fills up. Redis runs with `noeviction`, so a full Redis refuses
 * every write — the workers' bookkeeping included, which would stop the drain that frees it. The
 * API therefore refuses new batches while the backlog or Redis's memory is above its bound, and
 * takes them again by itself once the workers have brought it back under.
 */

/** What the check looks at, read from Redis. `maxMemory` 0: Redis has no `maxmemory` set. */
export interface QueueLoad {
  /** Batch jobs not yet taken by a worker: waiting, prioritized and delayed (awaiting a retry). */
  readonly backlogJobs: number;
  readonly usedMemory: number;
  readonly maxMemory: number;
}

export interface BackpressureLimits {
  /** Jobs waiting + prioritized + delayed above which new batches are refused. */
  readonly maxBacklog: number;
  /** Share of `maxmemory` above which new batches are refused (when `maxmemory` is set). */
  readonly memoryRefuseFraction: number;
}

export const REFUSAL_REASONS = ['backlog', 'memory'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Whether a new batch may go on the queue; `undefined` means yes. Pure, for exhaustive tests. */
export function refusalFor(
  load: QueueLoad | undefined,
  limits: BackpressureLimits,
): RefusalReason | undefined {
  // Never sampled (Redis away since start): the enqueue itself then answers queue_unavailable.
  if (load === undefined) return undefined;
  if (load.maxMemory > 0 && load.usedMemory >= load.maxMemory * limits.memoryRefuseFraction)
    return 'memory';
  if (load.backlogJobs >= limits.maxBacklog) return 'backlog';
  return undefined;
}

/** The queue is too full to take the batch: nothing was accepted; retry later. */
export class QueueFullError extends Error {
  constructor(readonly reason: RefusalReason) {
    super(
      reason === 'memory'
        ? 'the queue is full (Redis memory is near its limit); retry later'
        : 'the queue is full (too many batches waiting); retry later',
    );
    this.name = 'QueueFullError';
  }
}

/** Reads the load from Redis; each read may fail or hang (the sampler bounds it). */
export type LoadSource = () => Promise<QueueLoad>;

/**
 * The last load read from Redis, at most `maxAgeMs` old: a request finding it older starts one
 * refresh (later requests share it) and waits for it, so Redis sees two cheap reads per
 * `maxAgeMs` whatever the request rate. A refresh that fails or times out keeps the last load:
 * an outage is the enqueue's to report, not this check's.
 */
export class LoadSampler {
  private last: { load: QueueLoad; at: number } | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly source: LoadSource,
    private readonly options: { maxAgeMs: number; timeoutMs: number; now: () => number },
  ) {}

  async current(): Promise<QueueLoad | undefined> {
    const fresh = this.last && this.options.now() - this.last.at < this.options.maxAgeMs;
    if (!fresh) await (this.inFlight ??= this.refresh());
    return this.last?.load;
  }

  private async refresh(): Promise<void> {
    try {
      const load = await withTimeout(this.source(), this.options.timeoutMs);
      this.last = { load, at: this.options.now() };
    } catch {
      // Keep the last known load for another period (see the class comment), so that a failing
      // Redis is not asked again by every request.
      if (this.last) this.last = { load: this.last.load, at: this.options.now() };
    } finally {
      this.inFlight = undefined;
    }
  }
}

/** `used_memory` and `maxmemory` from the text of `INFO memory`. */
export function parseMemoryInfo(info: string): { usedMemory: number; maxMemory: number } {
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return { usedMemory: field('used_memory'), maxMemory: field('maxmemory') };
}
