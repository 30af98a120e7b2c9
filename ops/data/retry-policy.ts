/**
 * When to try a batch again after a 503 or a connection failure: exponential backoff with jitter
 * (so that many loaders, or many batches of one, do not retry in lockstep), never sooner than the
 * server's Retry-After.
 */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 never retries. */
  readonly retries: number;
  /** The first retry's delay before jitter; each further retry doubles it. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is cut to it, so that a confused server cannot stall a load. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 8,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/**
 * The wait before retry number `retry` (1 for the first). `jitter` in [0, 1) picks a point in the
 * upper half of the backoff ("equal jitter": never less than half the nominal delay).
 */
export function retryDelayMs(
  retry: number,
  policy: RetryPolicy,
  jitter: number,
  retryAfterMs?: number,
): number {
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const backoff = Math.round(nominal / 2 + (nominal / 2) * jitter);
  const floor = Math.min(retryAfterMs ?? 0, policy.maxRetryAfterMs);
  return Math.max(backoff, floor);
}

/** A Retry-After header (delay-seconds or an HTTP date) in ms from `nowMs`, or undefined. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) || !/[a-z]/i.test(text) ? undefined : Math.max(0, date - nowMs);
}
