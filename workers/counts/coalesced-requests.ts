import { mergeDirty, type DirtyShards } from './dirty-seconds.ts';

interface Pending {
  readonly dirty: DirtyShards;
  readonly waiters: { resolve(): void; reject(err: unknown): void }[];
}

/**
 * Merges the rollup requests of the jobs a worker finishes together into one: every job of a
 * micro-batch asks for the same seconds at the same moment, and they need one round of marks, one
 * rollup job and one wait between them, not one each. Requests made within `lingerMs` of the first
 * share a round; each resolves when that round's seconds are counted.
 */
export function coalesceRequests(
  request: (dirty: DirtyShards) => Promise<void>,
  lingerMs: number,
): (dirty: DirtyShards) => Promise<void> {
  let pending: Pending | undefined;
  const flush = () => {
    const round = pending;
    pending = undefined;
    if (!round) return;
    request(round.dirty).then(
      () => round.waiters.forEach((w) => w.resolve()),
      (err: unknown) => round.waiters.forEach((w) => w.reject(err)),
    );
  };
  return (dirty) => {
    if (dirty.size === 0) return Promise.resolve();
    if (!pending) {
      pending = { dirty: new Map(), waiters: [] };
      setTimeout(flush, lingerMs);
    }
    mergeDirty(pending.dirty, dirty);
    const round = pending;
    return new Promise<void>((resolve, reject) => round.waiters.push({ resolve, reject }));
  };
}
