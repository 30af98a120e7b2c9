import { LiveTraffic } from '../live-traffic.ts';
import { openLoop } from '../open-loop.ts';
import { openCostWindow, type CostProbes, type WindowCost } from '../cost-window.ts';
import { drained, type BenchTarget } from '../target.ts';
import { warmUntilJitQuiet, type WarmUp } from '../jit-warm-up.ts';

export type { CostProbes };

export interface CostResult extends WindowCost {
  readonly offeredEventsPerSecond: number;
  /** Events accepted (202) in the window: the denominator of every figure. */
  readonly events: number;
  readonly failed: number;
  /** Sending plus draining: all the work those events caused. */
  readonly windowSeconds: number;
  readonly drainMs: number;
  readonly warmUp: WarmUp;
}

/**
 * The cost of an event: live traffic at a fixed rate well inside what the stack sustains, after
 * an unmeasured warm-up; CPU time of every process and Cassandra's own statement counts, read
 * before the first batch and again once the queue has drained, so the window holds all the work
 * those events caused and nothing of the warm-up's. The rate is fixed, not the highest one, so
 * that runs on different code compare like with like.
 */
export async function cost(
  target: BenchTarget,
  options: { ratePerSecond: number; durationMs: number; warmupMs: number; maxWarmupMs: number },
  probes: CostProbes,
): Promise<CostResult> {
  const { warmUp, load } = await warmedUp(target, options, probes);
  const window = await openCostWindow(target, probes);
  target.say(`  ${options.ratePerSecond} events/s for ${options.durationMs / 1000} s, then drain`);
  const result = await load(options.durationMs);
  const drainMs = await drained(target);
  const measured = await window.close(result.latencies.length * 10);
  return {
    ...measured,
    offeredEventsPerSecond: options.ratePerSecond,
    failed: result.failed,
    drainMs,
    warmUp,
  };
}

/**
 * Live traffic at `ratePerSecond` until Cassandra's JIT compilers are quiet, then the queue
 * drained: what a phase that measures cost runs first, so that its window holds the write
 * path's work and not the node's warm-up. Returns the warm-up and the load, to go on with.
 */
export async function warmedUp(
  target: BenchTarget,
  options: { ratePerSecond: number; warmupMs: number; maxWarmupMs: number },
  probes: Pick<CostProbes, 'cassandraThreads'>,
) {
  const traffic = new LiveTraffic(4, 20_000, `${target.runId}-cost`);
  const load = (durationMs: number) =>
    openLoop({
      ratePerSecond: options.ratePerSecond / 10,
      durationMs,
      send: async () =>
        (await target.client.post('/v1/batches', JSON.stringify(traffic.batch()))).status === 202,
    });
  target.say(
    `  warm-up at ${options.ratePerSecond} events/s until Cassandra's JIT is quiet (${options.warmupMs / 1000}–${options.maxWarmupMs / 1000} s)`,
  );
  const warmUp = await warmUntilJitQuiet(load, probes.cassandraThreads, {
    minMs: options.warmupMs,
    maxMs: options.maxWarmupMs,
    stepMs: Math.min(5000, options.maxWarmupMs),
    quietCompilerMsPerSecond: 20,
  });
  target.say(
    `  warm after ${(warmUp.ms / 1000).toFixed(0)} s (compilers at ${warmUp.compilerMsPerSecond.toFixed(0)} ms/s)`,
  );
  await drained(target);
  return { warmUp, load };
}
