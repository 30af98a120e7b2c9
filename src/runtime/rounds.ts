/**
 * Shares runs of `run` among callers that each need a run which starts after they asked: a caller
 * arriving while no run is in flight starts one; callers arriving while one is in flight all share
 * the single run that starts once it settles (the one in flight began too early for them). So at
 * most one run is in flight and one waits, however many callers there are, and none is answered
 * by a run that began before it asked.
 *
 * This is what lets many requests share one Redis `WAIT` (src/queue/replica-ack.ts): a WAIT covers
 * the writes sent before it on its connection, and only those.
 */
export function rounds<T>(run: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  let next: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const round = run();
    inFlight = round;
    const clear = () => {
      if (inFlight === round) inFlight = undefined;
    };
    round.then(clear, clear);
    return round;
  };
  const settled = (p: Promise<T>) =>
    p.then(
      () => undefined,
      () => undefined,
    );
  return () => {
    if (inFlight === undefined) return start();
    next ??= settled(inFlight).then(() => {
      next = undefined;
      // A round in flight now began after the one these callers waited out: it is late enough.
      return inFlight ?? start();
    });
    return next;
  };
}
