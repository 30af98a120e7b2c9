import { performance } from 'node:perf_hooks';

export interface OpenLoopResult {
  /** Latency of every completed request, measured from the instant it was due, in ms. */
  readonly latencies: number[];
  readonly sent: number;
  readonly failed: number;
  /** How late the generator itself dispatched its worst request (a loaded load generator shows here). */
  readonly maxDispatchLagMs: number;
  readonly durationMs: number;
}

/**
 * An open-loop load: request i is due at start + i / rate, and is sent then whether or not the
 * earlier ones have been answered — a slow server gets more concurrent requests, not fewer, as
 * with real clients. Latency counts from the due instant, so a generator that falls behind adds
 * its own delay to the figures instead of hiding the server's (no coordinated omission).
 */
export async function openLoop(options: {
  ratePerSecond: number;
  durationMs: number;
  /** Resolves to whether the request succeeded. */
  send: (index: number) => Promise<boolean>;
}): Promise<OpenLoopResult> {
  const total = Math.max(1, Math.round((options.ratePerSecond * options.durationMs) / 1000));
  const interval = 1000 / options.ratePerSecond;
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let failed = 0;
  let maxLag = 0;
  const start = performance.now();
  let next = 0;

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        const due = start + next * interval;
        maxLag = Math.max(maxLag, now - due);
        const index = next++;
        inFlight.push(
          options.send(index).then(
            (ok) => {
              if (ok) latencies.push(performance.now() - due);
              else failed++;
            },
            () => {
              failed++;
            },
          ),
        );
      }
      if (next >= total) resolve();
      else setTimeout(tick, Math.max(0, Math.min(5, start + next * interval - performance.now())));
    };
    tick();
  });
  await Promise.all(inFlight);
  return {
    latencies,
    sent: total,
    failed,
    maxDispatchLagMs: maxLag,
    durationMs: performance.now() - start,
  };
}
