import { threadsBetween, type ThreadMeter } from './proc-threads.ts';

/** The Cassandra JVM's just-in-time compiler threads (C1, C2), by their thread group. */
export const isCompilerThread = (group: string): boolean => /^C[12] CompilerThre/.test(group);

export interface WarmUpOptions {
  readonly minMs: number;
  readonly maxMs: number;
  readonly stepMs: number;
  /** Compiler CPU per second of load below which the node counts as warm (20 = 2 % of a core). */
  readonly quietCompilerMsPerSecond: number;
}

export interface WarmUp {
  readonly ms: number;
  /** Compiler CPU per second of load in the last step: what warm-up still leaves in a window. */
  readonly compilerMsPerSecond: number;
}

/**
 * Runs the load in steps until the Cassandra node's JIT compilers go quiet: a node that has just
 * started or been given a new keyspace spends a fifth of its CPU compiling for a minute or more,
 * which a long-running node does not. A cost measured before that is the node's warm-up, not the
 * write path's (issue 23); the steady state is what production pays.
 */
export async function warmUntilJitQuiet(
  load: (ms: number) => Promise<unknown>,
  threads: ThreadMeter,
  options: WarmUpOptions,
): Promise<WarmUp> {
  let elapsed = 0;
  let compilerMsPerSecond = Number.NaN;
  while (elapsed < options.maxMs) {
    const before = threads.snapshot();
    // The load is open-loop: it runs for the time it is given, which is what the step counts.
    await load(options.stepMs);
    const seconds = options.stepMs / 1000;
    elapsed += options.stepMs;
    const compiled = threadsBetween(before, threads.snapshot())
      .filter((t) => isCompilerThread(t.group))
      .reduce((sum, t) => sum + t.ms, 0);
    compilerMsPerSecond = compiled / seconds;
    if (elapsed >= options.minMs && compilerMsPerSecond < options.quietCompilerMsPerSecond) break;
  }
  return { ms: Math.round(elapsed), compilerMsPerSecond };
}
