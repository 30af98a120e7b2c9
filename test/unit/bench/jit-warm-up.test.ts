import { expect } from 'chai';
import { warmUntilJitQuiet } from '../../../ops/bench/jit-warm-up.ts';
import type { ThreadMeter, ThreadSnapshot } from '../../../ops/bench/proc-threads.ts';

/** A node whose compilers used the given ms during each successive step of load. */
function node(compilerMsPerStep: number[]) {
  let compiled = 0;
  let steps = 0;
  const threads = {
    snapshot: (): ThreadSnapshot =>
      new Map([
        ['1', { group: 'C2 CompilerThre', ms: compiled }],
        ['2', { group: 'MutationStage', ms: steps * 1000 }],
      ]),
  } as unknown as ThreadMeter;
  const load = () => {
    compiled += compilerMsPerStep[steps] ?? 0;
    steps++;
    return Promise.resolve();
  };
  return { threads, load, steps: () => steps };
}

const options = { minMs: 0, maxMs: 60_000, stepMs: 5000, quietCompilerMsPerSecond: 20 };

describe("the bench's warm-up until Cassandra's JIT is quiet", () => {
  it('keeps loading while the compilers work, and stops at the first quiet step', async () => {
    const n = node([5000, 3000, 1000, 0, 0]);
    const warm = await warmUntilJitQuiet(n.load, n.threads, options);
    expect(n.steps()).to.equal(4);
    expect(warm.compilerMsPerSecond).to.be.below(20);
  });

  it('counts only compiler threads, not the work the load causes', async () => {
    const n = node([0]);
    await warmUntilJitQuiet(n.load, n.threads, options);
    expect(n.steps()).to.equal(1);
  });

  it('gives up at the longest warm-up and says how busy the compilers still were', async () => {
    const n = node(Array<number>(100).fill(1e9));
    const warm = await warmUntilJitQuiet(n.load, n.threads, { ...options, maxMs: 1 });
    expect(n.steps()).to.equal(1);
    expect(warm.compilerMsPerSecond).to.be.above(20);
  });
});
