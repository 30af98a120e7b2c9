/** A promise that did not settle in time (see withTimeout). */
export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Settles as `work` does, or rejects with a TimeoutError once `ms` have passed first. The timer is
 * cleared as soon as either happens, so a finished call leaves nothing behind that would keep the
 * process alive. `work` itself is not cancelled: callers use this where an answer that comes too
 * late is worthless (a readiness probe, a scrape, a request that must fail fast).
 */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
