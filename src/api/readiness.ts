import { withTimeout } from '../runtime/timeout.ts';

/** What a readiness check found: fine, or not, with the cause when it is known. */
export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly reason?: string };

/** A dependency the service needs to do its work, checked by /readyz. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<CheckResult>;
}

/** One check's outcome as /readyz reports it. */
export type CheckOutcome =
  | { readonly check: string; readonly ok: boolean }
  | { readonly check: string; readonly ok: false; readonly reason: string };

const CHECK_TIMEOUT_MS = 1500;

/** Runs every check at once, each within its own timeout; never rejects. */
export async function checkAll(checks: readonly ReadinessCheck[]): Promise<CheckOutcome[]> {
  return Promise.all(
    checks.map(async (c) => {
      const result = await withTimeout(c.check(), CHECK_TIMEOUT_MS).catch(
        (err: unknown): CheckResult => ({
          ok: false,
          reason: err instanceof Error ? err.message : String(err),
        }),
      );
      return result.ok || !result.reason
        ? { check: c.name, ok: result.ok }
        : { check: c.name, ok: false, reason: result.reason };
    }),
  );
}

/**
 * `run`, answered from its last result while that result is younger than `maxAgeMs` (its age
 * counted from when it was asked for, so an answer is never older than that), and shared by every
 * caller while it runs: however often the probes come, the stores see at most one check at a time
 * and one per `maxAgeMs`.
 */
export function cachedFor<T>(
  run: () => Promise<T>,
  options: { maxAgeMs: number; now: () => number },
): () => Promise<T> {
  let last: { at: number; value: T } | undefined;
  let inFlight: Promise<T> | undefined;
  const refresh = async () => {
    const at = options.now();
    try {
      const value = await run();
      last = { at, value };
      return value;
    } finally {
      inFlight = undefined;
    }
  };
  return async () => {
    if (last && options.now() - last.at < options.maxAgeMs) return last.value;
    return (inFlight ??= refresh());
  };
}

/** A check that answers whether something responds, with no more to say. */
export function answers(probe: () => Promise<boolean>): () => Promise<CheckResult> {
  return async () => ((await probe()) ? { ok: true } : { ok: false });
}
